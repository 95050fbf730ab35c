/** Test helpers: seeded random arrays and error measures. Not part of the public API. */

import { seededUniform } from '@digits/dsp';

/** The shared seeded generator (mulberry32). */
export { seededUniform };

/** `n` values uniform in [lo, hi). */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const rnd = seededUniform(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rnd();
  return out;
}

/**
 * Error of `actual` relative to the size of `expected`: max |a - e| / max |e|. Element-wise relative
 * error is meaningless where the reference crosses zero, so the scale is the whole array's.
 */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  if (!Number.isFinite(maxDiff)) return Infinity;
  return maxRef === 0 ? maxDiff : maxDiff / maxRef;
}
