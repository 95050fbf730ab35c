// Synthetic room impulse responses: a shoebox room's early reflections by the image-source method
// (Allen & Berkley 1979) and a late tail of exponentially decaying, low-passed noise whose level follows
// the room's critical distance. Deterministic for (room, rate, seed); any sample rate.
import { seededRng, type Rng } from './random';

/** Speed of sound, m/s. */
const SPEED_OF_SOUND = 343;
/** Early reflections are image sources up to this long after the direct path; the tail takes over after. */
const EARLY_MS = 60;

export type Vec3 = readonly [number, number, number];

/** A shoebox room, a talker and a microphone in it, and the reverberation time asked for. */
export interface RoomSpec {
  /** Length, width, height in m. */
  dims: Vec3;
  /** Talker position in m (inside the room). */
  source: Vec3;
  /** Microphone position in m (inside the room). */
  mic: Vec3;
  /** Reverberation time (60 dB decay), in s. */
  rt60: number;
}

function check(room: RoomSpec, sampleRate: number): void {
  if (!(sampleRate >= 1000 && sampleRate <= 384000)) throw new RangeError(`room IR: sample rate ${sampleRate} Hz`);
  if (!(room.rt60 >= 0.05 && room.rt60 <= 5)) throw new RangeError(`room IR: rt60 ${room.rt60} s is not in 0.05..5`);
  room.dims.forEach((d, k) => {
    if (!(d > 0.5 && d < 100)) throw new RangeError(`room IR: dims[${k}] = ${d} m`);
    for (const [name, p] of [
      ['source', room.source],
      ['mic', room.mic],
    ] as const) {
      if (!(p[k] > 0 && p[k] < d)) throw new RangeError(`room IR: ${name}[${k}] = ${p[k]} m is outside the room`);
    }
  });
}

/** Eyring's absorption for the asked RT60, as a wall reflection coefficient (pressure) in (0, 1). */
function reflectionCoefficient(room: RoomSpec): number {
  const [l, w, h] = room.dims;
  const volume = l * w * h;
  const surface = 2 * (l * w + l * h + w * h);
  const alpha = 1 - Math.exp((-0.161 * volume) / (surface * room.rt60));
  return Math.sqrt(1 - alpha);
}

