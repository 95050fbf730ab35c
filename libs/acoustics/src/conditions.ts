// Acoustic conditions (room, background, microphone, level) and their split: what training may draw and
// what benchmarks test on are different kinds, families and seeds, so no benchmark tests on what training saw.
import { fftConvolve } from './fft-convolve';
import { microphoneColour, type MicColour } from './colour';
import { applyGainDb, meanPower, mixAtSnr } from './mix';
import { babble, brownNoise, musicNoise, pinkNoise, scatteredSounds, toneNoise, whiteNoise } from './noises';
import { deriveSeed, seededRng, type Rng } from './random';
import { drawRoom, roomImpulseResponse, type RoomSpec } from './room-impulse-response';

export type NoiseKind = 'white' | 'pink' | 'brown' | 'babble' | 'tones' | 'music' | 'sounds';
/** Backgrounds training draws from. */
export const TRAIN_NOISE_KINDS: readonly NoiseKind[] = Object.freeze(['white', 'brown', 'babble', 'tones']);
/**
 * Backgrounds benchmarks test on: pink noise, music and scattered non-speech sounds are never trained on;
 * babble is, but the held-out babble must come from other voices (the caller's pools: see NoisePools).
 */
export const HELD_OUT_NOISE_KINDS: readonly NoiseKind[] = Object.freeze(['pink', 'babble', 'music', 'sounds']);

export type ConditionSplit = 'train' | 'held-out';

/** Clips the sampled backgrounds are made of, at the signal's rate. Training's and benchmarks' babble pools
 * must hold different voices (e.g. training speakers' digits vs. other words by synthetic voices). */
export interface NoisePools {
  babble?: readonly Float32Array[];
  sounds?: readonly Float32Array[];
}

export interface Condition {
  split: ConditionSplit;
  /** Seed of every draw made while applying it (the IR's tail, the noise). */
  seed: number;
  room: RoomSpec | null;
  /** A background at snrDb below the dry signal's power. */
  noise: { kind: NoiseKind; snrDb: number } | null;
  colour: MicColour | null;
  gainDb: number;
}

/**
 * The parts of the training conditions, each of which can be left out (an ablation): 'noise' the additive
 * coloured noises (white, brown), 'babble', 'tones' (sustained chords), 'room' (reverberation), 'mic'
 * (microphone colouring and the level change). Non-speech sounds and music are held-out kinds, never trained on.
 */
export type RoomPart = 'noise' | 'babble' | 'tones' | 'room' | 'mic';
export const ROOM_PARTS: readonly RoomPart[] = Object.freeze(['noise', 'babble', 'tones', 'room', 'mic']);
const PART_KINDS: Record<RoomPart, readonly NoiseKind[]> = {
  noise: ['white', 'brown'],
  babble: ['babble'],
  tones: ['tones'],
  room: [],
  mic: [],
};

/** "room,babble" -> parts (in ROOM_PARTS order); throws naming a part that is not one (and listing those that are). */
export function parseRoomParts(spec: string, what = '--rooms-without'): RoomPart[] {
  const parts = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new RangeError(`${what}: expected one or more of ${ROOM_PARTS.join(', ')}`);
  for (const p of parts)
    if (!ROOM_PARTS.includes(p as RoomPart))
      throw new RangeError(`${what}: "${p}" is not a part of the room training (${ROOM_PARTS.join(', ')})`);
  // In ROOM_PARTS order, so one ablation has one name (and one cache key) however it is spelt.
  return ROOM_PARTS.filter((p) => parts.includes(p));
}

/**
 * `c` with `parts` taken out (no room, no background of those kinds, no colouring or level change) and all
 * else as drawn, so an ablation differs from the full recipe only in the copies that drew a removed part.
 */
export function withoutParts(c: Condition, parts: readonly RoomPart[]): Condition {
  if (parts.length === 0) return c;
  const dropKinds = parts.flatMap((p) => PART_KINDS[p]);
  const mic = parts.includes('mic');
  return {
    ...c,
    room: parts.includes('room') ? null : c.room,
    noise: c.noise && dropKinds.includes(c.noise.kind) ? null : c.noise,
    colour: mic ? null : c.colour,
    gainDb: mic ? 0 : c.gainDb,
  };
}

export interface TrainConditionOptions {
  /** Chance of a room (else the dry clip). Default 0.7. */
  roomProbability?: number;
  /** RT60 drawn uniformly in this range, s. Default [0.2, 1.0]. */
  rt60?: readonly [number, number];
  /** Chance of a background. Default 0.9. */
  noiseProbability?: number;
  /** SNR drawn uniformly in this range, dB. Default [0, 30]. */
  snrDb?: readonly [number, number];
  /** Background kinds to draw from: training kinds only. Default TRAIN_NOISE_KINDS. */
  kinds?: readonly NoiseKind[];
  /** Chance of a microphone colouring. Default 0.7. */
  colourProbability?: number;
  /** Level change uniform in +-gainDb. Default 6. */
  gainDb?: number;
  /** Parts left out after the draw (see withoutParts): the other parts are drawn exactly as without it. */
  without?: readonly RoomPart[];
}

