import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trimSilence } from './index';
import { gaussianNoise, sine } from './testing/synthetic-audio';

// 50 ms of -60 dBFS noise, 100 ms of a -20 dBFS tone, 50 ms of noise, at 8 kHz (5 ms windows = 40 samples).
const noise = gaussianNoise(1600, -60, 7);
const signal = noise.map((v, i) => (i >= 400 && i < 1200 ? v + sine(1, 440, 8000, -20, i)[0] : v));
const options = { topDb: 30, aboveFloorDb: 6, windowMs: 5, keepMs: 10 };

test('trimSilence drops leading and trailing windows under peak - topDb and keeps keepMs around the sound', () => {
  assert.deepEqual(trimSilence(signal, 8000, options), { start: 400 - 80, end: 1200 + 80 });
  assert.deepEqual(trimSilence(signal, 8000, { ...options, keepMs: 0 }), { start: 400, end: 1200 });
  // keepEndMs: more after the sound than before it, up to the end of the samples.
  assert.deepEqual(trimSilence(signal, 8000, { ...options, keepEndMs: 40 }), { start: 320, end: 1520 });
  assert.deepEqual(trimSilence(signal, 8000, { ...options, keepEndMs: 100 }), { start: 320, end: 1600 });
});

test('trimSilence also treats audio close to the noise floor as silence', () => {
  // With topDb 50 the -60 dBFS noise is within range of the peak; the floor rule still removes it.
  assert.deepEqual(trimSilence(signal, 8000, { ...options, topDb: 50 }), { start: 0, end: 1600 });
  assert.deepEqual(trimSilence(signal, 8000, { ...options, topDb: 50, noiseFloorDbfs: -61 }), {
    start: 320,
    end: 1280,
  });
});

test('trimSilence keeps silence inside the sound, keeps the loudest window of a quiet clip, and handles no samples', () => {
  const gap = signal.map((v, i) => (i >= 600 && i < 1000 ? noise[i] : v));
  assert.deepEqual(trimSilence(gap, 8000, options), { start: 320, end: 1280 });
  // Everything below the floor rule: the threshold is capped at the peak, so the peak window stays.
  const quiet = new Float32Array(400);
  quiet[200] = 0.001;
  const r = trimSilence(quiet, 8000, { ...options, noiseFloorDbfs: -40, keepMs: 0 });
  assert.deepEqual(r, { start: 200, end: 240 });
  assert.deepEqual(trimSilence(new Float32Array(0), 8000, options), { start: 0, end: 0 });
});
