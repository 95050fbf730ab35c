import * as tf from '@tensorflow/tfjs';
import { runCustomOp } from './custom-op';
import { packWeights, weightLayout, type Floats } from './lstm-sample-math';
import type { LstmBackwardTask, LstmBatchArrays, LstmForwardTask } from './lstm-sample-runner';
import { ensureLstmThreadsStarting, lstmThreadPool } from './lstm-thread-pool';
import { splitSamples } from './split-samples';

export interface SampleOpOptions {
  units: number;
  returnSequences: boolean;
  /** Trace in float64 (gradient checks). Default false. */
  float64?: boolean;
  /**
   * Multiply-adds (active steps x units x 4·units) below which a call stays in the main thread:
   * handing out work costs ~0.1 ms, not worth it for a short batch. Default 2,000,000.
   */
  minThreadedWork?: number;
  /** Use the LSTM worker threads when they are ready (starting them if needed). Default true. */
  threads?: boolean;
}

let nextCallId = 1;

/**
 * The fused LSTM op for small layers: one tfjs op whose forward and backward passes each run the whole
 * masked time loop per sample in JS (lstm-sample-math.ts), split over the LSTM worker threads.
 *
 * @param x (batch, T, d) float32.
 * @param mask (batch, T) bool or 0/1 float, or null.
 * @returns (batch, units), or (batch, T, units) with returnSequences.
 */
export function lstmSampleOp(
  x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor, mask: tf.Tensor | null,
  opts: SampleOpOptions,
): tf.Tensor {
  const [batch, steps, inputSize] = x.shape;
  const { units, returnSequences } = opts;
  const float64 = opts.float64 ?? false;
  const useThreads = opts.threads ?? true;
  const minWork = opts.minThreadedWork ?? 2_000_000;
  const outShape = returnSequences ? [batch, steps, units] : [batch, units];

  const run = (xT: tf.Tensor, kT: tf.Tensor, rT: tf.Tensor, bT: tf.Tensor, mT: tf.Tensor | null) => {
    const pool = lstmThreadPool();
    const maskValues = mT ? toMask(mT) : null;
    const activeSteps = new Float64Array(batch);
    for (let b = 0; b < batch; b++) {
      let count = steps;
      if (maskValues) {
        count = 0;
        for (let t = 0; t < steps; t++) if (maskValues[b * steps + t] !== 0) count++;
      }
      activeSteps[b] = count;
    }
    const work = activeSteps.reduce((s, v) => s + v, 0) * units * 4 * units;
    if (useThreads && work >= minWork && batch > 1) ensureLstmThreadsStarting();
    const threaded = useThreads && work >= minWork && pool.threadCount > 1 && batch > 1;
    const shares = threaded ? splitSamples(activeSteps, pool.threadCount) : [Int32Array.from({ length: batch }, (_, i) => i)];
    const share = shares.length > 1; // arrays must be shared with workers
    const lay = weightLayout(inputSize, units);

    const arrays: LstmBatchArrays = {
      callId: nextCallId++,
      batch, steps, inputSize, units, returnSequences, float64,
      weights: packWeights(data(kT), data(rT), data(bT), { inputSize, units }, float32Array(lay.size, share)),
      x: copyTo(data(xT), share),
      mask: maskValues && share ? copyBytes(maskValues) : maskValues,
    };
    const out = float32Array(outShape.reduce((p, q) => p * q, 1), share);
    pool.forward(shares.map((samples): LstmForwardTask => ({ ...arrays, samples, out })));
    const value = tf.tensor(out instanceof Float32Array && !share ? out : Float32Array.from(out), outShape);

    const gradFunc = (dy: tf.Tensor) => {
      const dOut = copyTo(data(dy), share);
      const dx = float32Array(batch * steps * inputSize, share);
      const grads = share ? new Float64Array(new SharedArrayBuffer(8 * lay.size * shares.length)) : new Float64Array(lay.size);
      pool.backward(shares.map((samples, i): LstmBackwardTask => ({
        ...arrays, samples, dOut, dx, grads: grads.subarray(i * lay.size, (i + 1) * lay.size),
      })));
      const total = new Float32Array(lay.size);
      for (let i = 0; i < shares.length; i++) {
        const base = i * lay.size;
        for (let j = 0; j < lay.size; j++) total[j] += grads[base + j];
      }
      const out = [
        tf.tensor(Float32Array.from(dx), x.shape),
        tf.tensor(total.subarray(lay.w, lay.u), kernel.shape),
        tf.tensor(total.subarray(lay.u, lay.b), recurrentKernel.shape),
        tf.tensor(total.subarray(lay.b, lay.size), bias.shape),
      ];
      // The mask gets no gradient; tfjs wants one per input all the same.
      if (mT) out.push(tf.zeros(mT.shape));
      return out;
    };
    return { value, gradFunc };
  };

  return runCustomOp(
    ([xT, kT, rT, bT, mT]) => run(xT, kT, rT, bT, mT ?? null),
    mask ? [x, kernel, recurrentKernel, bias, mask] : [x, kernel, recurrentKernel, bias],
  );
}

function data(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

/** A mask as bytes, nonzero = real step (bool tensors read back as Uint8Array already). */
function toMask(m: tf.Tensor): Uint8Array {
  const v = m.dataSync();
  if (v instanceof Uint8Array) return v;
  const out = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] !== 0 ? 1 : 0;
  return out;
}

function float32Array(n: number, shared: boolean): Float32Array {
  return shared ? new Float32Array(new SharedArrayBuffer(4 * n)) : new Float32Array(n);
}

function copyTo(src: Float32Array, shared: boolean): Floats {
  if (!shared) return src;
  const out = float32Array(src.length, true);
  out.set(src);
  return out;
}

function copyBytes(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(new SharedArrayBuffer(src.length));
  out.set(src);
  return out;
}
