// Augmentation of a clip before the front end: the variations a new voice in a new room brings that FSDD's
// four close-miked speakers lack. Deterministic for (seed, copy, clip), so a run repeats and a cache hits.
import { seededUniform } from '@digits/dsp';
import {
  applyCondition,
  deriveSeed,
  drawTrainCondition,
  makeNoise,
  seededRng,
  type Condition,
  type NoisePools,
  type TrainConditionOptions,
} from '@digits/acoustics';
import { CHUNK_SAMPLES, FRONT_END_RATE } from './framing';

/** One augmented copy's settings; the defaults are the recipe measured in ../shared/notes/speech-embedding.md. */
export interface EmbeddingAugmentOptions {
  /** Gain in dB, uniform in [-gainDb, +gainDb]. Default 6. */
  gainDb?: number;
  /** White noise at an SNR uniform in this range (dB). Default [15, 35]. */
  snrDb?: [number, number];
  /** Pooling centre moved off the energy centre by up to this many ms either way. Default 60. */
  centreErrorMs?: number;
  /**
   * Real rooms instead of gain and white noise: a training condition of @digits/acoustics drawn afresh for the
   * copy (a synthetic room with RT60 0.2-1.0 s, a background of a training kind at 0-30 dB SNR, microphone
   * colouring, a level change; these options override its defaults). Omitted: the plain recipe above.
   */
  rooms?: TrainConditionOptions;
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

/**
 * One augmented copy of a clip at the front end's rate (16 kHz). With `opts.rooms`, `pools` gives the clips a
 * babble background is made of (16 kHz; without them babble is not drawn).
 */
export function augmentForEmbedding(
  samples: Float32Array,
  seed: number,
  opts: EmbeddingAugmentOptions = {},
  pools: NoisePools = {},
): AugmentedClip {
  if (opts.rooms) return augmentInRoom(samples, seed, opts, opts.rooms, pools);
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

/** The rooms recipe: the same window alignment and centre error draws, then the clip heard in a drawn condition. */
function augmentInRoom(
  samples: Float32Array,
  seed: number,
  opts: EmbeddingAugmentOptions,
  rooms: TrainConditionOptions,
  pools: NoisePools,
): AugmentedClip {
  const rand = seededUniform(seed);
  const centreMs = opts.centreErrorMs ?? 60;
  const offset = Math.floor(rand() * CHUNK_SAMPLES);
  const centreError = Math.round((rand() * 2 - 1) * (centreMs / 1000) * FRONT_END_RATE);
  const condition = roomCondition(seed, rooms, pools);
  return { samples: applyCondition(samples, FRONT_END_RATE, condition, pools), offset, centreError };
}

/** The training condition a room copy with this seed is heard in (babble only when `pools` has clips for it). */
export function roomCondition(seed: number, rooms: TrainConditionOptions, pools: NoisePools = {}): Condition {
  const kinds = rooms.kinds ?? (pools.babble?.length ? undefined : (['white', 'brown', 'tones'] as const));
  return drawTrainCondition(deriveSeed(seed, 'rooms'), { ...rooms, ...(kinds ? { kinds } : {}) });
}

/**
 * A training background alone, no speech (for the unknown class: what a live detector cuts out of a noisy
 * room when nobody speaks): 0.5-1.5 s of a background of a training kind at -40 to -15 dBFS, heard in the
 * copy's room and microphone (the same draw as a room copy with this seed, its background made certain).
 * null when the draw leaves no background (e.g. an ablation removed its kind).
 */
export function backgroundAlone(
  seed: number,
  rooms: TrainConditionOptions,
  pools: NoisePools = {},
): Float32Array | null {
  const condition = roomCondition(seed, { ...rooms, noiseProbability: 1 }, pools);
  if (!condition.noise) return null;
  const rand = seededRng(deriveSeed(seed, 'background-alone'));
  const n = Math.round(rand.range(0.5, 1.5) * FRONT_END_RATE);
  const level = 10 ** (rand.range(-40, -15) / 20);
  const noise = makeNoise(condition.noise.kind, n, FRONT_END_RATE, rand, pools).map((v) => v * level);
  return applyCondition(noise, FRONT_END_RATE, { ...condition, noise: null }, pools);
}