/** A training condition drawn from `seed` (rooms of the 'train' family, training kinds only). */
export function drawTrainCondition(seed: number, opts: TrainConditionOptions = {}): Condition {
  const kinds = opts.kinds ?? TRAIN_NOISE_KINDS;
  for (const k of kinds)
    if (!TRAIN_NOISE_KINDS.includes(k)) throw new RangeError(`drawTrainCondition: "${k}" is not a training kind`);
  const rand = seededRng(deriveSeed(seed, 'train', 'draw'));
  const [rtLo, rtHi] = opts.rt60 ?? [0.2, 1.0];
  const [snrLo, snrHi] = opts.snrDb ?? [0, 30];
  const room = rand.uniform() < (opts.roomProbability ?? 0.7) ? drawRoom(rand, 'train', rand.range(rtLo, rtHi)) : null;
  const noise =
    rand.uniform() < (opts.noiseProbability ?? 0.9) && kinds.length > 0
      ? { kind: rand.pick(kinds), snrDb: rand.range(snrLo, snrHi) }
      : null;
  const colour = rand.uniform() < (opts.colourProbability ?? 0.7) ? drawColour(rand) : null;
  const g = opts.gainDb ?? 6;
  const drawn: Condition = {
    split: 'train',
    seed: deriveSeed(seed, 'train', 'apply'),
    room,
    noise,
    colour,
    gainDb: rand.range(-g, g),
  };
  return withoutParts(drawn, opts.without ?? []);
}

function drawColour(rand: Rng): MicColour {
  return {
    ...(rand.uniform() < 0.6 ? { highpassHz: rand.range(60, 300) } : {}),
    ...(rand.uniform() < 0.5 ? { lowpassHz: rand.range(3200, 7500) } : {}),
    tiltDb: rand.range(-6, 6),
  };
}

export interface HeldOutConditionOptions {
  /** A held-out-family room with this RT60 (s); omitted: no room. */
  rt60?: number;
  /** A held-out background; omitted: none. */
  noise?: { kind: NoiseKind; snrDb: number };
}

/** A benchmark condition: rooms of the 'held-out' family, held-out kinds, seeds of their own. */
export function heldOutCondition(seed: number, opts: HeldOutConditionOptions = {}): Condition {
  if (opts.noise && !HELD_OUT_NOISE_KINDS.includes(opts.noise.kind))
    throw new RangeError(`heldOutCondition: "${opts.noise.kind}" is not a held-out kind`);
  const rand = seededRng(deriveSeed(seed, 'held-out', 'draw'));
  return {
    split: 'held-out',
    seed: deriveSeed(seed, 'held-out', 'apply'),
    room: opts.rt60 !== undefined ? drawRoom(rand, 'held-out', opts.rt60) : null,
    noise: opts.noise ?? null,
    colour: null,
    gainDb: 0,
  };
}

/** A background of `kind`, `n` samples at unit RMS. */
export function makeNoise(kind: NoiseKind, n: number, sampleRate: number, rand: Rng, pools: NoisePools = {}) {
  switch (kind) {
    case 'white':
      return whiteNoise(n, sampleRate, rand);
    case 'pink':
      return pinkNoise(n, sampleRate, rand);
    case 'brown':
      return brownNoise(n, sampleRate, rand);
    case 'tones':
      return toneNoise(n, sampleRate, rand);
    case 'music':
      return musicNoise(n, sampleRate, rand);
    case 'babble':
      if (!pools.babble?.length) throw new RangeError('a babble background needs NoisePools.babble');
      return babble(n, sampleRate, pools.babble, rand);
    case 'sounds':
      if (!pools.sounds?.length) throw new RangeError('a "sounds" background needs NoisePools.sounds');
      return scatteredSounds(n, sampleRate, pools.sounds, rand);
  }
}

/**
 * `clean` as heard under the condition: convolved with the room's IR (so it gains the reverberant tail), the
 * background added at snrDb below the dry clip's power, through the microphone colouring, then the level change.
 */
export function applyCondition(
  clean: Float32Array,
  sampleRate: number,
  condition: Condition,
  pools: NoisePools = {},
): Float32Array {
  const rand = seededRng(condition.seed);
  let y = condition.room
    ? fftConvolve(clean, roomImpulseResponse(condition.room, sampleRate, rand.int(2 ** 32)))
    : Float32Array.from(clean);
  if (condition.noise) {
    const noise = makeNoise(condition.noise.kind, y.length, sampleRate, rand, pools);
    y = mixAtSnr(y, noise, condition.noise.snrDb, { signalPower: meanPower(clean) }).mixed;
  }
  if (condition.colour) y = microphoneColour(y, sampleRate, condition.colour);
  return condition.gainDb ? applyGainDb(y, condition.gainDb) : y;
}
