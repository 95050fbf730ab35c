/**
 * The one description of the features a model sees. It is saved beside every model, so the live app
 * computes exactly what the model was trained on.
 */
export interface FeatureConfig {
  /** Rate the audio is resampled to before anything else, in Hz. Default 22,050 (librosa's default). */
  sampleRate: number;
  /** Samples every clip is zero-padded or truncated to. Default 17,640 (0.8 s at 22,050 Hz). */
  length: number;
  /** FFT size in samples (also the window length). Default 2,048. */
  nFft: number;
  /** Hop between STFT frames in samples. Default 512. */
  hopLength: number;
  /** Number of Slaney mel bands (0 Hz to sampleRate/2). Default 64. */
  nMels: number;
  /** Dynamic range kept below each spectrogram's maximum, in dB. Default 80. */
  topDb: number;
}

export const DEFAULT_FEATURE_CONFIG: Readonly<FeatureConfig> = Object.freeze({
  sampleRate: 22050,
  length: 17640,
  nFft: 2048,
  hopLength: 512,
  nMels: 64,
  topDb: 80,
});

/** One augmentation of the notebook: time-stretch by `rate`, then pitch-shift by `nSteps` semitones. */
export interface Augmentation {
  rate: number;
  nSteps: number;
}

/** The notebook's nine augmentations in its order: rate-major (0.7, 1, 1.3), then n_steps -1, 0, 1. */
export const NOTEBOOK_AUGMENTATIONS: readonly Augmentation[] = Object.freeze(
  [0.7, 1, 1.3].flatMap((rate) => [-1, 0, 1].map((nSteps) => Object.freeze({ rate, nSteps }))),
);

/** STFT frames of a padded clip (centred STFT): 1 + floor(length / hop), 35 by default. */
export function frameCount(config: FeatureConfig): number {
  return 1 + Math.floor(config.length / config.hopLength);
}

/** Floats in one log-mel (nMels x frames), 2,240 by default. */
export function logMelSize(config: FeatureConfig): number {
  return config.nMels * frameCount(config);
}

const FIELDS: (keyof FeatureConfig)[] = ['sampleRate', 'length', 'nFft', 'hopLength', 'nMels', 'topDb'];

/**
 * Checks a parsed JSON value (e.g. a model's features.json) and returns it as a FeatureConfig.
 * Throws an error that names `source`, the field and what was expected.
 */
export function parseFeatureConfig(value: unknown, source = 'feature config'): FeatureConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${source}: expected a JSON object with ${FIELDS.join(', ')}`);
  }
  const v = value as Record<string, unknown>;
  const out = {} as FeatureConfig;
  for (const f of FIELDS) {
    const x = v[f];
    if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) {
      throw new Error(`${source}: field "${f}" must be a positive number, got ${JSON.stringify(x)}`);
    }
    if (f !== 'topDb' && !Number.isInteger(x)) {
      throw new Error(`${source}: field "${f}" must be an integer, got ${x}`);
    }
    out[f] = x;
  }
  if ((out.nFft & (out.nFft - 1)) !== 0) {
    throw new Error(`${source}: field "nFft" must be a power of two, got ${out.nFft}`);
  }
  return out;
}

/** A stable string for hashing and comparing configs (fixed field order). */
export function featureConfigKey(config: FeatureConfig): string {
  return JSON.stringify(FIELDS.map((f) => [f, config[f]]));
}
