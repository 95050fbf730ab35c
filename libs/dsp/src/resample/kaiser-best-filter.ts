/**
 * resampy 0.4.x's `kaiser_best` interpolation filter: the right wing of a Kaiser-windowed sinc low-pass.
 *
 * Written by hand (not taken from a library) because librosa-exactness depends on this very table:
 * `rolloff * sinc(rolloff * linspace(0, 50, 409601)) * kaiser(819201, 12.9846)[409600:]`, evaluated in
 * float64 in the same order as numpy/scipy. That is how Debian's resampy 0.4.2 builds it (the reference
 * fixtures' resampler); the table shipped on PyPI differs by at most 3.8e-7 (0.001 dB on a log-mel).
 */

/** Zero crossings of the sinc kept on each side. */
export const KAISER_BEST_ZERO_CROSSINGS = 50;
/** Table points per zero crossing (resampy's `precision`, 2^13). */
export const KAISER_BEST_TABLE_DENSITY = 1 << 13;
/** Kaiser window shape parameter. */
export const KAISER_BEST_BETA = 12.9846;
/** Cut-off as a fraction of the Nyquist frequency of the lower rate. */
export const KAISER_BEST_ROLLOFF = 0.917347;

/** The filter table and its forward differences (resampy's `interp_win`, `interp_delta`). */
export interface InterpolationFilter {
  /** Filter taps, `zeroCrossings * density + 1` points, float64. */
  readonly win: Float64Array;
  /** `win[i + 1] - win[i]`, and 0 for the last point (numpy `diff(append=win[-1])`). */
  readonly delta: Float64Array;
  /** Table points per zero crossing. */
  readonly density: number;
}

/**
 * Modified Bessel function of the first kind, order 0, by its power series. Every term is positive, so the
 * sum is accurate to a few ulp for the arguments used here (0..13), like scipy's Chebyshev version.
 */
export function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

let cached: InterpolationFilter | undefined;

/** The `kaiser_best` table, built once (about 6 MB with its deltas) and shared. */
export function kaiserBestFilter(): InterpolationFilter {
  if (cached) return cached;
  const density = KAISER_BEST_TABLE_DENSITY;
  const n = density * KAISER_BEST_ZERO_CROSSINGS; // 409600
  const rolloff = KAISER_BEST_ROLLOFF;
  const beta = KAISER_BEST_BETA;
  const win = new Float64Array(n + 1);
  // scipy.signal.windows.kaiser(M = 2n + 1): alpha = (M - 1) / 2 = n; w[j] = I0(beta sqrt(1 - ((j - n)/n)^2)) / I0(beta).
  const i0Beta = besselI0(beta);
  // linspace(0, 50, n + 1) has step 50 / 409600 = 1 / 8192, exact in binary, so x_i = i * step exactly.
  const step = KAISER_BEST_ZERO_CROSSINGS / n;
  for (let i = 0; i <= n; i++) {
    const x = i === n ? KAISER_BEST_ZERO_CROSSINGS : i * step;
    // np.sinc(v) = sin(pi v) / (pi v), with v = 0 replaced by 1e-20.
    const v = rolloff * x;
    const pv = Math.PI * (v === 0 ? 1e-20 : v);
    const sinc = Math.sin(pv) / pv;
    const r = i / n; // (j - alpha) / alpha for j = n + i
    const taper = besselI0(beta * Math.sqrt(1 - r ** 2)) / i0Beta;
    win[i] = taper * (rolloff * sinc);
  }
  const delta = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) delta[i] = win[i + 1] - win[i];
  cached = { win, delta, density };
  return cached;
}
