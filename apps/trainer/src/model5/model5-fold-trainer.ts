import type * as tf from '@tensorflow/tfjs';
import type { Clip } from '@digits/dataset';
import { logMelSize, type FeatureConfig } from '@digits/features';
import { argmaxRows } from '@digits/model';
import type { FoldClassifier, ProtocolFold } from '../protocols/protocols';
import {
  gatherRows,
  logMelsOf,
  predictLogMels,
  trainModel5,
  type Model5Epoch,
  type TrainModel5Options,
} from './train-model5';
import { readUnknowns, reversedRows, UNKNOWN_CLASS } from './unknown-data';
import { foldUnknownRejection, topProbabilities } from './unknown-rejection';

/** A fold's trained model 5, with its epoch log (for run folders). */
export interface Model5FoldClassifier extends FoldClassifier<Clip> {
  history: Model5Epoch[];
}

/** Trains model 5 on a fold's training clips (a TrainForFold whose classifier also gives its epoch log). */
export type Model5TrainForFold = (train: readonly Clip[], fold: ProtocolFold<Clip>) => Promise<Model5FoldClassifier>;

/** Digit predictions and top digit probability of softmax rows (an unknown class counts as no digit). */
export function digitDecisions(probs: Float32Array, classes: number): { digit: Int32Array; top: Float32Array } {
  const digitsOnly = classes > 10 ? Float32Array.from(probs, (p, i) => (i % classes >= 10 ? 0 : p)) : probs;
  return { digit: argmaxRows(digitsOnly, classes), top: topProbabilities(digitsOnly, classes) };
}

/**
 * A protocol training callback for model 5. The log-mels of every clip are computed once (or read from
 * the feature cache) and each fold trains a fresh model 5 on its training rows only. With `unknownsDir`,
 * the model gets an 11th class trained on the unknowns of manifest group a plus time-reversed training
 * digits, and each fold also reports unknown rejection on group b (words and sound kinds never trained on)
 * at the threshold that keeps 97% of that fold's test digits.
 */
export async function model5FoldTrainer(
  allClips: readonly Clip[],
  opts: Omit<TrainModel5Options, 'config'> & {
    config: FeatureConfig;
    cacheDir: string | null;
    /** Clips added to every fold's training set (e.g. synthetic voices); never tested on. */
    extraTrain?: readonly Clip[];
    /** Folder of tools/unknowns/generate-unknowns.ts: train an unknown class (group a), measure on group b. */
    unknownsDir?: string;
    /** Called with each fold's trained model (e.g. to save it) before it is measured. */
    onTrained?: (model: tf.LayersModel, classes: number, fold: ProtocolFold<Clip>) => Promise<void>;
  },
): Promise<Model5TrainForFold> {
  const { config } = opts;
  const rowSize = logMelSize(config);
  const extra = opts.extraTrain ?? [];
  const logMels = await logMelsOf(allClips, config, opts.cacheDir);
  const extraMels = extra.length ? await logMelsOf(extra, config, opts.cacheDir) : new Float32Array(0);
  const unknownTrain = opts.unknownsDir ? readUnknowns(opts.unknownsDir, 'a') : undefined;
  const unknownTest = opts.unknownsDir ? readUnknowns(opts.unknownsDir, 'b') : undefined;
  const unknownTrainMels = unknownTrain
    ? await logMelsOf(unknownTrain.clips, config, opts.cacheDir)
    : new Float32Array(0);
  const unknownTestMels = unknownTest ? await logMelsOf(unknownTest.clips, config, opts.cacheDir) : new Float32Array(0);
  const classes = unknownTrain ? 11 : 10;
  const rowOf = new Map(allClips.map((c, i) => [c.name, i]));
  const rowsFor = (clips: readonly Clip[]) =>
    clips.map((c) => {
      const r = rowOf.get(c.name);
      if (r === undefined) throw new Error(`model5: ${c.name} was not featurised`);
      return r;
    });
  return async (train, fold): Promise<Model5FoldClassifier> => {
    const idx = rowsFor(train);
    const parts: { x: Float32Array; y: ArrayLike<number> }[] = [
      { x: gatherRows(logMels, rowSize, idx), y: train.map((c) => c.digit) },
      { x: extraMels, y: extra.map((c) => c.digit) },
    ];
    if (unknownTrain) {
      parts.push({ x: unknownTrainMels, y: unknownTrain.clips.map(() => UNKNOWN_CLASS) });
      // A quarter of the training digits, time-reversed, as further unknowns in the fold's own voices.
      const some = idx.filter((_, k) => k % 4 === 0);
      parts.push({ x: reversedRows(logMels, some, config), y: some.map(() => UNKNOWN_CLASS) });
    }
    const n = parts.reduce((s, p) => s + p.y.length, 0);
    const x = new Float32Array(n * rowSize);
    const y = new Int32Array(n);
    let at = 0;
    for (const p of parts) {
      x.set(p.x, at * rowSize);
      y.set(Array.from(p.y), at);
      at += p.y.length;
    }
    const { model, history } = await trainModel5({ x, y, n }, { ...opts, model: { ...opts.model, classes } });
    await opts.onTrained?.(model, classes, fold);
    const probsOf = async (test: readonly Clip[]) => {
      const ti = rowsFor(test);
      return predictLogMels(model, gatherRows(logMels, rowSize, ti), ti.length, config);
    };
    return {
      history,
      predict: async (test) => digitDecisions(await probsOf(test), classes).digit,
      unknownRejection: unknownTest
        ? async (test) => {
            const d = digitDecisions(await probsOf(test), classes);
            const u = digitDecisions(
              await predictLogMels(model, unknownTestMels, unknownTest.clips.length, config),
              classes,
            );
            return foldUnknownRejection(test, d, u, unknownTest.entries);
          }
        : undefined,
      dispose: () => model.dispose(),
    };
  };
}
