import * as tf from '@tensorflow/tfjs';
import { weightLayout } from './lstm-sample-math';
import type { LstmBackwardTask, LstmBatchArrays, LstmForwardTask } from './lstm-sample-runner';
import { readTensor } from './read-tensor';

/** What the forward pass keeps for the backward pass, all time-major: row t·S + s for share sample s. */
interface StepTrace {
  callId: number;
  samples: Int32Array;
  /** (T, S, 4n): i, f, g, o after activation; 0 at masked steps. */
  gates: Float32Array;
  /** (T, S, n): c_t (carried through masked steps). */
  cells: Float32Array;
  cellsTanh: Float32Array;
  /** (T, S, n): h_t (carried through masked steps). */
  hidden: Float32Array;
}

/** Forward calls whose traces are kept, as in LstmSampleRunner. */
const KEPT_CALLS = 2;

/**
 * The 'steps' kernel of the fused LSTM on a share of a batch: one backend op per time step and the rest
 * of the gate arithmetic in JS over Float32Arrays. Forward, the op is sigmoid([x_t | h]·[W; U] + b)
 * (a fused matMul; tanh of the cell candidate comes from the same sigmoid, see forwardWeights), which
 * leaves one exp per unit to JS. Backward, it is dz·Uᵀ, and what does not depend on the previous step
 * is done after the loop in single large matMuls: dW = xᵀ·dZ, dU = h_prevᵀ·dZ, db = Σ dZ, dx = dZ·Wᵀ.
 * Time-major layout makes each step's rows contiguous.
 *
 * Runs with whatever tfjs backend the thread has: the main thread's, or a worker's own wasm backend, so
 * a batch can be split over cores (each share's weight gradients are partial sums).
 *
 * Semantics are tf.keras's: gate order i, f, c, o; sigmoid recurrent activation; tanh activation; a
 * masked step carries h and c and outputs the carried h.
 */
export class LstmStepRunner {
  private readonly calls = new Map<number, StepTrace>();

  forward(task: LstmForwardTask): void {
    const { steps: T, inputSize: d, units: n, samples } = task;
    const S = samples.length;
    const G = 4 * n;
    const D = d + n;
    const { stacked, bias } = this.forwardWeights(task);
    // Inference (keepTraces false) keeps nothing for a backward pass: no trace arrays to fill.
    const keep = task.keepTraces ?? true;
    const rows = keep ? T * S : 0;
    const trace: StepTrace = {
      callId: task.callId,
      samples,
      gates: new Float32Array(rows * G),
      cells: new Float32Array(rows * n),
      cellsTanh: new Float32Array(rows * n),
      hidden: new Float32Array(rows * n),
    };
    const { gates, cells, cellsTanh, hidden } = trace;
    const mask = task.mask;
    const x = task.x;
    const out = task.out;
    const xh = new Float32Array(S * D); // this step's [x_t | h_{t-1}] rows
    const c = new Float64Array(S * n);
    const th = new Float32Array(n); // one row of tanh(c)
    try {
      for (let t = 0; t < T; t++) {
        for (let s = 0; s < S; s++) {
          const src = (samples[s] * T + t) * d;
          for (let q = 0; q < d; q++) xh[s * D + q] = x[src + q];
        }
        // One op per step: sigmoid([x_t | h]·[W; U] + b), the g columns pre-scaled by 2 (see forwardWeights).
        const act = readTensor(() =>
          tf.fused.matMul({
            a: tf.tensor2d(xh, [S, D]),
            b: stacked,
            bias,
            activation: 'sigmoid',
          }),
        );
        for (let s = 0; s < S; s++) {
          const b = samples[s];
          const c0 = s * n;
          const h0 = s * D + d; // h inside the xh row
          const r0 = (t * S + s) * n;
          if (mask === null || mask[b * T + t] !== 0) {
            const a0 = s * G;
            const g0 = a0 + 2 * n;
            for (let j = 0; j < n; j++) {
              const ig = act[a0 + j];
              const fg = act[a0 + n + j];
              const gg = 2 * act[g0 + j] - 1; // tanh(z) = 2·sigmoid(2z) - 1
              const og = act[a0 + 3 * n + j];
              const cNew = fg * c[c0 + j] + ig * gg;
              const thj = 1 - 2 / (1 + Math.exp(2 * cNew));
              c[c0 + j] = cNew;
              xh[h0 + j] = og * thj;
              act[g0 + j] = gg; // the row now holds i, f, g, o: the trace's gates
              th[j] = thj;
            }
            if (keep) {
              gates.set(act.subarray(a0, a0 + G), (t * S + s) * G);
              cellsTanh.set(th, r0);
            }
          }
          if (keep) {
            cells.set(c.subarray(c0, c0 + n), r0);
            hidden.set(xh.subarray(h0, h0 + n), r0);
          }
          if (task.returnSequences) out.set(xh.subarray(h0, h0 + n), (b * T + t) * n);
        }
      }
    } finally {
      tf.dispose([stacked, bias]);
    }
    if (!task.returnSequences) {
      for (let s = 0; s < S; s++) out.set(xh.subarray(s * D + d, (s + 1) * D), samples[s] * n);
    }
    if (!keep) return;
    this.calls.set(task.callId, trace);
    while (this.calls.size > KEPT_CALLS) this.calls.delete(this.calls.keys().next().value as number);
  }

