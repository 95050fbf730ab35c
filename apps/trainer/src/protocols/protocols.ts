import { officialSplit, stratifiedSplit, type SplitItem } from '@digits/dataset';
import {
  ProtocolNameSchema,
  type FoldResult,
  type ProtocolName,
  type ProtocolResult,
  type UnknownRejectionFigures,
} from '../run-files';

export type { FoldResult, ProtocolName, ProtocolResult, UnknownRejectionFigures } from '../run-files';

/**
 * Evaluation protocols: how clips are divided between training and testing.
 * - `loso`: leave-one-speaker-out. One fold per speaker: train on the others, test on every clip of that
 *   speaker. Measures what a new voice gets; the figure is the mean of the per-speaker accuracies.
 * - `random`: the trainer's seeded stratified split (seed 33: 1,600 / 400). Every speaker and most
 *   takes are in both sets, so it says little about new voices.
 * - `official`: FSDD's own split, takes 0-4 of every digit and speaker in the test set (1,800 / 200).
 */
export const PROTOCOLS: readonly ProtocolName[] = ProtocolNameSchema.options;

/** One train/test division of a protocol. */
export interface ProtocolFold<T> {
  /** e.g. `random`, `official`, `loso:theo`. */
  name: string;
  /** The held-out speaker of a LOSO fold. */
  heldOutSpeaker?: string;
  train: T[];
  test: T[];
}

/** Parses a --protocol value: one name, a comma list, or `all`. */
export function parseProtocols(spec: string): ProtocolName[] {
  const s = spec.trim().toLowerCase();
  if (s === 'all') return [...PROTOCOLS];
  const out: ProtocolName[] = [];
  for (const p of s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    if (!(PROTOCOLS as readonly string[]).includes(p))
      throw new Error(`--protocol: expected loso, random, official or all; got "${p}"`);
    if (!out.includes(p as ProtocolName)) out.push(p as ProtocolName);
  }
  if (out.length === 0) throw new Error('--protocol: expected loso, random, official or all');
  return out;
}

/** The folds of a protocol over `clips`: one for random and official, one per speaker for loso. */
export function protocolFolds<T extends SplitItem>(
  clips: readonly T[],
  protocol: ProtocolName,
  opts: { seed?: number } = {},
): ProtocolFold<T>[] {
  if (protocol === 'random') return [{ name: 'random', ...stratifiedSplit(clips, { seed: opts.seed }) }];
  if (protocol === 'official') return [{ name: 'official', ...officialSplit(clips) }];
  const speakers = [...new Set(clips.map((c) => c.speaker))].sort();
  if (speakers.length < 2)
    throw new Error(`loso: needs at least two speakers, the clips have ${speakers.join(', ') || 'none'}`);
  return speakers.map((s) => ({
    name: `loso:${s}`,
    heldOutSpeaker: s,
    train: clips.filter((c) => c.speaker !== s),
    test: clips.filter((c) => c.speaker === s),
  }));
}

/** A trained model as the protocol runner sees it: predicted digit per clip. */
export interface FoldClassifier<T> {
  predict(clips: readonly T[]): Promise<ArrayLike<number>>;
  /** For models that can reject: unknown rejection at the threshold keeping 97% of these test digits. */
  unknownRejection?(clips: readonly T[]): Promise<UnknownRejectionFigures>;
  dispose?(): void;
}

/** Trains a model on a fold's training clips (it must not look at fold.test) and returns it. */
export type TrainForFold<T> = (train: readonly T[], fold: ProtocolFold<T>) => Promise<FoldClassifier<T>>;

/** Runs one protocol: trains on each fold's training clips with `train` and scores its test clips. */
export async function runProtocol<T extends SplitItem>(
  clips: readonly T[],
  protocol: ProtocolName,
  train: TrainForFold<T>,
  opts: {
    seed?: number;
    log?: (line: string) => void;
    onlyFolds?: readonly string[];
    /** A fold's result recorded earlier, to reuse instead of training again (resuming). */
    recorded?: (fold: ProtocolFold<T>) => FoldResult | undefined;
    /** Called after each trained fold (e.g. to save it at once). */
    onFold?: (result: FoldResult) => Promise<void>;
  } = {},
): Promise<ProtocolResult> {
  let folds = protocolFolds(clips, protocol, opts);
  if (opts.onlyFolds?.length)
    folds = folds.filter((f) => opts.onlyFolds!.includes(f.name) || opts.onlyFolds!.includes(f.heldOutSpeaker ?? ''));
  const results: FoldResult[] = [];
  for (const fold of folds) {
    const old = opts.recorded?.(fold);
    if (old) {
      opts.log?.(`${fold.name}: accuracy ${old.accuracy} recorded earlier; not trained again`);
      results.push(old);
      continue;
    }
    const t0 = performance.now();
    opts.log?.(`${fold.name}: training on ${fold.train.length} clips, testing on ${fold.test.length}`);
    const classifier = await train(fold.train, fold);
    const predicted = await classifier.predict(fold.test);
    const unknown = await classifier.unknownRejection?.(fold.test);
    classifier.dispose?.();
    let correct = 0;
    fold.test.forEach((c, i) => {
      if (predicted[i] === c.digit) correct++;
    });
    const r: FoldResult = {
      name: fold.name,
      ...(fold.heldOutSpeaker ? { heldOutSpeaker: fold.heldOutSpeaker } : {}),
      nTrain: fold.train.length,
      nTest: fold.test.length,
      correct,
      accuracy: round4(correct / fold.test.length),
      seconds: Math.round((performance.now() - t0) / 100) / 10,
      ...(unknown ? { unknown } : {}),
    };
    opts.log?.(
      `${fold.name}: accuracy ${r.accuracy} (${correct}/${fold.test.length}) in ${r.seconds} s` +
        (unknown ? `; unknowns rejected ${unknown.unknownsRejected} keeping ${unknown.digitsKept} of the digits` : ''),
    );
    results.push(r);
    await opts.onFold?.(r);
  }
  return summariseProtocol(protocol, results);
}

/** The protocol's summary figures from its folds. */
export function summariseProtocol(protocol: ProtocolName, folds: FoldResult[]): ProtocolResult {
  const n = folds.reduce((s, f) => s + f.nTest, 0);
  const correct = folds.reduce((s, f) => s + f.correct, 0);
  return {
    protocol,
    folds,
    meanAccuracy: round4(folds.reduce((s, f) => s + f.correct / f.nTest, 0) / Math.max(1, folds.length)),
    pooledAccuracy: round4(correct / Math.max(1, n)),
    minAccuracy: round4(Math.min(...folds.map((f) => f.correct / f.nTest))),
    ...(folds.every((f) => f.unknown)
      ? {
          meanUnknownsRejected: round4(
            folds.reduce((s, f) => s + f.unknown!.unknownsRejected, 0) / Math.max(1, folds.length),
          ),
        }
      : {}),
  };
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
