import { NOTEBOOK_AUGMENTATIONS, featurizeClips, logMelSize, type FeatureConfig } from '@digits/features';
import type { Experiment } from './experiments';
import { startProgress } from './progress';

/** A labelled clip as the trainer needs it (the dataset's Clip satisfies this). */
export interface LabelledClip {
  name: string;
  digit: number | null;
  bytes: Uint8Array;
}

/** One split's network inputs: n rows of rowSize floats (padded signal or log-mel) and labels. */
export interface SplitArrays {
  x: Float32Array;
  y: Int32Array;
  n: number;
  rowSize: number;
}

export interface ExperimentData {
  train: SplitArrays;
  test: SplitArrays;
  /** Wall-clock seconds spent featurising (cache reads included). */
  seconds: number;
  /** Clips served from the feature cache, of all clips featurised. */
  cached: number;
  clips: number;
}

export interface PrepareOptions {
  config: FeatureConfig;
  cacheDir: string | null;
  threads?: number;
  log: (line: string) => void;
}

/**
 * Featurises one experiment's train and test clips: the raw experiments get padded signals, the
 * spectrogram ones log-mels; with augmentation the training clips become 9 rows each (labels
 * repeated), the test set never. Raw experiments also compute and cache the log-mels, so the
 * spectrogram experiment that follows reads them from the cache instead of augmenting again.
 */
export async function prepareExperimentData(
  exp: Experiment,
  split: { train: readonly LabelledClip[]; test: readonly LabelledClip[] },
  opts: PrepareOptions,
): Promise<ExperimentData> {
  const t0 = performance.now();
  let cached = 0;
  const part = async (clips: readonly LabelledClip[], augment: boolean, label: string): Promise<SplitArrays> => {
    const augmentations = augment ? NOTEBOOK_AUGMENTATIONS : [];
    const progress = startProgress(`${label} features`, clips.length);
    const batch = await featurizeClips(
      clips.map((c) => ({ name: c.name, bytes: c.bytes })),
      {
        config: opts.config,
        augmentations,
        logMels: true,
        signals: exp.input === 'raw',
        cacheDir: opts.cacheDir,
        threads: opts.threads,
        onProgress: (done) => progress.update(done),
        skipFailures: true,
      },
    );
    progress.stop();
    cached += batch.cached;
    // A clip that cannot be featurised is left out of its split, named in the log.
    for (const s of batch.skipped) opts.log(`${label} features: skipped ${s.name}: ${s.reason}`);
    const variants = batch.variants;
    const y = new Int32Array(batch.kept.length * variants);
    batch.kept
      .map((k) => clips[k])
      .forEach((c, i) => {
        if (c.digit === null) throw new Error(`${c.name}: no digit label in the file name`);
        y.fill(c.digit, i * variants, (i + 1) * variants);
      });
    const x = exp.input === 'raw' ? batch.signals! : batch.logMels!;
    const rowSize = exp.input === 'raw' ? opts.config.length : logMelSize(opts.config);
    return { x, y, n: y.length, rowSize };
  };
  const train = await part(split.train, exp.augment, 'train');
  const test = await part(split.test, false, 'test');
  const seconds = (performance.now() - t0) / 1000;
  const clips = split.train.length + split.test.length;
  opts.log(
    `features: ${train.n} train rows, ${test.n} test rows (${exp.input === 'raw' ? 'padded signals' : 'log-mels'}) ` +
      `in ${seconds.toFixed(1)} s, ${cached} of ${clips} clips from the cache`,
  );
  return { train, test, seconds, cached, clips };
}
