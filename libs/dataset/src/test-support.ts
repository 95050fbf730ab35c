// Helpers for this library's tests only (not exported from index.ts): temp folders, synthetic WAVs,
// and where the real FSDD recordings are.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encodeWav16 } from '@digits/dsp';
import { FSDD_RECORDINGS, FSDD_RECORDINGS_ZIP, LIBROSA_REFERENCE, SHARED_FSDD } from '@digits/dsp/testing';

/** The shared FSDD copy beside the repository (`../shared/fsdd`), as CI lays it out. */
export { SHARED_FSDD };

/** The real 2,000 recordings: FSDD_DATA if set, else `../shared/fsdd/recordings`. */
export const REAL_FSDD = FSDD_RECORDINGS;

/** The real recordings as a zip (`recordings/<name>.wav` inside). */
export const REAL_FSDD_ZIP = FSDD_RECORDINGS_ZIP;

/** librosa's duration statistics of the 2,000 recordings. */
export const REFERENCE_DURATIONS = path.join(LIBROSA_REFERENCE, 'duration_stats.json');

/** A 16-bit mono WAV of `numSamples` samples of a quiet ramp (never all zero). */
export function syntheticWav(numSamples: number, sampleRate = 8000): Uint8Array {
  const x = new Float32Array(numSamples);
  for (let i = 0; i < numSamples; i++) x[i] = ((i % 200) - 100) / 1000;
  return encodeWav16(x, sampleRate);
}

/** Runs `fn` with a fresh temp folder, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'digits-dataset-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
