/**
 * `np.percentile(values, p)` with numpy's default method ('linear'), reproduced to the bit: the virtual
 * index is (n - 1) * (p / 100), and the two neighbours are blended with numpy's `_lerp`, which computes
 * `b - (b - a) * (1 - t)` instead of `a + (b - a) * t` when t >= 0.5 (numpy >= 1.22; the reference used 1.24).
 *
 * @param sorted values in ascending order (not checked), at least one
 * @param p percentile in [0, 100]
 */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('percentile of no values');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
  const virtual = (n - 1) * (p / 100);
  const below = Math.floor(virtual);
  const above = Math.min(below + 1, n - 1);
  const t = virtual - below;
  const a = sorted[below];
  const b = sorted[above];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** `np.percentile(values, ps)` (linear), for several percentiles at once; `values` need not be sorted. */
export function percentiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  return ps.map((p) => percentileOfSorted(sorted, p));
}

/**
 * numpy's pairwise summation (`np.add.reduce` on a contiguous float64 array): blocks of up to 128 values
 * are summed with 8 running partial sums, longer arrays are split in halves (the first half a multiple of 8).
 * Reproducing it makes `np.mean` and `np.std` equal to the bit, not just to 1e-16.
 */
export function pairwiseSum(values: ArrayLike<number>, start = 0, n = values.length - start): number {
  if (n < 8) {
    let s = 0; // numpy starts from -0.0 here; the sign of a zero sum never matters for these statistics
    for (let i = 0; i < n; i++) s += values[start + i];
    return s;
  }
  if (n <= 128) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0].map((_, k) => values[start + k]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let k = 0; k < 8; k++) r[k] += values[start + i + k];
    }
    let s = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) s += values[start + i];
    return s;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, n - half);
}

/** `np.mean` of float64 values. */
export function mean(values: ArrayLike<number>): number {
  return pairwiseSum(values) / values.length;
}

/** `np.std` (population, ddof = 0) of float64 values: sqrt(mean((x - mean)^2)). */
export function std(values: ArrayLike<number>): number {
  const m = mean(values);
  const sq = Float64Array.from(values, (v) => (v - m) * (v - m));
  return Math.sqrt(pairwiseSum(sq) / values.length);
}
