import assert from 'node:assert/strict';
import { it } from 'node:test';
import { inverseRealFft, realFft } from './fft-plans';

function naiveDft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const re = new Float64Array(n / 2 + 1);
  const im = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    for (let j = 0; j < n; j++) {
      re[k] += x[j] * Math.cos((2 * Math.PI * j * k) / n);
      im[k] -= x[j] * Math.sin((2 * Math.PI * j * k) / n);
    }
  }
  return { re, im };
}

it('realFft is numpy rfft (e^-i, unscaled) and inverseRealFft inverts it, ignoring Im at DC and Nyquist', () => {
  for (const n of [16, 256, 2048]) {
    const x = Float64Array.from({ length: n }, (_, j) => Math.sin(j * 0.37) + 0.25 * Math.cos(j * 1.91) + (j % 7) / 10);
    const out = new Float64Array(2 * n);
    realFft(x, out);
    const ref = naiveDft(x);
    for (let k = 0; k <= n / 2; k++) {
      assert.ok(Math.abs(out[2 * k] - ref.re[k]) < 1e-9 * n, `n=${n} re[${k}]`);
      assert.ok(Math.abs(out[2 * k + 1] - ref.im[k]) < 1e-9 * n, `n=${n} im[${k}]`);
    }
    const re = Float64Array.from({ length: n / 2 + 1 }, (_, k) => out[2 * k]);
    const im = Float64Array.from({ length: n / 2 + 1 }, (_, k) => out[2 * k + 1]);
    im[0] = 123; // pocketfft's c2r ignores these
    im[n / 2] = -45;
    const back = new Float64Array(n);
    inverseRealFft(re, im, 0, back);
    for (let j = 0; j < n; j++) assert.ok(Math.abs(back[j] - x[j]) < 1e-12, `n=${n} x[${j}]`);
  }
});
