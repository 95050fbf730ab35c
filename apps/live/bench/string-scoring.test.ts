import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DigitString } from '@digits/dataset';
import type { DigitsMessage } from '@digits/protocol';
import { addNoise, groupedAsOne, layStrings, matchStrings } from './string-scoring';

const str = (digits: number[], length: number, spans: [number, number][]): DigitString => ({
  samples: new Float32Array(length).fill(0.1),
  sampleRate: 16000,
  digits: digits as DigitString['digits'],
  spans: spans.map(([start, end], i) => ({
    digit: digits[i] as DigitString['digits'][number],
    speaker: 's',
    clip: 'c',
    start,
    end,
  })),
  snrDb: null,
});

const msg = (text: string, startMs: number, endMs: number, grouped = text): DigitsMessage => ({
  type: 'digits',
  text,
  grouped,
  digits: [...text].map((d) => ({ digit: Number(d), confidence: 0.9, startMs, endMs })),
  startMs,
  endMs,
  latencyMs: 500,
  reason: 'pause',
});

test('layStrings places strings end to end with their speech in stream time; matchStrings gives each message to the string it overlaps most', () => {
  const laid = layStrings([
    str([5, 5], 32000, [
      [16000, 20000],
      [22000, 26000],
    ]),
    str([1], 32000, [[16000, 24000]]),
  ]);
  assert.equal(laid.samples.length, 64000);
  assert.deepEqual(laid.truth, [
    { digits: [5, 5], startMs: 1000, endMs: 1625 },
    { digits: [1], startMs: 3000, endMs: 3500 },
  ]);
  assert.deepEqual(laid.speech[2], { start: 48000, end: 56000 });
  const { matches, spurious } = matchStrings(laid.truth, [
    msg('55', 990, 1640),
    msg('1', 2950, 3400),
    msg('7', 3450, 3900), // overlaps the second string more than nothing: an insertion there
    msg('3', 10_000, 10_300),
  ]);
  assert.deepEqual(
    matches.map((m) => m.hypothesis),
    [
      [5, 5],
      [1, 7],
    ],
  );
  assert.equal(spurious.length, 1);
  assert.deepEqual(groupedAsOne(matches), { exact: 1, asOne: 1 });
  assert.deepEqual(groupedAsOne(matchStrings(laid.truth, [msg('55', 990, 1640, '5 5')]).matches), {
    exact: 1,
    asOne: 0,
  });
});

test('addNoise sets the noise power snrDb under the speech power', () => {
  const x = new Float32Array(160_000);
  for (let i = 0; i < 16000; i++) x[i] = Math.sin(i / 5) * 0.5; // power 0.125
  addNoise(x, [{ start: 0, end: 16000 }], 20, 1);
  let p = 0;
  for (let i = 16000; i < x.length; i++) p += x[i] * x[i];
  const noiseDb = 10 * Math.log10(p / (x.length - 16000));
  assert.ok(Math.abs(noiseDb - (10 * Math.log10(0.125) - 20)) < 0.2, `${noiseDb} dB`);
  assert.throws(() => addNoise(x, [], 20, 1), /no speech/);
});
