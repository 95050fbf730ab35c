// Linear convolution by FFT overlap-add (fft.js): a room's 1 s impulse response over a minute of 48 kHz audio
// costs a few FFTs per block instead of 48,000 multiplications per sample.
import FFT from 'fft.js';

function nextPow2(n: number): number {
  let p = 4;
  while (p < n) p *= 2;
  return p;
}

/** Full convolution of `x` with `h`: x.length + h.length - 1 samples (empty if either is empty). */
export function fftConvolve(x: Float32Array, h: Float32Array): Float32Array {
  if (x.length === 0 || h.length === 0) return new Float32Array(0);
  const outLength = x.length + h.length - 1;
  const out = new Float64Array(outLength);
  // Blocks of x about as long as h (at least 4,096 samples): the FFT size stays near 2-4 times h.
  const block = Math.max(4096, nextPow2(h.length));
  const size = nextPow2(block + h.length - 1);
  const fft = new FFT(size);
  const hSpec = fft.createComplexArray();
  const buf = new Array<number>(size).fill(0);
  for (let i = 0; i < h.length; i++) buf[i] = h[i];
  fft.realTransform(hSpec, buf);
  fft.completeSpectrum(hSpec);
  const xSpec = fft.createComplexArray();
  const y = fft.createComplexArray();
  for (let start = 0; start < x.length; start += block) {
    const n = Math.min(block, x.length - start);
    buf.fill(0);
    for (let i = 0; i < n; i++) buf[i] = x[start + i];
    fft.realTransform(xSpec, buf);
    fft.completeSpectrum(xSpec);
    for (let k = 0; k < size; k++) {
      const ar = xSpec[2 * k];
      const ai = xSpec[2 * k + 1];
      const br = hSpec[2 * k];
      const bi = hSpec[2 * k + 1];
      xSpec[2 * k] = ar * br - ai * bi;
      xSpec[2 * k + 1] = ar * bi + ai * br;
    }
    fft.inverseTransform(y, xSpec);
    const m = Math.min(size, outLength - start);
    for (let i = 0; i < m; i++) out[start + i] += y[2 * i];
  }
  return Float32Array.from(out);
}
