import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ClipInput, FeatureConfig } from '@digits/features';
import { frameCount } from '@digits/features';
import type { UnknownEntry } from './unknown-rejection';

/** Label index of the "unknown" class of an 11-class model 5. */
export const UNKNOWN_CLASS = 10;
export const DIGIT_LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
export const LABELS_WITH_UNKNOWN = [...DIGIT_LABELS, 'unknown'];

/** The generated unknowns of one manifest group ('a': for training, 'b': held out for measuring). */
export function readUnknowns(dir: string, group?: 'a' | 'b'): { entries: UnknownEntry[]; clips: ClipInput[] } {
  const file = path.join(dir, 'manifest.json');
  let manifest: UnknownEntry[];
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as UnknownEntry[];
  } catch (err) {
    throw new Error(
      `${file}: ${(err as Error).message} (make it with: node tools/run-ts.mjs tools/unknowns/generate-unknowns.ts)`,
    );
  }
  const entries = manifest.filter((e) => !group || e.group === group);
  return {
    entries,
    clips: entries.map((e) => ({
      name: `unknown/${e.file}`,
      bytes: new Uint8Array(readFileSync(path.join(dir, e.file))),
    })),
  };
}

/**
 * Time-reversed copies of log-mel rows: speech with a speaker's own voice and spectrum that is no digit,
 * the cheapest negatives that keep the model from learning "synthetic voice = unknown".
 */
export function reversedRows(x: Float32Array, rows: readonly number[], config: FeatureConfig): Float32Array {
  const T = frameCount(config);
  const B = config.nMels;
  const out = new Float32Array(rows.length * B * T);
  rows.forEach((r, k) => {
    const src = x.subarray(r * B * T, (r + 1) * B * T);
    // The utterance sits at the start of the window (padding after it): reverse only its active frames.
    let last = 0;
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) if (src[b * T + t] > -config.topDb + 1e-3) last = t;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) out[k * B * T + b * T + t] = t <= last ? src[b * T + (last - t)] : -config.topDb;
    }
  });
  return out;
}
