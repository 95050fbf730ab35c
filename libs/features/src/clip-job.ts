import { augmentClipPadded, clipLogMel, loadClip, padClip } from './clip-features';
import { logMelSize, type Augmentation, type FeatureConfig } from './feature-config';

/** One clip's work, as sent to a worker thread. */
export interface ClipJob {
  id: number;
  name: string;
  bytes: Uint8Array;
  config: FeatureConfig;
  /** Empty: the clip itself. Otherwise one output per augmentation, in order. */
  augmentations: readonly Augmentation[];
  wantLogMels: boolean;
  wantSignals: boolean;
}

export interface ClipJobResult {
  /** Length of the loaded (resampled, unpadded) clip in samples at config.sampleRate. */
  loadedLength: number;
  /** variants x (nMels*frames), when asked for. */
  logMels?: Float32Array;
  /** variants x config.length padded signals, when asked for. */
  signals?: Float32Array;
}

/** Load, (augment), pad and featurise one clip. Pure apart from its inputs; runs in a worker. */
export function computeClipFeatures(job: ClipJob): ClipJobResult {
  const { config } = job;
  const samples = loadClip(job.bytes, config, job.name);
  const variants = job.augmentations.length
    ? augmentClipPadded(samples, job.augmentations, config)
    : [padClip(samples, config)];
  const melSize = logMelSize(config);
  const logMels = job.wantLogMels ? new Float32Array(variants.length * melSize) : undefined;
  const signals = job.wantSignals ? new Float32Array(variants.length * config.length) : undefined;
  variants.forEach((padded, i) => {
    if (signals) signals.set(padded, i * config.length);
    if (logMels) logMels.set(clipLogMel(padded, config), i * melSize);
  });
  return { loadedLength: samples.length, logMels, signals };
}
