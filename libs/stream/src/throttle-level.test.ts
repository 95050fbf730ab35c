import { test } from 'node:test';
import assert from 'node:assert/strict';
import { map } from 'rxjs';
import { throttleLevel, type AudioLevel } from './index';
import { testScheduler } from './testing/marbles';

const level = (tMs: number, rmsDbfs: number, peakDbfs = rmsDbfs + 3, durationMs = 10): AudioLevel => ({
  rmsDbfs,
  peakDbfs,
  tMs,
  durationMs,
});
/** Power mean of equally long levels, in dB. */
const powerMean = (...db: number[]) => 10 * Math.log10(db.reduce((s, d) => s + 10 ** (d / 10), 0) / db.length);

test('throttleLevel summarises each window of 1000/maxPerSecond ms: power-mean RMS, maximum peak', () => {
  testScheduler().run(({ cold, expectObservable }) => {
    const source = cold('a-b-c-d-e-|', {
      a: level(0, -20, -10),
      b: level(10, -40, -30),
      c: level(20, -30, -5),
      d: level(30, -30, -25),
      e: level(40, -50, -45),
    });
    expectObservable(source.pipe(throttleLevel(50))).toBe('--X---Y---(Z|)', {
      X: { rmsDbfs: powerMean(-20, -40), peakDbfs: -10, tMs: 0, durationMs: 20 },
      Y: { rmsDbfs: powerMean(-30, -30), peakDbfs: -5, tMs: 20, durationMs: 20 },
      Z: { rmsDbfs: -50, peakDbfs: -45, tMs: 40, durationMs: 10 },
    });
  });
});

test('throttleLevel defaults to 20 per second (50 ms windows) and closes a window early at a gap', () => {
  testScheduler().run(({ cold, expectObservable }) => {
    const values: Record<string, AudioLevel> = {};
    const marbles = 'abcdefgh';
    for (let i = 0; i < 7; i++) values[marbles[i]] = level(i * 10, -30);
    values.h = level(500, -60); // after a gap of 430 ms
    const source = cold('abcdefgh|', values);
    expectObservable(source.pipe(throttleLevel())).toBe('----X--Y(Z|)', {
      X: { rmsDbfs: powerMean(-30), peakDbfs: -27, tMs: 0, durationMs: 50 },
      Y: { rmsDbfs: powerMean(-30), peakDbfs: -27, tMs: 50, durationMs: 20 },
      Z: { rmsDbfs: -60, peakDbfs: -57, tMs: 500, durationMs: 10 },
    });
  });
});

test('throttleLevel closes windows of 10.02 ms frames (22,050 Hz) after 5 frames, not 6', () => {
  testScheduler().run(({ cold, expectObservable }) => {
    const d = (221 / 22050) * 1000;
    const values: Record<string, AudioLevel> = {};
    'abcde'.split('').forEach((k, i) => (values[k] = level(i * d, -20, -17, d)));
    const rounded = cold('abcde|', values).pipe(
      throttleLevel(20),
      map((l) => ({ ...l, rmsDbfs: Number(l.rmsDbfs.toFixed(9)) })),
    );
    expectObservable(rounded).toBe('----X|', { X: { rmsDbfs: -20, peakDbfs: -17, tMs: 0, durationMs: 5 * d } });
  });
  assert.throws(() => throttleLevel(0), RangeError);
});
