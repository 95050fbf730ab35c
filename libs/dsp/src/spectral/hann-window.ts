const cache = new Map<number, Float64Array>();

/**
 * Periodic Hann window of `n` samples in float64, as `scipy.signal.get_window('hann', n, fftbins=True)`
 * (what librosa's STFT uses): the symmetric window of n + 1 points without its last point, computed as
 * scipy does, 0.5 + 0.5 cos(linspace(-pi, pi, n + 1)). Cached by size; do not modify the returned array.
 */
export function hannWindow(n: number): Float64Array {
  const hit = cache.get(n);
  if (hit) return hit;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`hannWindow: size must be a positive integer, got ${n}`);
  const w = new Float64Array(n);
  const step = (2 * Math.PI) / n; // linspace(-pi, pi, n + 1)
  for (let k = 0; k < n; k++) w[k] = 0.5 + 0.5 * Math.cos(k * step + -Math.PI);
  cache.set(n, w);
  return w;
}
