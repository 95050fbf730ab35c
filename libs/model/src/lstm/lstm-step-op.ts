import * as tf from '@tensorflow/tfjs';
import { runCustomOp } from './custom-op';
import { readTensor } from './read-tensor';

export interface StepOpOptions {
  units: number;
  returnSequences: boolean;
}

/**
 * The fused LSTM op for wide layers (the spectrogram model's LSTM(256)): one tfjs op whose forward and
 * backward passes run the time loop in JS, with the arithmetic that matters on the backend.
 *
 * Where the cost is: per step, h·U is a (batch x n) by (n x 4n) product. The stock layer spends ~26
 * tensor ops per step forward and more backward, and their overhead, not the products, dominates at
 * these sizes. Here each step is one matMul (forward: h·U; backward: dz·Uᵀ) plus the gate arithmetic
 * over Float32Arrays in JS, and everything that does not depend on the previous step is batched over
 * all steps in single large matMuls: the input projection x·W + b before the loop, and dW = xᵀ·dZ,
 * dU = h_prevᵀ·dZ, db = Σ dZ, dx = dZ·Wᵀ after it.
 *
 * Semantics are tf.keras's (gate order i, f, c, o; sigmoid recurrent activation; tanh activation);
 * a masked step carries h and c unchanged and outputs the carried h, as Keras does.
 *
 * @param x (batch, T, d) float32.
 * @param mask (batch, T) bool or 0/1 float, or null.
 * @returns (batch, units), or (batch, T, units) with returnSequences.
 */
