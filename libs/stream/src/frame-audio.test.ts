import { test } from 'node:test';
import assert from 'node:assert/strict';
import { map } from 'rxjs';
import { frameAudio, type AudioChunk, type AudioFrame } from './index';
import { testScheduler } from './testing/marbles';

/** A chunk of consecutive sample values from..from+n-1 (each value names its sample). */
const ramp = (from: number, n: number, sampleRate = 1000, startSample?: number): AudioChunk => ({
  samples: Float32Array.from({ length: n }, (_, i) => from + i),
  sampleRate,
  ...(startSample !== undefined ? { startSample } : {}),
});
const frame = (from: number, n: number, index: number, tMs: number, sampleRate = 1000): AudioFrame => ({
  samples: Float32Array.from({ length: n }, (_, i) => from + i),
  sampleRate,
  index,
  tMs,
});

test('frameAudio regroups chunks of any size into 10 ms frames, carrying remainders and flushing at the end', () => {
  testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
    const source = cold('a---b---c---|', { a: ramp(0, 25), b: ramp(25, 5), c: ramp(30, 12) });
    expectObservable(source.pipe(frameAudio(10))).toBe('(xy)z---w---(v|)', {
      x: frame(0, 10, 0, 0),
      y: frame(10, 10, 1, 10),
      z: frame(20, 10, 2, 20),
      w: frame(30, 10, 3, 30),
      v: frame(40, 2, 4, 40),
    });
    expectSubscriptions(source.subscriptions).toBe('^-----------!');
  });
});

test('frameAudio builds frames from chunks smaller than a frame', () => {
  testScheduler().run(({ cold, expectObservable }) => {
    const source = cold('abcd|', { a: ramp(0, 4), b: ramp(4, 4), c: ramp(8, 4), d: ramp(12, 8) });
    expectObservable(source.pipe(frameAudio(10))).toBe('--xy|', { x: frame(0, 10, 0, 0), y: frame(10, 10, 1, 10) });
  });
});

test('frameAudio flushes the remainder on a sample-rate change and continues the clock', () => {
  testScheduler().run(({ cold, expectObservable }) => {
    // 15 ms at 1 kHz, then 15 ms at 2 kHz (20-sample frames): the second run starts at 15 ms.
    const source = cold('a-----b-----|', { a: ramp(0, 15), b: ramp(100, 30, 2000) });
    expectObservable(source.pipe(frameAudio(10))).toBe('x-----(yz)--(w|)', {
      x: frame(0, 10, 0, 0),
      y: frame(10, 5, 1, 10),
      z: frame(100, 20, 2, 15, 2000),
      w: frame(120, 10, 3, 25, 2000),
    });
  });
});

test('frameAudio follows startSample: contiguous chunks join, a gap flushes and moves the clock', () => {
  testScheduler().run(({ cold, expectObservable }) => {
    const source = cold('a-b-c-----|', {
      a: ramp(0, 10, 1000, 0),
      b: ramp(10, 5, 1000, 10),
      c: ramp(500, 10, 1000, 100),
    });
    expectObservable(source.pipe(frameAudio(10))).toBe('x---(yz)--|', {
      x: frame(0, 10, 0, 0),
      y: frame(10, 5, 1, 10),
      z: frame(500, 10, 2, 100),
    });
  });
});

test('frameAudio rounds the frame length to whole samples: 221 at 22,050 Hz, tMs on the exact clock', () => {
  testScheduler().run(({ cold, expectObservable }) => {
    const source = cold('a---|', { a: { samples: new Float32Array(442), sampleRate: 22050 } });
    const described = source.pipe(
      frameAudio(10),
      map((f) => `${f.samples.length} samples at ${f.tMs.toFixed(4)} ms`),
    );
    expectObservable(described).toBe('(xy)|', { x: '221 samples at 0.0000 ms', y: '221 samples at 10.0227 ms' });
  });
});

test('frameAudio errors on a chunk with an invalid sample rate and rejects a bad frame length', () => {
  testScheduler().run(({ cold, expectObservable }) => {
    const source = cold('a-b|', { a: ramp(0, 10), b: ramp(0, 10, 0) });
    expectObservable(source.pipe(frameAudio(10))).toBe(
      'x-#',
      { x: frame(0, 10, 0, 0) },
      new RangeError('frameAudio: chunk sampleRate must be a positive number of Hz, got 0'),
    );
  });
  assert.throws(() => frameAudio(0), RangeError);
  assert.throws(() => frameAudio(Number.NaN), RangeError);
});

test('frameAudio keeps separate state per subscription and unsubscribes from the source', () => {
  testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
    const source = cold('a-b-|', { a: ramp(0, 15), b: ramp(15, 5) });
    const framed = source.pipe(frameAudio(10));
    expectObservable(framed).toBe('x-y-|', { x: frame(0, 10, 0, 0), y: frame(10, 10, 1, 10) });
    expectObservable(framed, '^-!').toBe('x--', { x: frame(0, 10, 0, 0) });
    expectSubscriptions(source.subscriptions).toBe(['^---!', '^-!']);
  });
});
