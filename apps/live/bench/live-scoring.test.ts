import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PredictionMessage } from '@digits/protocol';
import {
  matchPredictions,
  parseConditions,
  parseLiveLines,
  parsePredictionLines,
  parseRates,
  scoreMatches,
} from './live-scoring';

/** A prediction over [startMs, endMs] whose best digit is `digit` (confidence 0.4: below a threshold). */
function prediction(startMs: number, endMs: number, digit: number): PredictionMessage {
  const probs = Array.from({ length: 10 }, (_, d) => (d === digit ? 0.4 : 0.6 / 9));
  return { type: 'prediction', digit: null, confidence: 0.4, probs, startMs, endMs, latencyMs: 200 };
}

const clips = [
  { digit: 1, startMs: 1000, endMs: 1400 },
  { digit: 2, startMs: 2000, endMs: 2500 },
  { digit: 3, startMs: 2800, endMs: 3200 },
  { digit: 4, startMs: 4000, endMs: 4300 },
  { digit: 5, startMs: 5000, endMs: 5400 },
];

test('matchPredictions: one right, one wrong, a merged pair, a split digit, a missed one and a spurious one', () => {
  const predictions = [
    prediction(990, 1390, 1), // clip 0, right (argmax counts although digit is null)
    prediction(2010, 3150, 2), // spans clips 1 and 2: both fail
    prediction(4000, 4100, 4), // clip 3 split in two: fails
    prediction(4180, 4290, 4),
    prediction(6000, 6200, 7), // no clip: spurious
    // clip 4: nothing
  ];
  const match = matchPredictions(clips, predictions);
  assert.deepEqual(
    match.perClip.map((m) => [m.predictions.length, m.exactlyOne, m.digit]),
    [
      [1, true, 1],
      [1, false, null],
      [1, false, null],
      [2, false, null],
      [0, false, null],
    ],
  );
  assert.equal(match.spurious, 1);
  assert.deepEqual(scoreMatches(clips, match), { clips: 5, exactlyOne: 1, correct: 1, spurious: 1 });
});

test('matchPredictions: the slack lets an utterance start just before its clip, and a wrong digit is not correct', () => {
  const early = matchPredictions(clips, [prediction(955, 1300, 1)]);
  assert.equal(early.perClip[0].exactlyOne, true);
  const far = matchPredictions(clips, [prediction(800, 940, 1)]);
  assert.equal(far.perClip[0].predictions.length, 0);
  assert.equal(far.spurious, 1);
  const wrong = matchPredictions(clips, [prediction(1000, 1400, 7)]);
  assert.equal(wrong.perClip[0].digit, 7);
  assert.equal(scoreMatches(clips, wrong).correct, 0);
  assert.equal(scoreMatches(clips, wrong).exactlyOne, 1);
});

test('parsePredictionLines keeps prediction lines, checks them, and names a line that is not JSON', () => {
  const p = prediction(0, 100, 3);
  const stdout = `${JSON.stringify({ type: 'level', rmsDbfs: -40 })}\n${JSON.stringify(p)}\n\n`;
  assert.deepEqual(parsePredictionLines(stdout), [p]);
  assert.throws(() => parsePredictionLines('Dashboard: http://x\n'), /stdout line 1 is not JSON/);
  assert.throws(() => parsePredictionLines(JSON.stringify({ ...p, probs: [1] })));
});

test('parseLiveLines also keeps digits messages (a string model), checked against their schema', () => {
  const p = prediction(0, 100, 3);
  const d = {
    type: 'digits',
    text: '3',
    grouped: '3',
    digits: [{ digit: 3, confidence: 0.9, startMs: 0, endMs: 100 }],
    startMs: 0,
    endMs: 100,
    latencyMs: 510,
    reason: 'pause',
  };
  const out = parseLiveLines(`${JSON.stringify(p)}\n${JSON.stringify(d)}\n`);
  assert.deepEqual(out, { predictions: [p], strings: [d] });
  assert.throws(() => parseLiveLines(JSON.stringify({ ...d, text: '4' })), /text/);
});

test('parseConditions and parseRates: clean and SNRs, rates in range, clear errors', () => {
  assert.deepEqual(parseConditions('clean,30,20'), [
    { name: 'clean', snrDb: null },
    { name: '30 dB SNR', snrDb: 30 },
    { name: '20 dB SNR', snrDb: 20 },
  ]);
  assert.throws(() => parseConditions('clean,loud'), /"loud" is neither/);
  assert.deepEqual(parseRates('16000, 48000'), [16000, 48000]);
  assert.throws(() => parseRates('16000,4000'), /"4000" is not a rate/);
});
