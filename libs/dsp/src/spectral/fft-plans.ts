import FFT from 'fft.js';

// fft.js plans (twiddle tables, bit reversal) are costly to build, so one per size is kept for good.
const plans = new Map<number, FFT>();

/** A shared fft.js instance for a power-of-two size. */
export function fftPlan(size: number): FFT {
  let plan = plans.get(size);
  if (!plan) {
    if (size < 4 || (size & (size - 1)) !== 0)
      throw new RangeError(`FFT size must be a power of two >= 4, got ${size}`);
    plan = new FFT(size);
    plans.set(size, plan);
  }
  return plan;
}

/**
 * Forward real FFT of `input` (n = input.length, a power of two) into `out`, numpy's `rfft` convention
 * (e^{-i...}, no scaling): out[2k], out[2k + 1] = Re, Im of bin k for k = 0..n/2. `out` must hold 2n values
 * (fft.js uses the upper half as scratch).
 */
export function realFft(input: Float64Array, out: Float64Array): void {
  fftPlan(input.length).realTransform(out, input);
}

interface InverseRealPlan {
  readonly half: FFT;
  /** cos and sin of 2 pi k / n, k = 0..n/2 - 1. */
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  readonly z: Float64Array;
  readonly zOut: Float64Array;
}
const inversePlans = new Map<number, InverseRealPlan>();

/** Half-size complex FFT, twiddles and buffers for inverse real transforms of size n. */
function inverseRealPlan(n: number): InverseRealPlan {
  let plan = inversePlans.get(n);
  if (!plan) {
    const m = n >> 1;
    const cos = new Float64Array(m);
    const sin = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      cos[k] = Math.cos((2 * Math.PI * k) / n);
      sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    plan = { half: fftPlan(m), cos, sin, z: new Float64Array(2 * m), zOut: new Float64Array(2 * m) };
    inversePlans.set(n, plan);
  }
  return plan;
}

/**
 * Inverse real FFT (numpy `irfft(X, n)`, scaled by 1/n) of the half spectrum `re[offset + k], im[offset + k]`,
 * k = 0..n/2, into `out` (length n). Like numpy/pocketfft, the imaginary parts of bins 0 and n/2 are ignored.
 * Computed with one complex FFT of size n/2: even and odd output samples packed as real and imaginary parts.
 */
export function inverseRealFft(re: ArrayLike<number>, im: ArrayLike<number>, offset: number, out: Float64Array): void {
  const n = out.length;
  const m = n >> 1;
  const { half, cos, sin, z, zOut } = inverseRealPlan(n);
  for (let k = 0; k < m; k++) {
    // A = X[k], B = conj(X[m - k]); E = A + B, O = (A - B) e^{+2 pi i k / n}; Z = E + i O (halves folded into
    // the final scaling). Z is stored conjugated so that the forward transform computes the inverse.
    const ar = re[offset + k];
    const ai = k === 0 ? 0 : im[offset + k];
    const br = re[offset + m - k];
    const bi = k === 0 ? 0 : -im[offset + m - k];
    const dr = ar - br;
    const di = ai - bi;
    const or = dr * cos[k] - di * sin[k];
    const oi = dr * sin[k] + di * cos[k];
    z[2 * k] = ar + br - oi;
    z[2 * k + 1] = -(ai + bi + or);
  }
  half.transform(zOut, z);
  // ifft(Z) = conj(fft(conj(Z))) / m; with the 1/2 of E and O: a factor 0.5 / m, a power of two (exact).
  const scale = 0.5 / m;
  for (let j = 0; j < m; j++) {
    out[2 * j] = zOut[2 * j] * scale;
    out[2 * j + 1] = -zOut[2 * j + 1] * scale;
  }
}
