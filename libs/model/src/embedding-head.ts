import * as tf from '@tensorflow/tfjs';
import { fit } from './training/fit';
import { sparseCategoricalCrossentropy } from './training/compile';

/**
 * The speech-embedding model's network: softmax regression over a pooled embedding (mean + max of the
 * windows around an utterance). Measured (../shared/notes/speech-embedding.md): a hidden layer does not
 * help this head; the pretrained front end does the work. The input standardisation is folded into the
 * weights when training ends (see foldStandardisation), so the saved model takes raw pooled vectors.
 */
export function buildEmbeddingHead(inputDim: number, classes: number, opts: { seed?: number } = {}): tf.LayersModel {
  const x = tf.input({ shape: [inputDim], name: 'pooled_embedding' });
  const y = tf.layers
    .dense({
      units: classes,
      activation: 'softmax',
      name: 'digit_softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: opts.seed }),
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y, name: 'speech_embedding_head' });
}

/** Per-column mean and standard deviation of n x dim rows. */
export function columnStats(x: Float32Array, dim: number): { mean: Float32Array; sd: Float32Array } {
  const n = x.length / dim;
  const mean = new Float32Array(dim);
  const sd = new Float32Array(dim);
  for (let r = 0; r < n; r++) for (let j = 0; j < dim; j++) mean[j] += x[r * dim + j] / n;
  for (let r = 0; r < n; r++) for (let j = 0; j < dim; j++) sd[j] += (x[r * dim + j] - mean[j]) ** 2 / n;
  for (let j = 0; j < dim; j++) sd[j] = Math.sqrt(sd[j] + 1e-6);
  return { mean, sd };
}

/**
 * A model trained on standardised inputs z = (x - mean) / sd, rewritten to take x itself:
 * W' = W / sd (per input row), b' = b - sum_j mean_j W'_j.
 */
export function foldStandardisation(model: tf.LayersModel, mean: Float32Array, sd: Float32Array): void {
  const dense = model.getLayer('digit_softmax');
  const [kernel, bias] = dense.getWeights();
  const [dim, classes] = kernel.shape;
  const w = kernel.dataSync();
  const b = Float32Array.from(bias.dataSync());
  const w2 = new Float32Array(w.length);
  for (let j = 0; j < dim; j++) {
    for (let c = 0; c < classes; c++) {
      w2[j * classes + c] = w[j * classes + c] / sd[j];
      b[c] -= mean[j] * w2[j * classes + c];
    }
  }
  dense.setWeights([tf.tensor2d(w2, [dim, classes]), tf.tensor1d(b)]);
}

export interface TrainEmbeddingHeadOptions {
  classes: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  l2?: number;
  seed: number;
  onEpochEnd?: (epoch: number, loss: number) => void;
}

/**
 * Trains the head on pooled vectors (n x dim) and labels with Adam, through the project's one training loop
 * (seeded order), then folds the standardisation in. Defaults: 60 epochs of 64, learning rate 0.01, L2 1e-3.
 */
export async function trainEmbeddingHead(
  x: Float32Array,
  y: Int32Array,
  dim: number,
  opts: TrainEmbeddingHeadOptions,
): Promise<tf.LayersModel> {
  const n = y.length;
  if (n === 0) throw new Error('trainEmbeddingHead: no training rows');
  const { mean, sd } = columnStats(x, dim);
  const z = new Float32Array(x.length);
  for (let r = 0; r < n; r++) for (let j = 0; j < dim; j++) z[r * dim + j] = (x[r * dim + j] - mean[j]) / sd[j];
  const model = buildEmbeddingHead(dim, opts.classes, { seed: opts.seed });
  const l2 = opts.l2 ?? 1e-3;
  const kernel = model.getLayer('digit_softmax').trainableWeights[0];
  const optimizer = tf.train.adam(opts.learningRate ?? 0.01);
  const batchSize = opts.batchSize ?? 64;
  await fit({
    rows: n,
    batchSize,
    lastEpoch: opts.epochs ?? 60,
    shuffleSeed: (epoch) => opts.seed * 1000 + epoch,
    trainBatch: async ({ rows }) => {
      const xb = new Float32Array(rows.length * dim);
      rows.forEach((r, k) => xb.set(z.subarray(r * dim, (r + 1) * dim), k * dim));
      const loss = tf.tidy(() => {
        const xt = tf.tensor2d(xb, [rows.length, dim]);
        const yt = tf.tensor1d(
          Int32Array.from(rows, (r) => y[r]),
          'int32',
        );
        return optimizer.minimize(() => {
          const p = model.apply(xt, { training: true }) as tf.Tensor;
          // Keras' L2 regulariser on the kernel: l2 * sum(w^2).
          const reg = tf.mul(l2, tf.sum(tf.square(kernel.read())));
          return tf.add(tf.mean(sparseCategoricalCrossentropy(yt, p)), reg) as tf.Scalar;
        }, true)!;
      });
      const [v] = await loss.data();
      loss.dispose();
      return v;
    },
    onEpochEnd: ({ epoch, loss }) => opts.onEpochEnd?.(epoch, loss),
  });
  optimizer.dispose();
  foldStandardisation(model, mean, sd);
  return model;
}
