// The digit-string model: a causal temporal convolution over the speech front end's embedding sequence (one 96-d
// vector per 80 ms), eleven outputs per frame (the ten digits, then the CTC blank), trained with ctcLoss.
import * as tf from '@tensorflow/tfjs';
import { fit } from '../training/fit';
import { ctcLoss } from './ctc-loss';

/** Output classes of a string model: digits 0-9 are classes 0-9 (so a class is its digit), the blank is 10. */
export const STRING_CLASSES = 11;
/** The CTC blank's class index in a string model (the last, C - 1). */
export const STRING_BLANK = 10;

/** Options of {@link buildStringModel}. */
export interface StringModelOptions {
  /** Numbers per input frame. Default 96 (the speech embedding). */
  inputDim?: number;
  /** Units of the per-frame projection before the blocks. Default 64. */
  projection?: number;
  /** Units of the convolution blocks. Default [64, 64, 64]. */
  widths?: readonly number[];
  /** Frame spacing of each block's three taps (causal: the frame and the ones `d` and `2d` before). Default [1, 2, 4]. */
  dilations?: readonly number[];
  /** Dropout before the output layer, in [0, 1). Default 0.2. */
  dropout?: number;
  seed?: number;
}

/** Frames of past input (the frame itself included) that one output frame depends on. */
export function stringModelReceptiveField(dilations: readonly number[] = [1, 2, 4]): number {
  return 1 + dilations.reduce((s, d) => s + 2 * d, 0);
}

/**
 * A causal 1-D convolution over frames from stock layers (wasm has no Conv2D filter gradient; see
 * time-conv-net.ts): pad `2d` frames before, take three shifted crops, concatenate, one Dense. Output frame t
 * sees input frames t, t - d, t - 2d only, so a stream's outputs never change when later frames arrive.
 */
function causalConv(x: tf.SymbolicTensor, units: number, d: number, name: string, seed?: number): tf.SymbolicTensor {
  const pad = 2 * d;
  const padded = tf.layers
    .zeroPadding2d({
      padding: [
        [pad, 0],
        [0, 0],
      ],
      name: `${name}_pad`,
    })
    .apply(x) as tf.SymbolicTensor;
  const taps = [0, 1, 2].map(
    (j) =>
      tf.layers
        .cropping2D({
          cropping: [
            [j * d, pad - j * d],
            [0, 0],
          ],
          name: `${name}_tap${j}`,
        })
        .apply(padded) as tf.SymbolicTensor,
  );
  const stacked = tf.layers.concatenate({ axis: -1, name: `${name}_taps` }).apply(taps) as tf.SymbolicTensor;
  const dense = tf.layers
    .dense({ units, name: `${name}_dense`, kernelInitializer: tf.initializers.heNormal({ seed }) })
    .apply(stacked) as tf.SymbolicTensor;
  // No normalisation layer: batch norm would mix in the padding frames of shorter strings, and tfjs's layer
  // norm costs ~60x a whole block's training step on wasm (measured); the inputs are standardised instead.
  return tf.layers.reLU({ name: `${name}_relu` }).apply(dense) as tf.SymbolicTensor;
}

/**
 * The network: `logits` (B, T, 11) for training, `model` (B, T, 11) softmax probabilities to save and run. A
 * per-frame projection (96 -> `projection`, ReLU) first, then the causal blocks, then per-frame logits. The
 * projection takes standardised inputs while training; {@link foldFrameStandardisation} then rewrites it to take
 * the front end's raw embeddings (exact: it acts on each frame alone, before any padding).
 */
