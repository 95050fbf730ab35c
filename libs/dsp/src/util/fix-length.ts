/**
 * `librosa.util.fix_length(x, size=n)`: the first `n` samples of `x`, padded with zeros at the end when `x`
 * is shorter. Always returns a new array.
 *
 * @param x input samples
 * @param n output length in samples (a non-negative integer)
 */
export function fixLength(x: Float32Array, n: number): Float32Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`fixLength: length must be a non-negative integer, got ${n}`);
  const out = new Float32Array(n);
  out.set(x.length > n ? x.subarray(0, n) : x);
  return out;
}
