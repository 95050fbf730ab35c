import * as tf from '@tensorflow/tfjs';
import type { FeatureConfig } from '@digits/features';
import {
  EarlyStopping,
  KerasAdam,
  argmaxRows,
  buildModelForInput,
  f1Micro,
  fit,
  loadCheckpoint,
  lstmThreadsReady,
  modelSummary,
  predictProbs,
  saveCheckpoint,
  saveModelDir,
  sparseCategoricalCrossentropy,
  toModelInputs,
  type EarlyStoppingState,
} from '@digits/model';
import type { Experiment } from './experiments';
import type { ExperimentData, SplitArrays } from './experiment-data';
import type { RunFolder } from './run-folder';
import type { EpochRecord, ExperimentResult } from './run-files';
import { openRunWriters } from '@digits/tensorboard';
import { startProgress } from './progress';
import { classificationReport } from './classification-report';

export type { EpochRecord } from './run-files';

/** What a checkpoint remembers besides the weights, so --resume continues the same training. */
interface TrainState {
  epochsDone: number;
  history: EpochRecord[];
  earlyStopping: EarlyStoppingState;
  stopped: boolean;
  seconds: number;
  /** The last epoch's predicted digit per test clip (split order), for the confusion matrix. */
  testPredicted: number[];
}

export interface TrainOptions {
  run: RunFolder;
  seed: number;
  maxEpochs: number;
  featureConfig: FeatureConfig;
  log: (line: string) => void;
}

const LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
/** Keras' model.predict default batch size. */
const PREDICT_BATCH = 32;

/**
 * Trains one experiment as the notebook does: Adam, sparse categorical cross-entropy, shuffled
 * batches every epoch, F1 micro on the whole train and test sets after each epoch, EarlyStopping on
 * val_loss (the last weights are kept). Each finished epoch is checkpointed; a checkpoint found in
 * the model's folder is continued from, not restarted.
 */
