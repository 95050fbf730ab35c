import { test } from 'node:test';
import assert from 'node:assert/strict';
import { from, lastValueFrom, toArray } from 'rxjs';
import { PredictionMessageSchema, type PredictionMessage } from '@digits/protocol';
import type { Utterance } from '@digits/stream';
import { FakeClassifier, peakedProbs } from '../testing/fake-classifier';
import { classifyUtterances, predictionMessage, type PredictionTimings } from './classify-utterances';

const utterance = (startMs: number, endMs: number, endDetectedAtMs = endMs + 200, speechEndMs = endMs): Utterance => ({
  samples: new Float32Array(Math.round(((endMs - startMs) * 22050) / 1000)),
  sampleRate: 22050,
  startMs,
  endMs,
  speechEndMs,
  endDetectedAtMs,
  reason: 'silence',
});

test('predictionMessage: top digit and its probability; null below the threshold; probs kept', () => {
  const u = utterance(1000, 1500);
  const sure = predictionMessage(u, peakedProbs(7, 0.8), 0.5, 230);
  assert.deepEqual(sure, {
    type: 'prediction',
    digit: 7,
    confidence: 0.8,
    probs: peakedProbs(7, 0.8),
    startMs: 1000,
    endMs: 1500,
    latencyMs: 230,
  });
  assert.equal(PredictionMessageSchema.safeParse(sure).success, true);
  const unsure = predictionMessage(u, peakedProbs(2, 0.4), 0.5, 230);
  assert.equal(unsure.digit, null);
  assert.equal(unsure.confidence, 0.4);
  assert.equal(predictionMessage(u, peakedProbs(2, 0.4), 0.4, 0).digit, 2, 'at the threshold counts');
  // Float noise just above 1 or below 0 from a softmax stays a valid probability.
  const noisy = predictionMessage(u, [1.0000001, ...new Array(9).fill(-1e-9)], 0.5, 0);
  assert.equal(PredictionMessageSchema.safeParse(noisy).success, true);
});

test('classifyUtterances: one prediction per utterance, in order, latency = hangover + processing', async () => {
  let clock = 0;
  const classifier = new FakeClassifier({ answer: (i) => peakedProbs([3, 1, 4][i], [0.9, 0.3, 0.7][i]) });
  const timings: PredictionTimings[] = [];
  const origClassify = classifier.classify.bind(classifier);
  classifier.classify = async (s, r) => {
    clock += 12; // 12 ms of "work" per utterance on the fake clock
    return origClassify(s, r);
  };
  const messages = await lastValueFrom(
    // The first one's quiet tail (480-500 ms) was trimmed: latency still counts from the detector's end.
    from([utterance(100, 480, 720, 500), utterance(1200, 1600, 1800), utterance(2500, 2900, 3100)]).pipe(
      classifyUtterances(classifier, { threshold: 0.5, now: () => clock, onTimings: (t) => timings.push(t) }),
      toArray(),
    ),
  );
  const out = messages.filter((m): m is PredictionMessage => m.type === 'prediction');
  assert.equal(out.length, 3);
  assert.deepEqual(
    out.map((p) => p.digit),
    [3, null, 4],
  );
  assert.deepEqual(
    out.map((p) => [p.startMs, p.endMs]),
    [
      [100, 480],
      [1200, 1600],
      [2500, 2900],
    ],
  );
  assert.deepEqual(
    timings.map((t) => t.decisionMs),
    [220, 200, 200],
  );
  assert.ok(timings.every((t) => t.processingMs >= 12 && t.latencyMs === t.decisionMs + t.processingMs));
  // All three were handed over before the first answered: the later ones waited for the earlier ones.
  assert.deepEqual(
    timings.map((t) => t.queueMs),
    [0, 24, 12],
  );
  assert.deepEqual(
    out.map((p) => p.latencyMs),
    timings.map((t) => t.latencyMs),
  );
  assert.deepEqual(
    classifier.seen.map((s) => s.sampleRate),
    [22050, 22050, 22050],
  );
});

test('classifyUtterances: a failed classification becomes an error message and the stream goes on', async () => {
  const classifier = new FakeClassifier({ failAt: [1] });
  const out = await lastValueFrom(
    from([utterance(0, 300), utterance(1000, 1300), utterance(2000, 2300)]).pipe(
      classifyUtterances(classifier),
      toArray(),
    ),
  );
  assert.deepEqual(
    out.map((m) => m.type),
    ['prediction', 'error', 'prediction'],
  );
  assert.deepEqual(out[1], { type: 'error', message: 'fake failure 1', code: 'classification-failed' });
});

test('classifyUtterances completes only after the last (slow) classification', async () => {
  const classifier = new FakeClassifier({ delayMs: 60 });
  const out = await lastValueFrom(
    from([utterance(0, 300), utterance(1000, 1300)]).pipe(classifyUtterances(classifier), toArray()),
  );
  assert.deepEqual(
    out.map((m) => m.type),
    ['prediction', 'prediction'],
  );
  assert.throws(() => classifyUtterances(classifier, { threshold: 1.5 }), /threshold must be in 0..1/);
});

test('classifyUtterances: a threshold function is read at each prediction (it follows the model in use)', async () => {
  const classifier = new FakeClassifier({ answer: () => peakedProbs(6, 0.6) });
  const thresholds = [0.5, 0.7, 2];
  let i = 0;
  const messages = await lastValueFrom(
    from([utterance(0, 400), utterance(1000, 1400), utterance(2000, 2400)]).pipe(
      classifyUtterances(classifier, { threshold: () => thresholds[i++] }),
      toArray(),
    ),
  );
  // 0.6 clears 0.5, not 0.7; an out-of-range answer falls back to the default 0.5.
  assert.deepEqual(
    messages.map((m) => (m.type === 'prediction' ? m.digit : m.type)),
    [6, null, 6],
  );
});
