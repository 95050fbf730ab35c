// Background sounds, each returned at unit RMS (mixAtSnr sets the level): coloured noise with any spectral
// slope, babble of other talkers, tonal and music-like sounds, and recorded non-speech sounds scattered in time.
import FFT from 'fft.js';
import type { Rng } from './random';

/** Scales `x` in place to unit RMS (an all-zero signal stays zero). */
export function normaliseRms(x: Float32Array): Float32Array {
  let p = 0;
  for (const v of x) p += v * v;
  const rms = Math.sqrt(p / Math.max(1, x.length));
  if (rms > 0) for (let i = 0; i < x.length; i++) x[i] /= rms;
  return x;
}

const BLOCK = 16384;

/**
 * Gaussian noise whose power spectrum falls by `slopeDbPerOctave` (0 white, -3 pink, -6 brown), flat below
 * `lowHz` (so brown noise has no huge DC drift). Made in 50%-overlapping FFT blocks of random-phase spectra
 * windowed by a sine window (whose squares sum to one), so the noise is stationary at any length.
 */
export function colouredNoise(
  n: number,
  sampleRate: number,
  slopeDbPerOctave: number,
  rand: Rng,
  lowHz = 20,
): Float32Array {
  const out = new Float32Array(n);
  if (n === 0) return out;
  if (slopeDbPerOctave === 0) {
    for (let i = 0; i < n; i++) out[i] = rand.normal();
    return normaliseRms(out);
  }
  const fft = new FFT(BLOCK);
  const exponent = slopeDbPerOctave / (20 * Math.log10(2)); // amplitude ~ f^exponent
  const gains = new Float64Array(BLOCK / 2 + 1);
  for (let k = 1; k <= BLOCK / 2; k++) gains[k] = Math.max((k * sampleRate) / BLOCK, lowHz) ** exponent;
  const window = Float64Array.from({ length: BLOCK }, (_, i) => Math.sin((Math.PI * (i + 0.5)) / BLOCK));
  const spec = fft.createComplexArray();
  const time = fft.createComplexArray();
  const hop = BLOCK / 2;
  for (let start = -hop; start < n; start += hop) {
    spec.fill(0);
    for (let k = 1; k < BLOCK / 2; k++) {
      const re = rand.normal() * gains[k];
      const im = rand.normal() * gains[k];
      spec[2 * k] = re;
      spec[2 * k + 1] = im;
      spec[2 * (BLOCK - k)] = re;
      spec[2 * (BLOCK - k) + 1] = -im;
    }
    fft.inverseTransform(time, spec);
    for (let i = 0; i < BLOCK; i++) {
      const j = start + i;
      if (j >= 0 && j < n) out[j] += time[2 * i] * window[i];
    }
  }
  return normaliseRms(out);
}

export const whiteNoise = (n: number, sampleRate: number, rand: Rng) => colouredNoise(n, sampleRate, 0, rand);
export const pinkNoise = (n: number, sampleRate: number, rand: Rng) => colouredNoise(n, sampleRate, -3, rand);
export const brownNoise = (n: number, sampleRate: number, rand: Rng) => colouredNoise(n, sampleRate, -6, rand);

/**
 * Clips from `pool` laid one after another (each at unit RMS, 0-150 ms apart, from a random start), as one
 * talker; `talkers` of them summed. Babble: speech-like, but no one voice to follow. The pool's clips must be
 * at the output's rate.
 */
export function babble(
  n: number,
  sampleRate: number,
  pool: readonly Float32Array[],
  rand: Rng,
  talkers = 3 + rand.int(4),
): Float32Array {
  if (pool.length === 0) throw new RangeError('babble: an empty pool of clips');
  const out = new Float32Array(n);
  for (let t = 0; t < talkers; t++) {
    let pos = -rand.int(Math.max(1, Math.round(n / 4)));
    while (pos < n) {
      const clip = normaliseRms(Float32Array.from(rand.pick(pool)));
      for (let i = 0; i < clip.length; i++) {
        const j = pos + i;
        if (j >= 0 && j < n) out[j] += clip[i];
      }
      pos += clip.length + Math.round(rand.range(0, 0.15) * sampleRate);
    }
  }
  return normaliseRms(out);
}

