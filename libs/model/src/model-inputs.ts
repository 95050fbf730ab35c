import * as tf from '@tensorflow/tfjs';
import { DEFAULT_FEATURE_CONFIG, frameCount, type FeatureConfig } from '@digits/features';
import { buildRawModel, buildSpectrogramModel } from './architectures';

/**
 * What a model sees: the padded raw signal with its mask (models 1, 3), the log-mel (models 2, 4, 5) or a
 * pooled speech embedding (the speech-embedding model).
 */
export type InputKind = 'raw' | 'logmel' | 'embedding';

/** Rows of network inputs: n rows of rowSize floats, row-major (padded signals or band-major log-mels). */
export interface InputRows {
  x: Float32Array;
  n: number;
  rowSize: number;
}

/** Builds the notebook's model for an input kind, shaped by the feature config. */
export function buildModelForInput(
  kind: 'raw' | 'logmel',
  config: FeatureConfig,
  opts: { seed?: number } = {},
): tf.LayersModel {
  return kind === 'raw'
    ? buildRawModel({ steps: config.length, seed: opts.seed })
    : buildSpectrogramModel({ bands: config.nMels, frames: frameCount(config), seed: opts.seed });
}

/**
 * Tensors for rows [start, start + n): raw -> [x (n, L, 1), mask (n, L) bool with mask = x != 0, as the
 * notebook's `padded != 0`]; logmel -> (n, nMels, frames).
 */
export function toModelInputs(
  kind: InputKind,
  rows: InputRows,
  start: number,
  n: number,
  config: FeatureConfig = DEFAULT_FEATURE_CONFIG,
): tf.Tensor | tf.Tensor[] {
  if (start < 0 || start + n > rows.n)
    throw new Error(`toModelInputs: rows ${start}..${start + n} outside 0..${rows.n}`);
  const x = rows.x.subarray(start * rows.rowSize, (start + n) * rows.rowSize);
  if (kind === 'raw') {
    const mask = new Uint8Array(x.length);
    for (let i = 0; i < x.length; i++) mask[i] = x[i] !== 0 ? 1 : 0;
    return [tf.tensor3d(x, [n, rows.rowSize, 1]), tf.tensor2d(mask, [n, rows.rowSize], 'bool')];
  }
  if (kind === 'embedding') return tf.tensor2d(x, [n, rows.rowSize]);
  const frames = rows.rowSize / config.nMels;
  if (!Number.isInteger(frames))
    throw new Error(
      `toModelInputs: a log-mel row of ${rows.rowSize} values does not divide into ${config.nMels} mel bands`,
    );
  return tf.tensor3d(x, [n, config.nMels, frames]);
}

/**
 * Softmax outputs for `total` rows, computed `batchSize` rows at a time (Keras's predict default is
 * 32); `inputsFor(start, n)` makes each batch's input tensors, which are disposed here.
 * @returns total x classes probabilities, row-major.
 */
export async function predictProbs(
  model: tf.LayersModel,
  inputsFor: (start: number, n: number) => tf.Tensor | tf.Tensor[],
  total: number,
  batchSize = 32,
): Promise<Float32Array> {
  const classes = model.outputs[0].shape[model.outputs[0].shape.length - 1] as number;
  const out = new Float32Array(total * classes);
  for (let start = 0; start < total; start += batchSize) {
    const n = Math.min(batchSize, total - start);
    const inputs = inputsFor(start, n);
    const y = tf.tidy(() => model.predict(inputs) as tf.Tensor);
    out.set((await y.data()) as Float32Array, start * classes);
    tf.dispose([y, inputs]);
    // Let the event loop run between batches (signals, I/O): wasm's data() resolves as a microtask.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}
