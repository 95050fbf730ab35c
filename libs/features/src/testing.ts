// Test support (not exported): where the shared dataset and librosa fixtures are.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** FSDD recordings folder: env FSDD_DATA (a folder), else ../shared/fsdd/recordings beside the repo. */
export const FSDD_DIR = process.env.FSDD_DATA ?? path.resolve(__dirname, '../../../../shared/fsdd/recordings');
/** librosa 0.9.2 fixtures: env LIBROSA_REF, else ../shared/reference/librosa beside the repo. */
export const REFERENCE_DIR = process.env.LIBROSA_REF ?? path.resolve(__dirname, '../../../../shared/reference/librosa');

export function readF32(file: string): Float32Array {
  const b = readFileSync(file);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

export function readClip(name: string): { name: string; bytes: Uint8Array } {
  return { name, bytes: new Uint8Array(readFileSync(path.join(FSDD_DIR, name))) };
}
