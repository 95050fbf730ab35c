import {
  decodeWav,
  resample,
  fixLength,
  logMelSpectrogram,
  timeStretch,
  pitchShift,
  timeStretchPitchShiftGrid,
} from '@digits/dsp';
import type { Augmentation, FeatureConfig } from './feature-config';

/**
 * The notebook's `librosa.load(path, sr=config.sampleRate)`: decode (mono by channel mean), then
 * resample with resampy's kaiser_best. Throws dsp's WavDecodeError naming `source` on bad input.
 */
export function loadClip(bytes: Uint8Array, config: FeatureConfig, source?: string): Float32Array {
  const wav = decodeWav(bytes, source);
  return clipAtRate(wav.samples, wav.sampleRate, config);
}

/** Mono samples at `sampleRate` brought to config.sampleRate as loadClip does (resampy's kaiser_best), or as they are. */
export function clipAtRate(samples: Float32Array, sampleRate: number, config: FeatureConfig): Float32Array {
  return sampleRate === config.sampleRate ? samples : resample(samples, sampleRate, config.sampleRate);
}

/** Zero-pads or truncates to config.length (librosa.util.fix_length). */
export function padClip(samples: Float32Array, config: FeatureConfig): Float32Array {
  return fixLength(samples, config.length);
}

/** The (nMels, frames) log-mel the spectrogram models see, of an already padded signal. Row-major. */
export function clipLogMel(padded: Float32Array, config: FeatureConfig): Float32Array {
  return logMelSpectrogram(padded, {
    sampleRate: config.sampleRate,
    nFft: config.nFft,
    hopLength: config.hopLength,
    nMels: config.nMels,
    topDb: config.topDb,
  });
}

/** `pitch_shift(time_stretch(samples, rate), sr, n_steps)` as the notebook does it (not yet padded). */
export function augmentClip(samples: Float32Array, aug: Augmentation, config: FeatureConfig): Float32Array {
  const opts = { nFft: config.nFft, hopLength: config.hopLength };
  const stretched = timeStretch(samples, aug.rate, opts);
  return pitchShift(stretched, config.sampleRate, aug.nSteps, opts);
}

/**
 * Every augmentation of one clip, padded/truncated to config.length. When the list is a rate x step
 * grid in rate-major order (the notebook's is), dsp's grid function shares the STFTs and resampling
 * passes between outputs: the same numbers as separate calls, about a third less work.
 */
export function augmentClipPadded(
  samples: Float32Array,
  augs: readonly Augmentation[],
  config: FeatureConfig,
): Float32Array[] {
  const rates = [...new Set(augs.map((a) => a.rate))];
  const steps = [...new Set(augs.map((a) => a.nSteps))];
  const isGrid =
    augs.length === rates.length * steps.length &&
    augs.every((a, k) => a.rate === rates[Math.floor(k / steps.length)] && a.nSteps === steps[k % steps.length]);
  if (!isGrid) return augs.map((a) => padClip(augmentClip(samples, a, config), config));
  const grid = timeStretchPitchShiftGrid(samples, config.sampleRate, rates, steps, {
    nFft: config.nFft,
    hopLength: config.hopLength,
    length: config.length,
  });
  return grid.flat().map((v) => padClip(v, config));
}
