import { z } from 'zod';

const positiveInt = z
  .number({ invalid_type_error: 'must be a positive number', required_error: 'must be a positive number' })
  .finite('must be a positive number')
  .positive('must be a positive number')
  .int('must be an integer');

/**
 * A model folder's features.json: the one description of the features a model sees. It is saved beside
 * every model, so the live app computes exactly what the model was trained on. Unknown fields are an
 * error (a misspelt field must not be silently replaced by a default).
 */
export const FeatureConfigSchema = z
  .object({
    /** Rate the audio is resampled to before anything else, in Hz. Default 22,050 (librosa's default). */
    sampleRate: positiveInt,
    /** Samples every clip is zero-padded or truncated to. Default 17,640 (0.8 s at 22,050 Hz). */
    length: positiveInt,
    /** FFT size in samples (also the window length), a power of two. Default 2,048. */
    nFft: positiveInt.refine((n) => (n & (n - 1)) === 0, 'must be a power of two'),
    /** Hop between STFT frames in samples. Default 512. */
    hopLength: positiveInt,
    /** Number of Slaney mel bands (0 Hz to sampleRate/2). Default 64. */
    nMels: positiveInt,
    /** Dynamic range kept below each spectrogram's maximum, in dB. Default 80. */
    topDb: z
      .number({ invalid_type_error: 'must be a positive number', required_error: 'must be a positive number' })
      .finite('must be a positive number')
      .positive('must be a positive number'),
  })
  .strict();

/** The feature config, as features.json holds it (the schema's type). */
export type FeatureConfig = z.infer<typeof FeatureConfigSchema>;

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

const FIELDS = Object.keys(FeatureConfigSchema.shape) as (keyof FeatureConfig)[];

/**
 * Checks a parsed JSON value (e.g. a model's features.json) against {@link FeatureConfigSchema} and
 * returns it as a FeatureConfig. Throws an error that names `source`, the field and what was expected.
 */
export function parseFeatureConfig(value: unknown, source = 'feature config'): FeatureConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${source}: expected a JSON object with ${FIELDS.join(', ')}`);
  }
  const r = FeatureConfigSchema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    throw new Error(
      `${source}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; expected ${FIELDS.join(', ')}`,
    );
  }
  const field = String(issue.path[0]);
  const got = (value as Record<string, unknown>)[field];
  throw new Error(
    `${source}: field "${issue.path.join('.')}" ${issue.message}, got ${got === undefined ? 'nothing' : JSON.stringify(got)}`,
  );
}

/** A stable string for hashing and comparing configs (fixed field order). */
export function featureConfigKey(config: FeatureConfig): string {
  return JSON.stringify(FIELDS.map((f) => [f, config[f]]));
}