export async function trainExperiment(
  exp: Experiment,
  data: ExperimentData,
  opts: TrainOptions,
): Promise<ExperimentResult> {
  const { run, log } = opts;
  const ckptDir = run.path(exp.slug, 'checkpoint');
  const model = buildModelForInput(exp.input, opts.featureConfig, { seed: opts.seed + exp.id });
  // Adam with tf.keras's update rule and defaults (tfjs's Adam places epsilon differently).
  const optimizer = new KerasAdam({ learningRate: exp.learningRate });
  let state: TrainState = {
    epochsDone: 0,
    history: [],
    earlyStopping: new EarlyStopping({
      minDelta: exp.earlyStopping.minDelta,
      patience: exp.earlyStopping.patience,
    }).state(),
    stopped: false,
    seconds: 0,
    testPredicted: [],
  };
  const resumed = await loadCheckpoint(ckptDir, model, optimizer);
  if (resumed) {
    state = resumed.extra as unknown as TrainState;
    log(`resuming #${exp.id} after epoch ${state.epochsDone}`);
  } else {
    log(modelSummary(model));
  }
  const stopper = EarlyStopping.fromState(state.earlyStopping);
  const writers = openRunWriters(run.path(exp.slug));
  // Every batch split over the same threads from the first: a seeded run then repeats exactly.
  await lstmThreadsReady();

  try {
    if (!state.stopped) {
      let progress: ReturnType<typeof startProgress> | undefined;
      await fit({
        rows: data.train.n,
        batchSize: exp.batchSize,
        firstEpoch: state.epochsDone + 1,
        lastEpoch: opts.maxEpochs,
        shuffleSeed: (epoch) => opts.seed * 1000 + epoch,
        trainBatch: (batch) => trainBatch(model, optimizer, exp, data.train, batch.rows, opts.featureConfig),
        onEpochStart: (epoch, batches) => {
          progress = startProgress(`Epoch ${epoch}/${opts.maxEpochs}`, batches);
        },
        onBatchEnd: (batch, meanLoss) => progress?.update(batch.index + 1, { loss: meanLoss.toFixed(4) }),
        onEpochEnd: async ({ epoch, loss, startedAt }) => {
          progress?.stop();
          const trainProbs = await predictProbs(
            model,
            (i, n) => toModelInputs(exp.input, data.train, i, n, opts.featureConfig),
            data.train.n,
            PREDICT_BATCH,
          );
          const testProbs = await predictProbs(
            model,
            (i, n) => toModelInputs(exp.input, data.test, i, n, opts.featureConfig),
            data.test.n,
            PREDICT_BATCH,
          );
          const rec: EpochRecord = {
            epoch,
            loss,
            val_loss: meanCrossEntropy(testProbs, data.test.y),
            f1: round4(f1Micro(data.train.y, argmaxRows(trainProbs))),
            val_f1: round4(f1Micro(data.test.y, argmaxRows(testProbs))),
            seconds: (performance.now() - startedAt) / 1000,
          };
          state.history.push(rec);
          state.testPredicted = Array.from(argmaxRows(testProbs));
          state.epochsDone = epoch;
          state.seconds += rec.seconds;
          state.stopped = stopper.update(rec.val_loss);
          state.earlyStopping = stopper.state();
          log(
            `Epoch ${epoch}/${opts.maxEpochs} - ${rec.seconds.toFixed(1)}s - loss: ${rec.loss.toFixed(4)} - ` +
              `val_loss: ${rec.val_loss.toFixed(4)} - f1: ${rec.f1} - val_f1: ${rec.val_f1}` +
              (state.stopped
                ? ` - early stopping (val_loss did not improve by ${exp.earlyStopping.minDelta} for ${exp.earlyStopping.patience} epoch(s))`
                : ''),
          );
          writers.train.addScalar('epoch_loss', rec.loss, epoch);
          writers.train.addScalar('epoch_f1', rec.f1, epoch);
          writers.validation.addScalar('epoch_loss', rec.val_loss, epoch);
          writers.validation.addScalar('epoch_f1', rec.val_f1, epoch);
          return state.stopped;
        },
        // Checkpoint first, then the log that mirrors it: a kill between the two loses no epoch.
        checkpoint: async () => {
          await saveCheckpoint(ckptDir, model, optimizer, state as unknown as Record<string, unknown>);
          run.writeJsonLines(state.history, exp.slug, 'epochs.jsonl');
        },
      });
    }
  } finally {
    writers.train.close();
    writers.validation.close();
  }

  const last = state.history[state.history.length - 1];
  const result: ExperimentResult = {
    id: exp.id,
    slug: exp.slug,
    title: exp.title,
    trainLoss: last.loss,
    valLoss: last.val_loss,
    trainF1: last.f1,
    valF1: last.val_f1,
    epochs: state.epochsDone,
    seconds: state.seconds,
    stoppedEarly: state.stopped && state.epochsDone < opts.maxEpochs,
  };
  await saveModelDir(model, run.path(exp.slug, 'model'), {
    featureConfig: opts.featureConfig,
    labels: LABELS,
    extra: { experiment: exp.id, slug: exp.slug, title: exp.title, input: exp.input, result },
  });
  const test = classificationReport(data.test.y, state.testPredicted);
  run.writeJson(
    { ...result, history: state.history, test, testPredicted: state.testPredicted },
    exp.slug,
    'metrics.json',
  );
  model.dispose();
  optimizer.dispose();
  return result;
}

/** One optimizer step on training rows `idx`; returns Keras' batch loss (the mean per-sample cross-entropy). */
async function trainBatch(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  exp: Experiment,
  train: SplitArrays,
  idx: number[],
  featureConfig: FeatureConfig,
): Promise<number> {
  const rows = gatherRows(train, idx);
  const inputs = toModelInputs(exp.input, rows, 0, idx.length, featureConfig);
  const labels = tf.tensor1d(
    Int32Array.from(idx, (i) => train.y[i]),
    'int32',
  );
  const cost = optimizer.minimize(
    // Keras's loss: the batch mean of the per-sample cross-entropy.
    () =>
      tf.mean(sparseCategoricalCrossentropy(labels, model.apply(inputs, { training: true }) as tf.Tensor)) as tf.Scalar,
    true,
  )!;
  const batchLoss = (await cost.data())[0];
  tf.dispose([cost, labels, inputs]);
  return batchLoss;
}

function gatherRows(src: SplitArrays, idx: number[]): SplitArrays {
  const x = new Float32Array(idx.length * src.rowSize);
  idx.forEach((r, k) => x.set(src.x.subarray(r * src.rowSize, (r + 1) * src.rowSize), k * src.rowSize));
  return { x, y: Int32Array.from(idx, (i) => src.y[i]), n: idx.length, rowSize: src.rowSize };
}

/** val_loss as Keras reports it: the mean sparse categorical cross-entropy (probabilities clipped at 1e-7). */
function meanCrossEntropy(probs: Float32Array, y: Int32Array, classes = 10): number {
  let sum = 0;
  for (let r = 0; r < y.length; r++) sum -= Math.log(Math.min(1 - 1e-7, Math.max(1e-7, probs[r * classes + y[r]])));
  return sum / y.length;
}

/** The notebook rounds its F1 figures to 4 decimals (np.round). */
function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
