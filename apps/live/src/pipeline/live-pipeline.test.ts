import { test } from 'node:test';
import assert from 'node:assert/strict';
import { from, lastValueFrom, toArray } from 'rxjs';
import { DEFAULT_FEATURE_CONFIG } from '@digits/features';
import { ServerMessageSchema, type PredictionMessage } from '@digits/protocol';
import type { AudioChunk } from '@digits/stream';
import { buildDigitStream, pickRecordings } from '../testing/digit-stream';
import { FakeClassifier, peakedProbs } from '../testing/fake-classifier';
import { EMBEDDING_CUT, MODEL5_CUT } from '@digits/model';
import { livePipeline } from './live-pipeline';

test('livePipeline: a stream of six FSDD digits gives six predictions, levels, speech events and spectrogram, all valid messages', async () => {
  const files = pickRecordings(6, 3);
  const stream = buildDigitStream(files, { sampleRate: 16000 });
  const chunks: AudioChunk[] = [];
  for (let i = 0; i < stream.samples.length; i += 800)
    chunks.push({ samples: stream.samples.subarray(i, i + 800), sampleRate: 16000 });
  const classifier = new FakeClassifier({ answer: (i) => peakedProbs(stream.clips[i]?.digit ?? 0, 0.9) });
  const messages = await lastValueFrom(
    livePipeline(from(chunks), classifier, { featureConfig: { ...DEFAULT_FEATURE_CONFIG } }).pipe(toArray()),
  );
  for (const m of messages)
    assert.equal(ServerMessageSchema.safeParse(m).success, true, JSON.stringify(m).slice(0, 200));
  const predictions = messages.filter((m): m is PredictionMessage => m.type === 'prediction');
  assert.equal(
    predictions.length,
    6,
    `predictions at ${predictions.map((p) => `${p.startMs.toFixed(0)}-${p.endMs.toFixed(0)}`)}`,
  );
  predictions.forEach((p, i) => {
    const clip = stream.clips[i];
    assert.ok(
      p.startMs >= clip.startMs - 150 && p.endMs <= clip.endMs + 150,
      `${clip.file}: ${p.startMs}-${p.endMs} vs ${clip.startMs}-${clip.endMs}`,
    );
    assert.equal(p.digit, clip.digit);
  });
  // Utterances reach the classifier at the model's rate.
  assert.ok(classifier.seen.every((s) => s.sampleRate === 22050 && s.length > 2000));
  const count = (type: string) => messages.filter((m) => m.type === type).length;
  const seconds = stream.samples.length / 16000;
  assert.ok(Math.abs(count('level') - seconds * 20) <= 2, `${count('level')} levels for ${seconds} s`);
  assert.equal(count('speech'), 12);
  const columns = messages.flatMap((m) => (m.type === 'spectrogram' ? m.columns : []));
  assert.ok(Math.abs(columns.length - (seconds * 16000) / 372) < 8, `${columns.length} columns`);
  // Speech starts and ends alternate; each prediction comes after its speech end (a synchronous source
  // like this one is read to the end before the first classification answers).
  const order = messages
    .filter((m) => m.type === 'speech' || m.type === 'prediction')
    .map((m) => (m.type === 'speech' ? m.state : 'p'));
  assert.deepEqual(
    order.filter((o) => o !== 'p'),
    Array(6).fill(['start', 'end']).flat(),
  );
  const ends = order.flatMap((o, i) => (o === 'end' ? [i] : []));
  const preds = order.flatMap((o, i) => (o === 'p' ? [i] : []));
  preds.forEach((at, i) => assert.ok(at > ends[i]));
});

test("livePipeline cuts with the model's own cut: the speech-embedding cut's end keep by input kind, a classifier's cut when it gives one", async () => {
  const stream = buildDigitStream(pickRecordings(3, 5), { sampleRate: 16000, snrDb: 20 });
  const chunks: AudioChunk[] = [];
  for (let i = 0; i < stream.samples.length; i += 800)
    chunks.push({ samples: stream.samples.subarray(i, i + 800), sampleRate: 16000 });
  const config = { ...DEFAULT_FEATURE_CONFIG, sampleRate: 16000 };
  const run = async (inputKind: 'embedding' | 'logmel', cut?: { trimKeepMs?: number; trimAboveFloorDb?: number }) => {
    const classifier = new FakeClassifier({ featureConfig: config, inputKind, cut });
    const messages = await lastValueFrom(
      livePipeline(from(chunks), classifier, { featureConfig: config }).pipe(toArray()),
    );
    return messages.filter((m): m is PredictionMessage => m.type === 'prediction');
  };
  const embedding = await run('embedding');
  const logmel = await run('logmel');
  assert.equal(embedding.length, 3);
  assert.equal(logmel.length, 3);
  embedding.forEach((p, i) => {
    assert.equal(p.startMs, logmel[i].startMs);
    // The stream's gaps (800 ms) leave room for the whole extra keep after every utterance.
    assert.ok(
      Math.abs(p.endMs - logmel[i].endMs - (EMBEDDING_CUT.trimKeepEndMs! - 10)) < 0.5,
      `${p.endMs} vs ${logmel[i].endMs}`,
    );
  });
  // Model 5's cut keeps nothing before the first loud window (the default keeps 10 ms), and a lower
  // loudness bar can only move the start earlier than that.
  const model5 = await run('logmel', { ...MODEL5_CUT });
  assert.equal(model5.length, 3);
  model5.forEach((p, i) => {
    assert.ok(
      p.startMs > logmel[i].startMs - 10 - 30 && p.startMs !== logmel[i].startMs,
      `${p.startMs} vs ${logmel[i].startMs}`,
    );
  });
  const keepOnly = await run('logmel', { trimKeepMs: 0 });
  keepOnly.forEach((p, i) => assert.ok(Math.abs(p.startMs - (logmel[i].startMs + 10)) < 0.5, `${p.startMs}`));
});