export function buildStringModel(opts: StringModelOptions = {}): { model: tf.LayersModel; logits: tf.LayersModel } {
  const dim = opts.inputDim ?? 96;
  const widths = opts.widths ?? [64, 64, 64];
  const dilations = opts.dilations ?? [1, 2, 4];
  if (dilations.length !== widths.length)
    throw new Error(`buildStringModel: ${widths.length} widths but ${dilations.length} dilations`);
  const input = tf.input({ shape: [null, dim], name: 'embedding_sequence' });
  let x = tf.layers
    .dense({
      units: opts.projection ?? 64,
      activation: 'relu',
      name: 'projection',
      kernelInitializer: tf.initializers.heNormal({ seed: opts.seed }),
    })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers
    .reshape({ targetShape: [-1, 1, opts.projection ?? 64], name: 'frames_4d' })
    .apply(x) as tf.SymbolicTensor;
  widths.forEach((units, i) => {
    x = causalConv(x, units, dilations[i], `block${i + 1}`, opts.seed === undefined ? undefined : opts.seed + i + 1);
  });
  x = tf.layers.dropout({ rate: opts.dropout ?? 0.2, name: 'dropout' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .dense({
      units: STRING_CLASSES,
      name: 'frame_logits',
      kernelInitializer: tf.initializers.glorotUniform({ seed: opts.seed }),
    })
    .apply(x) as tf.SymbolicTensor;
  const logitsOut = tf.layers
    .reshape({ targetShape: [-1, STRING_CLASSES], name: 'frame_logits_3d' })
    .apply(x) as tf.SymbolicTensor;
  const probs = tf.layers.softmax({ axis: -1, name: 'frame_probs' }).apply(logitsOut) as tf.SymbolicTensor;
  return {
    model: tf.model({ inputs: input, outputs: probs, name: 'ctc_digit_strings' }),
    logits: tf.model({ inputs: input, outputs: logitsOut, name: 'ctc_digit_strings_logits' }),
  };
}

/**
 * A model trained on standardised frames z = (x - mean) / sd, rewritten to take x: the projection's
 * W' = W / sd (per input row), b' = b - sum_j mean_j W'_j.
 */
export function foldFrameStandardisation(model: tf.LayersModel, mean: Float32Array, sd: Float32Array): void {
  const layer = model.getLayer('projection');
  const [kernel, bias] = layer.getWeights();
  const [dim, units] = kernel.shape;
  const w = kernel.dataSync();
  const b = Float32Array.from(bias.dataSync());
  const w2 = new Float32Array(w.length);
  for (let j = 0; j < dim; j++)
    for (let u = 0; u < units; u++) {
      w2[j * units + u] = w[j * units + u] / sd[j];
      b[u] -= mean[j] * w2[j * units + u];
    }
  layer.setWeights([tf.tensor2d(w2, [dim, units]), tf.tensor1d(b)]);
}

/** One training or test sequence: frames x dim embeddings and its digits. */
export interface LabelledSequence {
  /** frames x dim, row-major. */
  x: Float32Array;
  frames: number;
  labels: readonly number[];
}

/** Options of {@link trainStringModel}. */
export interface TrainStringModelOptions extends StringModelOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed: number;
  /** After each epoch: its mean training loss (nats per string); return true to stop. */
  onEpochEnd?: (epoch: number, loss: number) => Promise<boolean | void> | boolean | void;
  onBatchEnd?: (index: number, batches: number, meanLoss: number) => void;
}

/** Per-dimension mean and standard deviation over every frame of the sequences. */
export function frameStats(seqs: readonly LabelledSequence[], dim: number): { mean: Float32Array; sd: Float32Array } {
  const sum = new Float64Array(dim);
  const sq = new Float64Array(dim);
  let n = 0;
  for (const s of seqs)
    for (let t = 0; t < s.frames; t++) {
      for (let j = 0; j < dim; j++) {
        const v = s.x[t * dim + j];
        sum[j] += v;
        sq[j] += v * v;
      }
      n++;
    }
  const mean = new Float32Array(dim);
  const sd = new Float32Array(dim);
  for (let j = 0; j < dim; j++) {
    mean[j] = sum[j] / Math.max(1, n);
    sd[j] = Math.sqrt(Math.max(0, sq[j] / Math.max(1, n) - mean[j] ** 2) + 1e-6);
  }
  return { mean, sd };
}

/** A batch padded to its longest sequence: (B, T, dim) input and the CTC label arrays. */
export function padBatch(seqs: readonly LabelledSequence[], dim: number) {
  const B = seqs.length;
  const T = Math.max(1, ...seqs.map((s) => s.frames));
  const L = Math.max(1, ...seqs.map((s) => s.labels.length));
  const x = new Float32Array(B * T * dim);
  const labels = new Int32Array(B * L);
  seqs.forEach((s, b) => {
    x.set(s.x.subarray(0, s.frames * dim), b * T * dim);
    s.labels.forEach((l, i) => (labels[b * L + i] = l));
  });
  return {
    x,
    shape: [B, T, dim] as [number, number, number],
    ctc: {
      labels,
      labelLengths: seqs.map((s) => s.labels.length),
      inputLengths: seqs.map((s) => s.frames),
    },
  };
}

/**
 * Trains a string model on labelled embedding sequences with Adam and the CTC loss (mean over the batch's
 * strings), through the project's training loop (seeded batch order). Sequences whose labels cannot fit their
 * frames add nothing (zeroInfinity). Returns the probability model.
 */
export async function trainStringModel(
  seqs: readonly LabelledSequence[],
  opts: TrainStringModelOptions,
): Promise<tf.LayersModel> {
  if (seqs.length === 0) throw new Error('trainStringModel: no training sequences');
  const dim = opts.inputDim ?? 96;
  const { mean, sd } = frameStats(seqs, dim);
  const standardised = seqs.map((q) => {
    const z = new Float32Array(q.frames * dim);
    for (let t = 0; t < q.frames; t++)
      for (let j = 0; j < dim; j++) z[t * dim + j] = (q.x[t * dim + j] - mean[j]) / sd[j];
    return { ...q, x: z };
  });
  const { model, logits } = buildStringModel({ ...opts, inputDim: dim });
  const optimizer = tf.train.adam(opts.learningRate ?? 2e-3);
  await fit({
    rows: seqs.length,
    batchSize: opts.batchSize ?? 32,
    lastEpoch: opts.epochs ?? 30,
    shuffleSeed: (epoch) => opts.seed * 1000 + epoch,
    trainBatch: async ({ rows }) => {
      const batch = padBatch(
        rows.map((r) => standardised[r]),
        dim,
      );
      const loss = tf.tidy(() => {
        const xt = tf.tensor3d(batch.x, batch.shape);
        return optimizer.minimize(() => {
          const out = logits.apply(xt, { training: true }) as tf.Tensor3D;
          return tf.mean(ctcLoss(out, batch.ctc, { blank: STRING_BLANK, zeroInfinity: true })) as tf.Scalar;
        }, true)!;
      });
      const [v] = await loss.data();
      loss.dispose();
      return v;
    },
    onBatchEnd: ({ index, batches }, meanLoss) => opts.onBatchEnd?.(index, batches, meanLoss),
    onEpochEnd: ({ epoch, loss }) => opts.onEpochEnd?.(epoch, loss),
  });
  optimizer.dispose();
  foldFrameStandardisation(model, mean, sd);
  return model;
}

/** Frame probabilities (frames x 11) of one sequence. */
export function stringFrameProbs(model: tf.LayersModel, x: Float32Array, frames: number, dim = 96): Float32Array {
  if (frames === 0) return new Float32Array(0);
  return tf
    .tidy(() => (model.predict(tf.tensor3d(x, [1, frames, dim])) as tf.Tensor).dataSync() as Float32Array)
    .slice();
}