export function lstmStepOp(
  x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor, mask: tf.Tensor | null,
  opts: StepOpOptions,
): tf.Tensor {
  const [B, T, d] = x.shape;
  const n = opts.units;
  const G = 4 * n;
  const { returnSequences } = opts;
  const outShape = returnSequences ? [B, T, n] : [B, n];

  const run = (xT: tf.Tensor, W: tf.Tensor, U: tf.Tensor, b: tf.Tensor, mT: tf.Tensor | null) => {
    const active = mT ? maskBytes(mT) : null; // (B, T)
    // Input projection of every step at once: rows b*T + t.
    const xw = readTensor(() => tf.add(tf.matMul(tf.reshape(xT, [B * T, d]), W), b));

    const gates = new Float32Array(T * B * G); // (T, B, 4n): i, f, g, o after activation
    const cells = new Float32Array(T * B * n); // c_t
    const cellsTanh = new Float32Array(T * B * n);
    const hidden = new Float32Array(T * B * n); // h_t (carried through masked steps)
    const h = new Float32Array(B * n);
    const c = new Float64Array(B * n);
    const out = new Float32Array(returnSequences ? B * T * n : B * n);

    for (let t = 0; t < T; t++) {
      // h·U; at t = 0 h is the zero state.
      const hu = t === 0 ? null : matMulSync(h, [B, n], U);
      const gBase = t * B * G;
      const sBase = t * B * n;
      for (let bi = 0; bi < B; bi++) {
        const on = active === null || active[bi * T + t] !== 0;
        const zRow = (bi * T + t) * G;
        const huRow = bi * G;
        const g0 = gBase + bi * G;
        const s0 = sBase + bi * n;
        const h0 = bi * n;
        if (on) {
          for (let j = 0; j < n; j++) {
            let zi = xw[zRow + j];
            let zf = xw[zRow + n + j];
            let zg = xw[zRow + 2 * n + j];
            let zo = xw[zRow + 3 * n + j];
            if (hu) {
              zi += hu[huRow + j];
              zf += hu[huRow + n + j];
              zg += hu[huRow + 2 * n + j];
              zo += hu[huRow + 3 * n + j];
            }
            const ig = 1 / (1 + Math.exp(-zi));
            const fg = 1 / (1 + Math.exp(-zf));
            const gg = 1 - 2 / (1 + Math.exp(2 * zg));
            const og = 1 / (1 + Math.exp(-zo));
            const cNew = fg * c[h0 + j] + ig * gg;
            const th = 1 - 2 / (1 + Math.exp(2 * cNew));
            c[h0 + j] = cNew;
            h[h0 + j] = og * th;
            gates[g0 + j] = ig;
            gates[g0 + n + j] = fg;
            gates[g0 + 2 * n + j] = gg;
            gates[g0 + 3 * n + j] = og;
            cells[s0 + j] = cNew;
            cellsTanh[s0 + j] = th;
          }
        } else {
          for (let j = 0; j < n; j++) cells[s0 + j] = c[h0 + j]; // carried; gates stay 0
        }
        for (let j = 0; j < n; j++) hidden[s0 + j] = h[h0 + j];
        if (returnSequences) out.set(h.subarray(h0, h0 + n), (bi * T + t) * n);
      }
    }
    if (!returnSequences) out.set(h);
    const value = tf.tensor(out, outShape);

    const gradFunc = (dy: tf.Tensor) => {
      const dOut = dy.dataSync() as Float32Array;
      const dz = new Float32Array(B * T * G); // rows b*T + t
      const dzStep = new Float32Array(B * G);
      const dh = new Float64Array(B * n);
      const dc = new Float64Array(B * n);
      const Ut = tf.transpose(U);
      try {
        if (!returnSequences) for (let i = 0; i < B * n; i++) dh[i] = dOut[i];
        for (let t = T - 1; t >= 0; t--) {
          const gBase = t * B * G;
          const sBase = t * B * n;
          for (let bi = 0; bi < B; bi++) {
            const h0 = bi * n;
            if (returnSequences) {
              const o0 = (bi * T + t) * n;
              for (let j = 0; j < n; j++) dh[h0 + j] += dOut[o0 + j];
            }
            const on = active === null || active[bi * T + t] !== 0;
            const z0 = bi * G;
            if (!on) {
              dzStep.fill(0, z0, z0 + G); // h and c pass through unchanged
              continue;
            }
            const g0 = gBase + bi * G;
            const s0 = sBase + bi * n;
            const p0 = s0 - B * n; // previous step's cells (t > 0)
            const zRow = (bi * T + t) * G;
            for (let j = 0; j < n; j++) {
              const ig = gates[g0 + j];
              const fg = gates[g0 + n + j];
              const gg = gates[g0 + 2 * n + j];
              const og = gates[g0 + 3 * n + j];
              const th = cellsTanh[s0 + j];
              const cPrev = t > 0 ? cells[p0 + j] : 0;
              const dhj = dh[h0 + j];
              const dcj = dc[h0 + j] + dhj * og * (1 - th * th);
              dc[h0 + j] = dcj * fg;
              const dzi = dcj * gg * ig * (1 - ig);
              const dzf = dcj * cPrev * fg * (1 - fg);
              const dzg = dcj * ig * (1 - gg * gg);
              const dzo = dhj * th * og * (1 - og);
              dzStep[z0 + j] = dzi;
              dzStep[z0 + n + j] = dzf;
              dzStep[z0 + 2 * n + j] = dzg;
              dzStep[z0 + 3 * n + j] = dzo;
              dz[zRow + j] = dzi;
              dz[zRow + n + j] = dzf;
              dz[zRow + 2 * n + j] = dzg;
              dz[zRow + 3 * n + j] = dzo;
            }
          }
          if (t === 0) break;
          // dh_{t-1} = dz·Uᵀ for active samples; masked samples pass dh through unchanged.
          const back = matMulSync(dzStep, [B, G], Ut);
          for (let bi = 0; bi < B; bi++) {
            if (active !== null && active[bi * T + t] === 0) continue;
            const h0 = bi * n;
            for (let j = 0; j < n; j++) dh[h0 + j] = back[h0 + j];
          }
        }
        // h_{t-1} for every row b*T + t (zero at t = 0), for dU.
        const hPrev = new Float32Array(B * T * n);
        for (let bi = 0; bi < B; bi++) {
          for (let t = 1; t < T; t++) {
            const src = ((t - 1) * B + bi) * n;
            hPrev.set(hidden.subarray(src, src + n), (bi * T + t) * n);
          }
        }
        return tf.tidy(() => {
          const dZ = tf.tensor2d(dz, [B * T, G]);
          const xFlat = tf.reshape(xT, [B * T, d]);
          const dx = tf.reshape(tf.matMul(dZ, tf.transpose(W)), [B, T, d]);
          const dW = tf.matMul(tf.transpose(xFlat), dZ);
          const dU = tf.matMul(tf.transpose(tf.tensor2d(hPrev, [B * T, n])), dZ);
          const db = tf.sum(dZ, 0);
          const grads = [dx, dW, dU, db];
          if (mT) grads.push(tf.zeros(mT.shape)); // the mask gets no gradient; tfjs wants one per input
          return grads;
        });
      } finally {
        Ut.dispose();
      }
    };
    return { value, gradFunc };
  };

  return runCustomOp(
    ([xT, kT, rT, bT, mT]) => run(xT, kT, rT, bT, mT ?? null),
    mask ? [x, kernel, recurrentKernel, bias, mask] : [x, kernel, recurrentKernel, bias],
  );
}

/** a (JS array, shape [rows, k]) · b (tensor [k, cols]) read back as a Float32Array. */
function matMulSync(a: Float32Array, shape: [number, number], b: tf.Tensor): Float32Array {
  // slice(): the cpu backend keeps the array it is given, and `a` is overwritten next step.
  const aT = tf.tensor2d(a.slice(), shape);
  const prod = tf.matMul(aT, b);
  const values = prod.dataSync() as Float32Array;
  aT.dispose();
  prod.dispose();
  return values;
}

function maskBytes(m: tf.Tensor): Uint8Array {
  const v = m.dataSync();
  const out = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] !== 0 ? 1 : 0;
  return out;
}
