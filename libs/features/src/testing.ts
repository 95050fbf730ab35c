// Test support (not exported): where the shared dataset and librosa fixtures are.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FSDD_RECORDINGS, LIBROSA_REFERENCE } from '@digits/dsp/testing';

/** FSDD recordings folder: env FSDD_DATA (a folder), else ../shared/fsdd/recordings beside the repo. */
export const FSDD_DIR = FSDD_RECORDINGS;
/** librosa 0.9.2 fixtures: env LIBROSA_REF, else ../shared/reference/librosa beside the repo. */
export const REFERENCE_DIR = LIBROSA_REFERENCE;

export function readF32(file: string): Float32Array {
  const b = readFileSync(file);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

export function readClip(name: string): { name: string; bytes: Uint8Array } {
  return { name, bytes: new Uint8Array(readFileSync(path.join(FSDD_DIR, name))) };
}
