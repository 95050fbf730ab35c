import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lastValueFrom, map, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { encodeWav16 } from '@digits/dsp';
import { createWavSource } from './wav-source';

const dir = mkdtempSync(path.join(os.tmpdir(), 'live-wav-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** A WAV file of `seconds` of a ramp at `rate` Hz (16-bit exact values). */
function writeWav(name: string, seconds: number, rate: number): { file: string; samples: Float32Array } {
  const n = Math.round(seconds * rate);
  const samples = Float32Array.from({ length: n }, (_, i) => Math.round(((i % 200) - 100) * 100) / 32768);
  const file = path.join(dir, name);
  writeFileSync(file, encodeWav16(samples, rate));
  return { file, samples };
}

const virtualTime = () => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));

test('a paced WAV source delivers every sample in order, one 20 ms chunk each 20 ms of (virtual) time', () => {
  const { file, samples } = writeWav('one-second.wav', 1, 16000);
  const scheduler = virtualTime();
  const source = createWavSource({ path: file, scheduler });
  assert.deepEqual(source.info, { kind: 'wav', description: `${file} (1.0 s, 16000 Hz)`, sampleRate: 16000 });
  const chunks: Float32Array[] = [];
  scheduler.run(({ expectObservable }) => {
    const sizes = source.chunks$.pipe(
      map((c) => {
        chunks.push(c.samples);
        return c.samples.length === 320 && c.sampleRate === 16000;
      }),
    );
    // Chunk i is due when its audio would have been captured: at (i + 1) * 20 ms; completion with the last.
    const marble = Array.from({ length: 50 }, (_, i) => (i === 49 ? '(t|)' : 't')).join(' 19ms ');
    expectObservable(sizes).toBe(`20ms ${marble}`, { t: true });
  });
  const joined = new Float32Array(chunks.reduce((s, c) => s + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    joined.set(c, o);
    o += c.length;
  }
  assert.deepEqual(joined, samples);
});

test('paced chunks follow the chunk length: 100 ms chunks come each 100 ms, never early', () => {
  const { file } = writeWav('half.wav', 0.5, 8000);
  const scheduler = virtualTime();
  scheduler.run(({ expectObservable }) => {
    const source = createWavSource({ path: file, chunkMs: 100, scheduler });
    expectObservable(source.chunks$.pipe(map((c) => c.samples.length))).toBe('100ms a 99ms b 99ms c 99ms d 99ms (e|)', {
      a: 800,
      b: 800,
      c: 800,
      d: 800,
      e: 800,
    });
  });
});

test('--fast delivers the same chunks without pacing, and completes with status ended', async () => {
  const { file, samples } = writeWav('ten-seconds.wav', 10, 16000);
  const source = createWavSource({ path: file, fast: true });
  const statuses: string[] = [];
  source.status$.subscribe((s) => statuses.push(s.state));
  const chunks = await lastValueFrom(source.chunks$.pipe(toArray()));
  assert.equal(
    chunks.reduce((s, c) => s + c.samples.length, 0),
    samples.length,
  );
  assert.deepEqual(statuses, ['starting', 'listening', 'ended']);
});

test('--fast gives the event loop a turn between bursts', async () => {
  const { file } = writeWav('three-seconds.wav', 3, 16000);
  let n = 0;
  const seenByOthers: number[] = [];
  let ticking = true;
  const tick = () => {
    seenByOthers.push(n);
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  await new Promise<void>((resolve) =>
    createWavSource({ path: file, fast: true, fastBurstChunks: 10 }).chunks$.subscribe({
      next: () => n++,
      complete: resolve,
    }),
  );
  ticking = false;
  assert.equal(n, 150);
  const midStream = seenByOthers.filter((k) => k > 0 && k < n);
  assert.ok(midStream.length >= 10, `other callbacks ran at chunk counts ${seenByOthers.join(',')}`);
  assert.ok(
    midStream.every((k) => k % 10 === 0),
    'other callbacks run between bursts of 10 chunks',
  );
});

test('unsubscribing stops a paced source: no chunk after it', () => {
  const { file } = writeWav('stop.wav', 2, 8000);
  const scheduler = virtualTime();
  scheduler.run(({ expectObservable }) => {
    const chunks$ = createWavSource({ path: file, scheduler }).chunks$.pipe(map(() => 'x'));
    expectObservable(chunks$, '^ 50ms !').toBe('20ms x 19ms x');
  });
});

test('a missing or broken WAV file is a clear error at creation', () => {
  assert.throws(
    () => createWavSource({ path: path.join(dir, 'nope.wav') }),
    /cannot read WAV file .*nope\.wav: ENOENT/,
  );
  const bad = path.join(dir, 'bad.wav');
  writeFileSync(bad, 'not a wav file at all');
  assert.throws(() => createWavSource({ path: bad }), /bad\.wav.*not a RIFF\/WAVE file/);
});