  /**
   * [W; U] stacked ((d + n) x 4n) and the bias, with the g (cell candidate) columns doubled: one
   * sigmoid over all 4n columns then gives σ(2z) there, and tanh(z) = 2σ(2z) - 1.
   */
  private forwardWeights(task: LstmBatchArrays): { stacked: tf.Tensor2D; bias: tf.Tensor1D } {
    const { inputSize: d, units: n } = task;
    const G = 4 * n;
    const lay = weightLayout(d, n);
    const w = f32(task.weights);
    const stacked = w.slice(lay.w, lay.b); // W rows then U rows: already (d + n) x 4n
    const bias = w.slice(lay.b, lay.size);
    for (let r = 0; r < d + n; r++) for (let j = 2 * n; j < 3 * n; j++) stacked[r * G + j] *= 2;
    for (let j = 2 * n; j < 3 * n; j++) bias[j] *= 2;
    return { stacked: tf.tensor2d(stacked, [d + n, G]), bias: tf.tensor1d(bias) };
  }

  backward(task: LstmBackwardTask): void {
    const { steps: T, inputSize: d, units: n, samples } = task;
    const S = samples.length;
    const G = 4 * n;
    const lay = weightLayout(d, n);
    let trace = this.calls.get(task.callId);
    if (!trace || !sameSamples(trace.samples, samples)) {
      // Evicted, or computed elsewhere: recompute (results never depend on what was kept).
      const outSize = task.returnSequences ? T * n : n;
      this.forward({ ...task, keepTraces: true, out: new Float32Array(task.batch * outSize) });
      trace = this.calls.get(task.callId)!;
    }
    this.calls.delete(task.callId);
    const { gates, cells, cellsTanh, hidden } = trace;
    const mask = task.mask;
    const dOut = task.dOut;
    const dz = new Float32Array(T * S * G);
    const dh = new Float64Array(S * n);
    const dc = new Float64Array(S * n);
    if (!task.returnSequences)
      for (let s = 0; s < S; s++) for (let j = 0; j < n; j++) dh[s * n + j] = dOut[samples[s] * n + j];
    const Ut = tf.tidy(() => tf.transpose(tf.tensor2d(f32(task.weights).subarray(lay.u, lay.b), [n, G])));
    try {
      for (let t = T - 1; t >= 0; t--) {
        for (let s = 0; s < S; s++) {
          const b = samples[s];
          const h0 = s * n;
          if (task.returnSequences) {
            const o0 = (b * T + t) * n;
            for (let j = 0; j < n; j++) dh[h0 + j] += dOut[o0 + j];
          }
          if (mask !== null && mask[b * T + t] === 0) continue; // h and c pass through; dz stays 0
          const z0 = (t * S + s) * G;
          const r0 = (t * S + s) * n;
          const p0 = r0 - S * n; // the previous step's row (t > 0)
          for (let j = 0; j < n; j++) {
            const ig = gates[z0 + j];
            const fg = gates[z0 + n + j];
            const gg = gates[z0 + 2 * n + j];
            const og = gates[z0 + 3 * n + j];
            const th = cellsTanh[r0 + j];
            const cPrev = t > 0 ? cells[p0 + j] : 0;
            const dhj = dh[h0 + j];
            const dcj = dc[h0 + j] + dhj * og * (1 - th * th);
            dc[h0 + j] = dcj * fg;
            dz[z0 + j] = dcj * gg * ig * (1 - ig);
            dz[z0 + n + j] = dcj * cPrev * fg * (1 - fg);
            dz[z0 + 2 * n + j] = dcj * ig * (1 - gg * gg);
            dz[z0 + 3 * n + j] = dhj * th * og * (1 - og);
          }
        }
        if (t === 0) break;
        // dh_{t-1} = dz_t·Uᵀ for the samples active at t; the others pass dh through unchanged.
        const back = matMulSync(dz.subarray(t * S * G, (t + 1) * S * G), S, G, Ut);
        for (let s = 0; s < S; s++) {
          if (mask !== null && mask[samples[s] * T + t] === 0) continue;
          for (let j = 0; j < n; j++) dh[s * n + j] = back[s * n + j];
        }
      }
    } finally {
      Ut.dispose();
    }

    // h_{t-1} for every row (zero state at t = 0): the hidden states shifted by one step.
    const hPrev = new Float32Array(T * S * n);
    hPrev.set(hidden.subarray(0, (T - 1) * S * n), S * n);
    const xTime = gatherTimeMajor(task, samples);
    const [dW, dU, db, dxTime] = tf.tidy(() => {
      const dZ = tf.tensor2d(dz, [T * S, G]);
      const W = tf.tensor2d(f32(task.weights).subarray(lay.w, lay.u), [d, G]);
      return [
        tf.matMul(tf.transpose(tf.tensor2d(xTime, [T * S, d])), dZ),
        tf.matMul(tf.transpose(tf.tensor2d(hPrev, [T * S, n])), dZ),
        tf.sum(dZ, 0),
        tf.matMul(dZ, tf.transpose(W)),
      ];
    });
    try {
      task.grads.set(dW.dataSync(), lay.w);
      task.grads.set(dU.dataSync(), lay.u);
      task.grads.set(db.dataSync(), lay.b);
      const dxt = dxTime.dataSync();
      for (let s = 0; s < S; s++) {
        const b = samples[s];
        for (let t = 0; t < T; t++) {
          const src = (t * S + s) * d;
          const dst = (b * T + t) * d;
          for (let q = 0; q < d; q++) task.dx[dst + q] = dxt[src + q];
        }
      }
    } finally {
      tf.dispose([dW, dU, db, dxTime]);
    }
  }

