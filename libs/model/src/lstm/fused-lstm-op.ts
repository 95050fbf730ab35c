import * as tf from '@tensorflow/tfjs';
import { runCustomOp } from './custom-op';
import { packWeights, weightLayout } from './lstm-sample-math';
import type { LstmBackwardTask, LstmBatchArrays, LstmForwardTask } from './lstm-sample-runner';
import type { LstmKernel } from './lstm-thread-protocol';
import { ensureLstmThreadsStarting, lstmThreadPool } from './lstm-thread-pool';
import { splitSamples } from './split-samples';

export interface FusedLstmOpOptions {
  units: number;
  returnSequences: boolean;
  /**
   * 'samples': the whole recurrence per sample in JS (lstm-sample-math.ts) - for narrow layers over
   * long sequences; 'steps': one backend matMul per step, gates in JS (lstm-step-runner.ts) - for wide
   * layers.
   */
  kernel: LstmKernel;
  /** Split batches over the LSTM worker threads when worthwhile (starting them if needed). Default true. */
  threads?: boolean;
  /**
   * 'samples' kernel: multiply-adds (active steps x 4·units²) below which a call stays in this thread,
   * since handing out work costs ~0.1 ms. Default 2,000,000.
   */
  minThreadedWork?: number;
  /** 'samples' kernel: trace in float64 (for gradient checks). Default false. */
  float64?: boolean;
}

/** The 'steps' kernel splits a batch only if each thread gets at least this many samples. */
const MIN_STEP_SAMPLES_PER_THREAD = 2;

let nextCallId = 1;

/**
 * An LSTM layer's whole masked time loop, forward and backward, as one tfjs op (tf.customGrad), with
 * tf.keras semantics (gate order i, f, c, o; sigmoid recurrent activation; tanh; a masked step carries
 * the state). Inputs are read into typed arrays, split by sample over the LSTM thread pool (the main
 * thread takes a share; arrays are SharedArrayBuffers when threaded), and the results become tensors.
 *
 * @param x (batch, T, d) float32.
 * @param kernel W (d, 4n); recurrentKernel U (n, 4n); bias (4n).
 * @param mask (batch, T) bool or 0/1, or null.
 * @returns (batch, n), or (batch, T, n) with returnSequences.
 */
export function fusedLstmOp(
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  mask: tf.Tensor | null,
  opts: FusedLstmOpOptions,
): tf.Tensor {
  const [batch, steps, inputSize] = x.shape;
  const { units, returnSequences } = opts;
  const lay = weightLayout(inputSize, units);
  const outShape = returnSequences ? [batch, steps, units] : [batch, units];
  const outSize = outShape.reduce((p, q) => p * q, 1);

  const forward = ([xT, kT, rT, bT, mT]: tf.Tensor[]) => {
    const maskValues = mT ? maskBytes(mT) : null;
    const shares = planShares(opts, batch, steps, maskValues);
    const pool = lstmThreadPool();
    const share = shares.length > 1; // arrays must be visible to the workers
    const arrays: LstmBatchArrays = {
      callId: nextCallId++,
      batch,
      steps,
      inputSize,
      units,
      returnSequences,
      float64: opts.float64 ?? false,
      // Outside a gradient tape (inference) no backward pass follows: keep no traces.
      keepTraces: tf.engine().state.gradientDepth > 0,
      weights: packWeights(read(kT), read(rT), read(bT), { inputSize, units }, floats(lay.size, share)),
      x: share ? copyShared(read(xT)) : read(xT),
      mask: maskValues && share ? copyShared(maskValues) : maskValues,
    };
    const out = floats(outSize, share);
    pool.forward(
      shares.map((samples): LstmForwardTask => ({ ...arrays, samples, out })),
      opts.kernel,
    );
    const value = tf.tensor(share ? out.slice() : out, outShape);

    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const dOut = share ? copyShared(read(dy)) : read(dy);
      const dx = floats(batch * steps * inputSize, share);
      const grads = share
        ? new Float64Array(new SharedArrayBuffer(8 * lay.size * shares.length))
        : new Float64Array(lay.size);
      pool.backward(
        shares.map((samples, i): LstmBackwardTask => ({
          ...arrays,
          samples,
          dOut,
          dx,
          grads: grads.subarray(i * lay.size, (i + 1) * lay.size),
        })),
        opts.kernel,
      );
      const total = new Float32Array(lay.size);
      for (let i = 0; i < shares.length; i++) {
        const base = i * lay.size;
        for (let j = 0; j < lay.size; j++) total[j] += grads[base + j];
      }
      const result = [
        tf.tensor(share ? dx.slice() : dx, x.shape),
        tf.tensor(total.subarray(lay.w, lay.u), kernel.shape),
        tf.tensor(total.subarray(lay.u, lay.b), recurrentKernel.shape),
        tf.tensor(total.subarray(lay.b, lay.size), bias.shape),
      ];
      // The mask gets no gradient; tfjs wants one per input all the same.
      if (mT) result.push(tf.zeros(mT.shape));
      return result;
    };
    return { value, gradFunc };
  };

  return runCustomOp(forward, mask ? [x, kernel, recurrentKernel, bias, mask] : [x, kernel, recurrentKernel, bias]);
}

/** Which samples each thread computes: one share (this thread only) unless splitting pays. */
function planShares(opts: FusedLstmOpOptions, batch: number, steps: number, mask: Uint8Array | null): Int32Array[] {
  const all = [Int32Array.from({ length: batch }, (_, i) => i)];
  if (!(opts.threads ?? true) || batch < 2) return all;
  const pool = lstmThreadPool();
  if (opts.kernel === 'steps') {
    // Worker threads bring their own wasm backend; with another backend (tfjs-node is multi-threaded
    // already) the batch stays here.
    if (tf.getBackend() !== 'wasm' || batch < 2 * MIN_STEP_SAMPLES_PER_THREAD) return all;
    ensureLstmThreadsStarting();
    pool.prepare('steps');
    const threads = Math.min(pool.threadCount, Math.floor(batch / MIN_STEP_SAMPLES_PER_THREAD));
    return threads > 1 ? splitSamples(new Float64Array(batch).fill(1), threads) : all;
  }
  const active = new Float64Array(batch);
  for (let b = 0; b < batch; b++) {
    let count = steps;
    if (mask) {
      count = 0;
      for (let t = 0; t < steps; t++) if (mask[b * steps + t] !== 0) count++;
    }
    active[b] = count;
  }
  const work = active.reduce((s, v) => s + v, 0) * 4 * opts.units * opts.units;
  if (work < (opts.minThreadedWork ?? 2_000_000)) return all;
  ensureLstmThreadsStarting();
  return pool.threadCount > 1 ? splitSamples(active, pool.threadCount) : all;
}

function read(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

/** A mask as bytes, 1 = real step (bool tensors read back as bytes, 0/1 floats as floats). */
function maskBytes(m: tf.Tensor): Uint8Array {
  const v = m.dataSync();
  const out = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] !== 0 ? 1 : 0;
  return out;
}

function floats(n: number, shared: boolean): Float32Array {
  return shared ? new Float32Array(new SharedArrayBuffer(4 * n)) : new Float32Array(n);
}

function copyShared<T extends Float32Array | Uint8Array>(src: T): T {
  const out =
    src instanceof Float32Array
      ? new Float32Array(new SharedArrayBuffer(src.byteLength))
      : new Uint8Array(new SharedArrayBuffer(src.byteLength));
  out.set(src);
  return out as T;
}
