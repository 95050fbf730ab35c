/** Test helpers comparing a fused LSTM with tfjs's own tf.layers.lstm. Not part of the public API. */
import * as tf from '@tensorflow/tfjs';
import { FusedLstm, type FusedLstmStrategy } from '../layers/fused-lstm';
import { randomArray, seededUniform } from './numeric';
import { readTensor } from '../lstm/read-tensor';

export interface LstmCase {
  batch: number;
  steps: number;
  inputSize: number;
  units: number;
  returnSequences: boolean;
  /** 'none', random real lengths (padding at the end), or random holes anywhere. */
  mask: 'none' | 'lengths' | 'holes';
  seed: number;
}

export interface LstmRun {
  output: Float32Array;
  /** Gradients w.r.t. x, kernel, recurrent kernel, bias, of sum(output * R) for a fixed random R. */
  grads: Float32Array[];
}

export function caseInputs(c: LstmCase): {
  x: Float32Array;
  mask: Float32Array | null;
  weights: Float32Array[];
  r: Float32Array;
} {
  const { batch: B, steps: T, inputSize: d, units: n } = c;
  const x = randomArray(B * T * d, c.seed, -1, 1);
  let mask: Float32Array | null = null;
  if (c.mask !== 'none') {
    const rnd = seededUniform(c.seed + 7);
    mask = new Float32Array(B * T);
    for (let b = 0; b < B; b++) {
      const len = b === 0 ? T : Math.max(1, Math.floor(T * (0.3 + 0.7 * rnd())));
      for (let t = 0; t < T; t++) {
        const real = c.mask === 'lengths' ? t < len : rnd() > 0.3;
        mask[b * T + t] = real ? 1 : 0;
      }
    }
  }
  const weights = [
    randomArray(d * 4 * n, c.seed + 1, -0.5, 0.5),
    randomArray(n * 4 * n, c.seed + 2, -0.5, 0.5),
    randomArray(4 * n, c.seed + 3, -0.5, 0.5),
  ];
  const outSize = c.returnSequences ? B * T * n : B * n;
  return { x, mask, weights, r: randomArray(outSize, c.seed + 4, -1, 1) };
}

/** Runs tf.layers.lstm (Keras settings) or the fused layer on the case; returns output and gradients. */
export function runLstmCase(c: LstmCase, impl: 'stock' | FusedLstmStrategy): LstmRun {
  const { batch: B, steps: T, inputSize: d, units: n } = c;
  const inputs = caseInputs(c);
  const layer =
    impl === 'stock'
      ? tf.layers.lstm({
          units: n,
          returnSequences: c.returnSequences,
          recurrentActivation: 'sigmoid',
          unitForgetBias: true,
          // Never used (weights are set below); glorotUniform avoids the slow orthogonal init.
          recurrentInitializer: 'glorotUniform',
        })
      : new FusedLstm({ units: n, returnSequences: c.returnSequences, strategy: impl });
  const xVar = tf.tidy(() => tf.variable(tf.tensor3d(inputs.x, [B, T, d]), true));
  const mask = inputs.mask ? tf.tensor2d(inputs.mask, [B, T]) : null;
  const r = tf.tensor(inputs.r, c.returnSequences ? [B, T, n] : [B, n]);
  const apply = (): tf.Tensor =>
    impl === 'stock'
      ? (layer.apply(xVar, mask ? { mask } : {}) as tf.Tensor)
      : (layer.apply(mask ? [xVar, mask] : xVar) as tf.Tensor);
  tf.tidy(() => {
    apply();
  }); // builds the weights
  const weights = [
    tf.tensor2d(inputs.weights[0], [d, 4 * n]),
    tf.tensor2d(inputs.weights[1], [n, 4 * n]),
    tf.tensor1d(inputs.weights[2]),
  ];
  layer.setWeights(weights);
  tf.dispose(weights);
  const output = readTensor(apply);
  const vars = [xVar, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
  const { value, grads } = tf.variableGrads(() => tf.tidy(() => tf.sum(tf.mul(apply(), r))) as tf.Scalar, vars);
  const out = vars.map((v) => grads[v.name].dataSync() as Float32Array);
  tf.dispose([value, xVar, r, ...(mask ? [mask] : []), ...Object.values(grads)]);
  tf.dispose(layer.weights.map((w) => w.read()));
  return { output, grads: out };
}