  /** Drops every trace. */
  clear(): void {
    this.calls.clear();
  }
}

/** The share's inputs as (T, S, d), time-major. */
function gatherTimeMajor(a: LstmBatchArrays, samples: Int32Array): Float32Array {
  const { steps: T, inputSize: d } = a;
  const S = samples.length;
  const x = a.x;
  const out = new Float32Array(T * S * d);
  for (let s = 0; s < S; s++) {
    const base = samples[s] * T * d;
    for (let t = 0; t < T; t++) {
      const src = base + t * d;
      const dst = (t * S + s) * d;
      for (let q = 0; q < d; q++) out[dst + q] = x[src + q];
    }
  }
  return out;
}

/** a (rows x k, JS array) · b (k x cols tensor), read back. */
function matMulSync(a: Float32Array, rows: number, k: number, b: tf.Tensor): Float32Array {
  // slice(): the cpu backend keeps the array it is given, and `a` changes on the next step.
  const aT = tf.tensor2d(a.slice(), [rows, k]);
  const prod = tf.matMul(aT, b);
  try {
    return prod.dataSync() as Float32Array;
  } finally {
    aT.dispose();
    prod.dispose();
  }
}

/** The kernel works in float32 (its matMuls do); float64 weights are rounded once. */
function f32(a: Float32Array | Float64Array): Float32Array {
  return a instanceof Float32Array ? a : Float32Array.from(a);
}

function sameSamples(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
