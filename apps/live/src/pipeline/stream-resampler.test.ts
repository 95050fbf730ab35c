import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resample, seededUniform } from '@digits/dsp';
import { StreamResampler } from './stream-resampler';

test('StreamResampler: 48 kHz in odd pieces gives the whole-buffer resampling, block by block; 16 kHz passes through', () => {
  const rnd = seededUniform(3);
  const x = Float32Array.from({ length: 3840 * 12 }, (_, i) => 0.5 * Math.sin(i / 7) + 0.1 * (rnd() - 0.5));
  const r = new StreamResampler(16000);
  const out: Float32Array[] = [];
  for (let at = 0; at < x.length;) {
    const n = Math.min(x.length - at, 100 + Math.floor(rnd() * 2000));
    out.push(...r.push(x.subarray(at, at + n), 48000));
    at += n;
  }
  out.push(...r.flush());
  const y = Float32Array.from(out.flatMap((b) => [...b]));
  assert.equal(y.length, 1280 * 12);
  const whole = resample(x, 48000, 16000);
  let worst = 0;
  for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(y[i] - whole[i]));
  assert.ok(worst < 1e-3, `largest difference ${worst}`);
  const pass = new StreamResampler(16000);
  const same = new Float32Array(300).fill(0.2);
  assert.equal(pass.push(same, 16000)[0], same);
});