/** Musical notes as MIDI numbers to Hz. */
const hz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);
const MAJOR = [0, 4, 7];
const MINOR = [0, 3, 7];

/** A note's harmonics (amplitudes 1/k^tilt) from t0 for `dur` s under `envelope(age)`, added into `out`. */
function addNote(
  out: Float32Array,
  sampleRate: number,
  f0: number,
  t0: number,
  dur: number,
  partials: number,
  tilt: number,
  envelope: (age: number) => number,
): void {
  const from = Math.max(0, Math.round(t0 * sampleRate));
  const to = Math.min(out.length, Math.round((t0 + dur) * sampleRate));
  for (let k = 1; k <= partials; k++) {
    const f = f0 * k;
    if (f >= sampleRate / 2) break;
    const amp = 1 / k ** tilt;
    const w = (2 * Math.PI * f) / sampleRate;
    for (let i = from; i < to; i++) out[i] += amp * envelope((i - from) / sampleRate) * Math.sin(w * (i - from));
  }
}

/**
 * Sustained chords (training's tonal noise): three-note major or minor chords of 1-3 s with slow attacks and
 * releases and a little tremolo, one after another with overlaps; 3-6 partials each.
 */
export function toneNoise(n: number, sampleRate: number, rand: Rng): Float32Array {
  const out = new Float32Array(n);
  const seconds = n / sampleRate;
  for (let t = -rand.range(0, 1); t < seconds;) {
    const dur = rand.range(1, 3);
    const root = 48 + rand.int(24);
    const chord = rand.uniform() < 0.5 ? MAJOR : MINOR;
    const partials = 3 + rand.int(4);
    const tremolo = rand.range(2, 6);
    const env = (age: number) =>
      Math.min(1, age / 0.2, Math.max(0, (dur - age) / 0.3)) * (1 + 0.2 * Math.sin(2 * Math.PI * tremolo * age));
    for (const step of chord) addNote(out, sampleRate, hz(root + step), t, dur, partials, 1.2, env);
    t += dur * rand.range(0.7, 1);
  }
  return normaliseRms(out);
}

/**
 * Music-like sound (a held-out kind): a bass line and arpeggiated chord notes on a beat (90-160 bpm), each
 * note struck (5 ms attack, 0.15-0.6 s exponential decay), brighter than toneNoise (8 partials).
 */
export function musicNoise(n: number, sampleRate: number, rand: Rng): Float32Array {
  const out = new Float32Array(n);
  const seconds = n / sampleRate;
  const beat = 60 / rand.range(90, 160);
  const key = 50 + rand.int(12);
  const progression = [0, 5, 7, 9].map((d) => key + d);
  let bar = 0;
  for (let t = -rand.range(0, beat); t < seconds; t += beat / 2) {
    const root = progression[Math.floor(bar / 8) % progression.length];
    const chord = (Math.floor(bar / 8) % 4 === 3 ? MINOR : MAJOR).map((s) => root + s);
    const decay = rand.range(0.15, 0.6);
    const strike = (age: number) => Math.min(1, age / 0.005) * Math.exp(-age / decay);
    addNote(out, sampleRate, hz(chord[bar % 3] + 12), t, 4 * decay, 8, 1, strike);
    if (bar % 2 === 0) addNote(out, sampleRate, hz(root - 12), t, 4 * decay, 5, 0.8, strike);
    bar++;
  }
  return normaliseRms(out);
}

/** Clips of `pool` (non-speech sounds, at the output's rate) scattered with 0.2-1.5 s between them. */
export function scatteredSounds(n: number, sampleRate: number, pool: readonly Float32Array[], rand: Rng): Float32Array {
  if (pool.length === 0) throw new RangeError('scatteredSounds: an empty pool of clips');
  const out = new Float32Array(n);
  for (let pos = Math.round(rand.range(0, 0.5) * sampleRate); pos < n;) {
    const clip = normaliseRms(Float32Array.from(rand.pick(pool)));
    const gain = 10 ** (rand.range(-6, 6) / 20);
    for (let i = 0; i < clip.length && pos + i < n; i++) out[pos + i] += gain * clip[i];
    pos += clip.length + Math.round(rand.range(0.2, 1.5) * sampleRate);
  }
  return normaliseRms(out);
}
