import type { SpeechDetectorConfig } from './types';

/** Defaults of every SpeechDetectorConfig field (documented there). */
export const DEFAULT_SPEECH_DETECTOR_CONFIG: Readonly<SpeechDetectorConfig> = Object.freeze({
  thresholdDb: 8,
  fricativeThresholdDb: 4,
  fricativeZcrPerSecond: 3000,
  minSpeechDbfs: -70,
  noiseWindowMs: 3000,
  noisePercentile: 0.1,
  initialNoiseFloorDbfs: -60,
  preRollMs: 150,
  hangoverMs: 200,
  minSpeechMs: 100,
  maxSpeechMs: 1500,
  sustainThresholdDb: 6,
  decayEndDb: 12,
  decayDropDb: 3,
  decayWindowMs: 100,
});

/**
 * The defaults overridden by `overrides`, checked: every field a finite number, times and margins not
 * negative, the percentile in 0..1, and minSpeechMs <= maxSpeechMs. Throws a RangeError naming the field.
 */
export function resolveSpeechDetectorConfig(overrides: Partial<SpeechDetectorConfig> = {}): SpeechDetectorConfig {
  const config: SpeechDetectorConfig = { ...DEFAULT_SPEECH_DETECTOR_CONFIG };
  for (const [key, value] of Object.entries(overrides) as [keyof SpeechDetectorConfig, unknown][]) {
    if (!(key in DEFAULT_SPEECH_DETECTOR_CONFIG)) throw new RangeError(`SpeechDetectorConfig: unknown field "${key}"`);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RangeError(`SpeechDetectorConfig: field "${key}" must be a finite number, got ${String(value)}`);
    }
    config[key] = value;
  }
  const nonNegative: (keyof SpeechDetectorConfig)[] = [
    'thresholdDb',
    'fricativeThresholdDb',
    'fricativeZcrPerSecond',
    'preRollMs',
    'hangoverMs',
    'minSpeechMs',
    'sustainThresholdDb',
    'decayEndDb',
    'decayDropDb',
    'decayWindowMs',
  ];
  for (const key of nonNegative) {
    if (config[key] < 0)
      throw new RangeError(`SpeechDetectorConfig: field "${key}" must not be negative, got ${config[key]}`);
  }
  for (const key of ['noiseWindowMs', 'maxSpeechMs'] as const) {
    if (config[key] <= 0)
      throw new RangeError(`SpeechDetectorConfig: field "${key}" must be positive, got ${config[key]}`);
  }
  if (config.noisePercentile < 0 || config.noisePercentile > 1) {
    throw new RangeError(
      `SpeechDetectorConfig: field "noisePercentile" must be in 0..1, got ${config.noisePercentile}`,
    );
  }
  if (config.minSpeechMs > config.maxSpeechMs) {
    throw new RangeError(
      `SpeechDetectorConfig: field "minSpeechMs" (${config.minSpeechMs}) must not exceed maxSpeechMs (${config.maxSpeechMs})`,
    );
  }
  return config;
}
