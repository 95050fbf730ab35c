// Augmentation of a clip before the front end: the variations a new voice in a new room brings that FSDD's
// four close-miked speakers lack. Deterministic for (seed, copy, clip), so a run repeats and a cache hits.
import { seededUniform } from '@digits/dsp';
import { CHUNK_SAMPLES, FRONT_END_RATE } from './framing';

/** One augmented copy's settings; the defaults are the recipe measured in ../shared/notes/speech-embedding.md. */
export interface EmbeddingAugmentOptions {
  /** Gain in dB, uniform in [-gainDb, +gainDb]. Default 6. */
  gainDb?: number;
  /** White noise at an SNR uniform in this range (dB). Default [15, 35]. */
  snrDb?: [number, number];
  /** Pooling centre moved off the energy centre by up to this many ms either way. Default 60. */
  centreErrorMs?: number;
}

export interface AugmentedClip {
  samples: Float32Array;
  /** Samples (at the front end's rate) by which the clip moves later on its canvas: another window-grid alignment. */
  offset: number;
  /** Samples (at the front end's rate) by which the pooling centre misses the energy centre. */
  centreError: number;
}

/** A stable 32-bit hash of a clip's name, to give each clip its own draw. */
export function nameSeed(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function augmentForEmbedding(
  samples: Float32Array,
  seed: number,
  opts: EmbeddingAugmentOptions = {},
): AugmentedClip {
  const rand = seededUniform(seed);
  const gainDb = opts.gainDb ?? 6;
  const [snrLo, snrHi] = opts.snrDb ?? [15, 35];
  const centreMs = opts.centreErrorMs ?? 60;
  const gain = 10 ** (((rand() * 2 - 1) * gainDb) / 20);
  const snr = snrLo + rand() * (snrHi - snrLo);
  const offset = Math.floor(rand() * CHUNK_SAMPLES);
  const centreError = Math.round((rand() * 2 - 1) * (centreMs / 1000) * FRONT_END_RATE);
  let power = 0;
  for (const s of samples) power += s * s;
  power /= Math.max(1, samples.length);
  const noiseSd = Math.sqrt(power / 10 ** (snr / 10));
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i += 2) {
    // Box-Muller: two normal draws per pair of uniforms.
    const r = Math.sqrt(-2 * Math.log(1 - rand()));
    const t = 2 * Math.PI * rand();
    out[i] = (samples[i] + noiseSd * r * Math.cos(t)) * gain;
    if (i + 1 < samples.length) out[i + 1] = (samples[i + 1] + noiseSd * r * Math.sin(t)) * gain;
  }
  return { samples: out, offset, centreError };
}