function distance(a: Vec3, b: Vec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** Adds `amp` at fractional sample `t` (linear interpolation between the two neighbours). */
function addAt(h: Float64Array, t: number, amp: number): void {
  const i = Math.floor(t);
  const f = t - i;
  if (i >= 0 && i < h.length) h[i] += amp * (1 - f);
  if (i + 1 >= 0 && i + 1 < h.length) h[i + 1] += amp * f;
}

/**
 * The impulse response from `room.source` to `room.mic` at `sampleRate`: the direct path first (its delay is
 * the distance over the speed of sound), image sources of the six walls for the first 60 ms, then a noise
 * tail decaying by 60 dB in rt60 whose energy relative to the direct path is (r / r_c)^2, r_c the critical
 * distance 0.057 sqrt(V / rt60). Lasts until the tail is 66 dB down; normalised to unit energy, so a
 * convolved signal keeps about its level.
 */
export function roomImpulseResponse(room: RoomSpec, sampleRate: number, seed: number): Float32Array {
  check(room, sampleRate);
  const rand: Rng = seededRng(seed);
  const r = distance(room.source, room.mic);
  const direct = (r / SPEED_OF_SOUND) * sampleRate;
  const length = Math.ceil(direct + 1.1 * room.rt60 * sampleRate) + 2;
  const h = new Float64Array(length);
  const beta = reflectionCoefficient(room);
  const early = direct + (EARLY_MS / 1000) * sampleRate;
  const maxOrder = Math.ceil(((EARLY_MS / 1000) * SPEED_OF_SOUND + r) / (2 * Math.min(...room.dims))) + 1;
  const [l, w, hgt] = room.dims;
  const dims = [l, w, hgt];
  // Image sources: per axis, position (1 - 2q) s + 2 n L with |n - q| + |n| reflections.
  for (let nx = -maxOrder; nx <= maxOrder; nx++)
    for (let ny = -maxOrder; ny <= maxOrder; ny++)
      for (let nz = -maxOrder; nz <= maxOrder; nz++)
        for (let q = 0; q < 8; q++) {
          const qs = [q & 1, (q >> 1) & 1, (q >> 2) & 1];
          const ns = [nx, ny, nz];
          const img = [0, 1, 2].map((k) => (1 - 2 * qs[k]) * room.source[k] + 2 * ns[k] * dims[k]) as unknown as Vec3;
          const reflections = [0, 1, 2].reduce((s, k) => s + Math.abs(ns[k] - qs[k]) + Math.abs(ns[k]), 0);
          const d = distance(img, room.mic);
          const t = (d / SPEED_OF_SOUND) * sampleRate;
          if (t > early) continue;
          // 1/r spreading relative to the direct path; walls reflect beta each (random sign: rough walls).
          const sign = reflections === 0 ? 1 : rand.uniform() < 0.5 ? -1 : 1;
          addAt(h, t, (sign * beta ** reflections * r) / d);
        }
  // The late tail: low-passed noise (air and walls absorb the highs), decaying by 60 dB in rt60, faded in
  // over the early part so it takes over from the image sources.
  const criticalDistance = 0.057 * Math.sqrt((l * w * hgt) / room.rt60);
  const tailEnergy = (r / criticalDistance) ** 2;
  const decay = (3 * Math.LN10) / (room.rt60 * sampleRate); // amplitude: 60 dB over rt60
  const cutoffHz = Math.min(0.4 * sampleRate, rand.range(3000, 7000));
  const a = Math.exp((-2 * Math.PI * cutoffHz) / sampleRate);
  const tail = new Float64Array(length);
  let lp = 0;
  let energy = 0;
  const start = Math.floor(direct) + 1;
  const fade = early - direct;
  for (let i = start; i < length; i++) {
    lp = (1 - a) * rand.normal() + a * lp;
    const age = i - direct;
    const env = Math.exp(-decay * age) * (age < fade ? 0.5 - 0.5 * Math.cos((Math.PI * age) / fade) : 1);
    tail[i] = lp * env;
    energy += tail[i] * tail[i];
  }
  const tailGain = energy > 0 ? Math.sqrt(tailEnergy / energy) : 0;
  let total = 0;
  for (let i = 0; i < length; i++) {
    h[i] += tail[i] * tailGain;
    total += h[i] * h[i];
  }
  const norm = 1 / Math.sqrt(total);
  return Float32Array.from(h, (v) => v * norm);
}

/**
 * Reverberation time of an impulse response by Schroeder's backward integration: the energy decay curve
 * in dB, a least-squares line through its -5 to -25 dB part (T20), extrapolated to 60 dB. In s.
 */
export function measureRt60(h: Float32Array, sampleRate: number, fromDb = -5, toDb = -25): number {
  const edc = new Float64Array(h.length);
  let acc = 0;
  for (let i = h.length - 1; i >= 0; i--) {
    acc += h[i] * h[i];
    edc[i] = acc;
  }
  if (!(acc > 0)) throw new RangeError('measureRt60: an all-zero impulse response');
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < h.length; i++) {
    const db = 10 * Math.log10(edc[i] / acc);
    if (db > fromDb) continue;
    if (db < toDb) break;
    const t = i / sampleRate;
    n++;
    sx += t;
    sy += db;
    sxx += t * t;
    sxy += t * db;
  }
  if (n < 2) throw new RangeError(`measureRt60: the decay curve has no ${fromDb}..${toDb} dB part`);
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return -60 / slope;
}

/** Room families: training rooms and the rooms benchmarks test on have different shapes (see drawRoom). */
export type RoomFamily = 'train' | 'held-out';

/**
 * A random room of a family. Training rooms are near-square (width/length 0.6-0.95, height 2.4-3.2 m, talker
 * 0.5-2.5 m from the microphone); held-out rooms are long and narrow (width/length 0.3-0.55, height 2.7-4 m,
 * 0.8-3 m): no benchmark room is a shape training saw. rt60 as given.
 */
export function drawRoom(rand: Rng, family: RoomFamily, rt60: number): RoomSpec {
  const train = family === 'train';
  const length = train ? rand.range(3, 8) : rand.range(5, 11);
  const width = length * (train ? rand.range(0.6, 0.95) : rand.range(0.3, 0.55));
  const height = train ? rand.range(2.4, 3.2) : rand.range(2.7, 4);
  const dims: Vec3 = [length, Math.max(2, width), height];
  const margin = 0.4;
  const inside = (k: number) => rand.range(margin, dims[k] - margin);
  const [dMin, dMax] = train ? [0.5, 2.5] : [0.8, 3];
  for (let attempt = 0; attempt < 100; attempt++) {
    const source: Vec3 = [inside(0), inside(1), rand.range(1.2, Math.min(1.9, height - margin))];
    const d = rand.range(dMin, dMax);
    const angle = rand.range(0, 2 * Math.PI);
    const mic: Vec3 = [
      source[0] + d * Math.cos(angle),
      source[1] + d * Math.sin(angle),
      rand.range(0.7, Math.min(1.6, height - margin)),
    ];
    if (mic.every((v, k) => v > margin && v < dims[k] - margin)) return { dims, source, mic, rt60 };
  }
  // A room too small for the distance drawn: talker and microphone on the long axis, 1 m apart.
  const mid = (k: number) => dims[k] / 2;
  return { dims, source: [mid(0) - 0.5, mid(1), 1.5], mic: [mid(0) + 0.5, mid(1), 1.2], rt60 };
}
