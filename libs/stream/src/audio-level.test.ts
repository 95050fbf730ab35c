import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audioLevel, rmsDbfs, peakDbfs, zeroCrossingsPerSecond, DBFS_FLOOR, type AudioFrame } from './index';
import { testScheduler } from './testing/marbles';
import { sine } from './testing/synthetic-audio';

const close = (actual: number, expected: number, tol = 1e-3) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);

test('rmsDbfs: full-scale square 0 dBFS, full-scale sine -3.01, a tenth -20, silence the floor', () => {
  close(rmsDbfs(Float32Array.from({ length: 100 }, (_, i) => (i % 2 ? 1 : -1))), 0);
  close(rmsDbfs(sine(8000, 100, 8000, -3.0103)), -3.0103);
  close(rmsDbfs(sine(8000, 100, 8000, 0).map((v) => (v / Math.SQRT2 / 10) * Math.SQRT2)), -20);
  close(rmsDbfs(new Float32Array(80).fill(0.1)), -20);
  assert.equal(rmsDbfs(new Float32Array(80)), DBFS_FLOOR);
  assert.equal(rmsDbfs(new Float32Array(0)), DBFS_FLOOR);
  assert.equal(DBFS_FLOOR, -120);
});

test('peakDbfs is the largest magnitude in dBFS, clamped for silence', () => {
  close(peakDbfs(Float32Array.from([0.1, -0.5, 0.25])), 20 * Math.log10(0.5));
  close(peakDbfs(Float32Array.from([1])), 0);
  assert.equal(peakDbfs(new Float32Array(10)), DBFS_FLOOR);
});

test('zeroCrossingsPerSecond counts sign changes per second, ignoring a DC offset', () => {
  // A 1 kHz sine crosses zero 2,000 times a second, at any sample rate.
  close(zeroCrossingsPerSecond(sine(8000, 1000, 8000, -10, 0.5), 8000), 2000, 2);
  close(zeroCrossingsPerSecond(sine(48000, 1000, 48000, -10, 0.5), 48000), 2000, 2);
  const offset = sine(8000, 500, 8000, -30, 0.5).map((v) => v + 0.3);
  close(zeroCrossingsPerSecond(offset, 8000), 1000, 2);
  assert.equal(zeroCrossingsPerSecond(new Float32Array(1), 8000), 0);
});

test('audioLevel emits one level per frame on the frame clock', () => {
  const frame = (value: number, tMs: number, n = 10): AudioFrame => ({
    samples: new Float32Array(n).fill(value),
    sampleRate: 1000,
    index: tMs / 10,
    tMs,
  });
  testScheduler().run(({ cold, expectObservable }) => {
    const source = cold('a-b-c|', { a: frame(1, 0), b: frame(0.01, 10), c: frame(0, 20, 5) });
    expectObservable(source.pipe(audioLevel())).toBe('A-B-C|', {
      A: { rmsDbfs: 0, peakDbfs: 0, tMs: 0, durationMs: 10 },
      B: {
        rmsDbfs: rmsDbfs(new Float32Array([0.01])),
        peakDbfs: peakDbfs(new Float32Array([0.01])),
        tMs: 10,
        durationMs: 10,
      },
      C: { rmsDbfs: -120, peakDbfs: -120, tMs: 20, durationMs: 5 },
    });
  });
});
