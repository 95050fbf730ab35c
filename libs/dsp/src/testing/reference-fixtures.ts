// Test support only (never imported by the library): locate and read the librosa 0.9.2 reference fixtures
// (../shared/reference/librosa, see its README.md) and the FSDD recordings.
import fs from 'node:fs';
import path from 'node:path';
import { FSDD_RECORDINGS, LIBROSA_REFERENCE } from './fixture-paths';

/** Folder of the librosa fixtures: env LIBROSA_REF, else ../shared/reference/librosa beside the repo. */
export const REFERENCE_DIR = LIBROSA_REFERENCE;
/** Folder of the FSDD recordings: env FSDD_DATA, else ../shared/fsdd/recordings beside the repo. */
export const FSDD_DIR = FSDD_RECORDINGS;

export interface ManifestEntry {
  file: string;
  source: string | null;
  dtype: string;
  shape: number[];
  call: string;
  params: Record<string, unknown>;
  n?: number;
}

export interface ConditioningResult {
  ts_wave?: number;
  wave?: number;
  logmel_max: number;
  logmel_max_above_m40?: number;
}

/** sensitivity.json's augmentation_conditioning: how far a 1e-7 relative input change moves each output. */
export function readConditioning(): Record<string, ConditioningResult> {
  return readJson<{ augmentation_conditioning: { results: Record<string, ConditioningResult> } }>('sensitivity.json')
    .augmentation_conditioning.results;
}

export interface Manifest {
  arrays: ManifestEntry[];
  pipeline: { sample_rate: number; pad_len: number };
  selected: string[];
  augmented: string[];
  base_info: Record<string, { n8k: number; n22050: number; duration_s: number; last_sample: number }>;
}

let manifest: Manifest | undefined;

export function readManifest(): Manifest {
  manifest ??= JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, 'manifest.json'), 'utf8')) as Manifest;
  return manifest;
}

export function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, file), 'utf8')) as T;
}

/** A raw little-endian float32 fixture (relative path as in the manifest). */
export function readF32(file: string): Float32Array {
  const buf = fs.readFileSync(path.join(REFERENCE_DIR, file));
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/** A raw little-endian float64 fixture. */
export function readF64(file: string): Float64Array {
  const buf = fs.readFileSync(path.join(REFERENCE_DIR, file));
  return new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/** The bytes of an FSDD recording, e.g. `0_jackson_0`. */
export function readRecording(stem: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(FSDD_DIR, `${stem}.wav`)));
}

/** The manifest entry of a fixture file; throws if the manifest lacks it (so a renamed fixture fails loudly). */
export function entryOf(file: string): ManifestEntry {
  const e = readManifest().arrays.find((a) => a.file === file);
  if (!e) throw new Error(`manifest has no entry for ${file}`);
  return e;
}

/** Largest absolute difference between two arrays of equal length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = d; // NaN propagates as a failure
  }
  return m;
}
