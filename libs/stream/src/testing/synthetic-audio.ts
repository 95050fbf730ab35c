// Test helpers (not exported from the library): seeded noise, tones and frames for marble tests, and an
// FSDD test stream builder.
import type { AudioFrame } from '../types';
import { seededUniform } from '@digits/dsp';

/** The shared seeded generator (mulberry32). */
export const seededRandom = seededUniform;

/** Seeded Gaussian samples with RMS 10^(dbfs/20) (Box-Muller). */
export function gaussianNoise(n: number, dbfs: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const sigma = 10 ** (dbfs / 20);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rand()));
    const phi = 2 * Math.PI * rand();
    out[i] = sigma * r * Math.cos(phi);
    if (i + 1 < n) out[i + 1] = sigma * r * Math.sin(phi);
  }
  return out;
}

/** A sine of `hz` with RMS 10^(dbfs/20), starting at sample `offset` (phase-continuous across calls). */
export function sine(n: number, hz: number, sampleRate: number, dbfs: number, offset = 0): Float32Array {
  const amp = Math.SQRT2 * 10 ** (dbfs / 20);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = amp * Math.sin((2 * Math.PI * hz * (i + offset)) / sampleRate);
  return out;
}

/**
 * Kinds of 10 ms frames at 8,000 Hz for detector marble tests:
 * n  background noise, white, -60 dBFS         s  speech: 300 Hz tone at -20 dBFS plus the noise
 * f  hiss (fricative): white noise at -55 dBFS  l  a low tone at -55 dBFS (quiet but not hissy)
 * z  digital silence                           q  quiet noise at -75 dBFS (below minSpeechDbfs)
 * L  loud background noise at -40 dBFS
 */
export type FrameKind = 'n' | 's' | 'f' | 'l' | 'z' | 'q' | 'L';

export const TEST_RATE = 8000;
export const TEST_FRAME = 80;

/** Frame number `index` (tMs = 10 * index) of the given kind; deterministic in (kind, index). */
export function testFrame(kind: FrameKind, index: number, sampleRate = TEST_RATE): AudioFrame {
  const n = Math.round(sampleRate / 100);
  const noise = gaussianNoise(n, kind === 'q' ? -75 : kind === 'L' ? -40 : kind === 'f' ? -55 : -60, 1000 + index);
  let samples: Float32Array;
  if (kind === 's' || kind === 'l') {
    const tone = sine(n, 300, sampleRate, kind === 's' ? -20 : -55, index * n);
    samples = tone.map((v, i) => v + (kind === 's' ? noise[i] : 0));
  } else if (kind === 'z') samples = new Float32Array(n);
  else samples = noise;
  return { samples, sampleRate, index, tMs: (index * n * 1000) / sampleRate };
}

/** Frames for a pattern such as '30n 12s 25n': counts and kinds, indices from `firstIndex`. */
export function framesOf(pattern: string, firstIndex = 0): AudioFrame[] {
  const out: AudioFrame[] = [];
  for (const part of pattern.trim().split(/\s+/)) {
    const m = /^(\d*)([nsflzqL])$/.exec(part);
    if (!m) throw new Error(`bad frame pattern part ${part}`);
    const count = m[1] ? Number(m[1]) : 1;
    for (let i = 0; i < count; i++) out.push(testFrame(m[2] as FrameKind, firstIndex + out.length));
  }
  return out;
}
