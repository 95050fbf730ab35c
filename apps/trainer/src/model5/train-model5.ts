import * as tf from '@tensorflow/tfjs';
import {
  featurizeClips,
  frameCount,
  logMelSize,
  LogMelAugmenter,
  type ClipInput,
  type FeatureConfig,
  type LogMelAugmentOptions,
} from '@digits/features';
import type { Model5Epoch } from '../run-files';
import {
  buildModel5,
  fit,
  KerasAdam,
  predictProbs,
  sparseCategoricalCrossentropy,
  type Model5Options,
} from '@digits/model';

/** Labelled log-mel rows: n rows of nMels * frames floats (band-major), labels 0-9 (10 = unknown). */
export interface LogMelRows {
  x: Float32Array;
  y: Int32Array;
  n: number;
}

/** Options of {@link trainModel5}. */
export interface TrainModel5Options {
  config: FeatureConfig;
  /** Passes over the training rows. Default 40. */
  epochs?: number;
  /** Rows per step. Default 64. */
  batchSize?: number;
  /** Peak Adam learning rate; warm-up over the first epoch, then cosine decay to 1% of it. Default 3e-3. */
  learningRate?: number;
  /** Seeds the weights, the batch order and the augmentation. Default 5. */
  seed?: number;
  /** Log-mel augmentation options, or false for none. */
  augment?: LogMelAugmentOptions | false;
  /** Network options (classes, widths, band limit). */
  model?: Model5Options;
  /** One line per epoch. */
  log?: (line: string) => void;
}

export type { Model5Epoch } from '../run-files';

/** The log-mels of clips at `config` (no notebook augmentation), from the feature cache when there. */
export async function logMelsOf(
  clips: readonly ClipInput[],
  config: FeatureConfig,
  cacheDir: string | null,
  threads?: number,
): Promise<Float32Array> {
  const batch = await featurizeClips(clips, { config, logMels: true, cacheDir, threads });
  return batch.logMels!;
}

/** Rows `idx` of `src` (rowSize floats each), copied into one array. */
export function gatherRows(src: Float32Array, rowSize: number, idx: readonly number[]): Float32Array {
  const out = new Float32Array(idx.length * rowSize);
  idx.forEach((r, k) => out.set(src.subarray(r * rowSize, (r + 1) * rowSize), k * rowSize));
  return out;
}

/**
 * Trains model 5 on log-mel rows: Adam (Keras update rule), batch 64, a fixed number of epochs with
 * warm-up and cosine decay (no early stopping, so no held-out data is looked at during training), fresh
 * log-mel augmentation of every row in every epoch. Returns the trained model and the epoch log.
 */
export async function trainModel5(
  rows: LogMelRows,
  opts: TrainModel5Options,
): Promise<{ model: tf.LayersModel; history: Model5Epoch[] }> {
  const { config } = opts;
  const epochs = opts.epochs ?? 40;
  const batchSize = opts.batchSize ?? 64;
  const peakLr = opts.learningRate ?? 3e-3;
  const seed = opts.seed ?? 5;
  const frames = frameCount(config);
  const rowSize = logMelSize(config);
  if (rows.x.length !== rows.n * rowSize)
    throw new Error(`trainModel5: ${rows.x.length} floats for ${rows.n} rows of ${rowSize}`);
  const classes = opts.model?.classes ?? 10;
  const model = buildModel5(config, { seed, ...opts.model, classes });
  const optimizer = new KerasAdam({ learningRate: peakLr });
  // KerasAdam reads its learning rate at every step; the schedule sets it per batch (readonly only in TS).
  const setLr = (lr: number) => {
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
  };
  const augmenter = opts.augment === false ? null : new LogMelAugmenter(config, frames, seed * 7919 + 1, opts.augment);
  const stepsPerEpoch = Math.ceil(rows.n / batchSize);
  const totalSteps = epochs * stepsPerEpoch;
  const history: Model5Epoch[] = [];
  let correct = 0;
  let lr = peakLr;
  await fit({
    rows: rows.n,
    batchSize,
    lastEpoch: epochs,
    shuffleSeed: (epoch) => seed * 1000 + epoch,
    onEpochStart: () => {
      correct = 0;
      lr = peakLr;
    },
    trainBatch: async ({ epoch, index, rows: idx }) => {
      const step = (epoch - 1) * stepsPerEpoch + index;
      lr =
        step < stepsPerEpoch
          ? (peakLr * (step + 1)) / stepsPerEpoch
          : peakLr *
            (0.01 +
              0.99 *
                0.5 *
                (1 + Math.cos((Math.PI * (step - stepsPerEpoch)) / Math.max(1, totalSteps - stepsPerEpoch))));
      setLr(lr);
      const xb = new Float32Array(idx.length * rowSize);
      idx.forEach((r, k) => {
        const row = rows.x.subarray(r * rowSize, (r + 1) * rowSize);
        xb.set(augmenter ? augmenter.augment(row) : row, k * rowSize);
      });
      const x = tf.tensor3d(xb, [idx.length, config.nMels, frames]);
      const y = tf.tensor1d(
        Int32Array.from(idx, (i) => rows.y[i]),
        'int32',
      );
      let predicted: tf.Tensor | undefined;
      const cost = optimizer.minimize(() => {
        const p = model.apply(x, { training: true }) as tf.Tensor;
        predicted = tf.keep(tf.argMax(p, -1));
        return tf.mean(sparseCategoricalCrossentropy(y, p)) as tf.Scalar;
      }, true)!;
      const [lossValue] = await cost.data();
      const pred = await predicted!.data();
      for (let k = 0; k < idx.length; k++) if (pred[k] === rows.y[idx[k]]) correct++;
      tf.dispose([x, y, cost, predicted!]);
      return lossValue;
    },
    onEpochEnd: ({ epoch, loss, startedAt }) => {
      const rec = {
        epoch,
        loss,
        accuracy: correct / rows.n,
        learningRate: lr,
        seconds: (performance.now() - startedAt) / 1000,
      };
      history.push(rec);
      opts.log?.(
        `model5 epoch ${epoch}/${epochs} - ${rec.seconds.toFixed(1)}s - loss: ${rec.loss.toFixed(4)} - acc (augmented): ${rec.accuracy.toFixed(4)} - lr: ${lr.toExponential(2)}`,
      );
    },
  });
  optimizer.dispose();
  return { model, history };
}

/** Softmax outputs of model 5 for log-mel rows (classes per row, row-major). */
export function predictLogMels(
  model: tf.LayersModel,
  x: Float32Array,
  n: number,
  config: FeatureConfig,
): Promise<Float32Array> {
  const rowSize = logMelSize(config);
  const frames = frameCount(config);
  return predictProbs(
    model,
    (start, count) =>
      tf.tensor3d(x.subarray(start * rowSize, (start + count) * rowSize), [count, config.nMels, frames]),
    n,
    64,
  );
}
