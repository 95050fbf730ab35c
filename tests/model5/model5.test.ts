import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Digit } from '@digits/dataset';
import { DEFAULT_FEATURE_CONFIG, logMelSize } from '@digits/features';
import { initBackend, loadModelDir, saveModelDir } from '@digits/model';
import { predictLogMels, trainModel5 } from '../../apps/trainer/src/model5/train-model5';
import { foldUnknownRejection, rejectionAt, thresholdKeeping } from '../../apps/trainer/src/model5/unknown-rejection';
import { parseProtocols, protocolFolds, summariseProtocol } from '../../apps/trainer/src/protocols/protocols';

const config = DEFAULT_FEATURE_CONFIG;
const SPEAKERS = ['jackson', 'nicolas', 'theo', 'yweweler'];
/** FSDD's shape: 4 speakers x 10 digits x 50 takes. */
const CLIPS = SPEAKERS.flatMap((speaker) =>
  Array.from({ length: 10 }, (_, d) =>
    Array.from({ length: 50 }, (_, take) => ({
      name: `${d}_${speaker}_${take}.wav`,
      digit: d as Digit,
      speaker,
      take,
    })),
  ).flat(2),
);

test('leave-one-speaker-out puts each speaker in exactly one test fold, and nowhere in its training set', () => {
  const folds = protocolFolds(CLIPS, 'loso');
  assert.deepEqual(
    folds.map((f) => f.heldOutSpeaker),
    SPEAKERS,
  );
  for (const f of folds) {
    assert.equal(f.test.length, 500);
    assert.equal(f.train.length, 1500);
    assert.ok(f.test.every((c) => c.speaker === f.heldOutSpeaker));
    assert.ok(f.train.every((c) => c.speaker !== f.heldOutSpeaker));
  }
  const tested = folds.flatMap((f) => f.test.map((c) => c.name)).sort();
  assert.deepEqual(tested, CLIPS.map((c) => c.name).sort());
});

test('random (seed 33) is 1,600 / 400 and official is takes 0-4 (1,800 / 200)', () => {
  const [random] = protocolFolds(CLIPS, 'random', { seed: 33 });
  assert.equal(random.train.length, 1600);
  assert.equal(random.test.length, 400);
  const [official] = protocolFolds(CLIPS, 'official');
  assert.equal(official.test.length, 200);
  assert.ok(official.test.every((c) => c.take <= 4));
  assert.deepEqual(parseProtocols('all'), ['random', 'official', 'loso']);
  assert.throws(() => parseProtocols('kfold'), /expected loso, random, official/);
});

test('protocol summary: mean of per-speaker accuracies, pooled and worst', () => {
  const r = summariseProtocol('loso', [
    { name: 'loso:a', nTrain: 3, nTest: 10, correct: 9, accuracy: 0.9, seconds: 0 },
    { name: 'loso:b', nTrain: 3, nTest: 30, correct: 15, accuracy: 0.5, seconds: 0 },
  ]);
  assert.equal(r.meanAccuracy, 0.7);
  assert.equal(r.pooledAccuracy, 0.6);
  assert.equal(r.minAccuracy, 0.5);
});

test('a tiny model 5 training runs end to end, and its saved folder loads with the same outputs', async () => {
  await initBackend({ log: () => undefined });
  const n = 20;
  const size = logMelSize(config);
  const x = new Float32Array(n * size);
  for (let i = 0; i < x.length; i++) x[i] = -80 + (80 * ((i * 2654435761) % 1000)) / 1000;
  const y = Int32Array.from({ length: n }, (_, i) => i % 10);
  const { model, history } = await trainModel5({ x, y, n }, { config, epochs: 1, batchSize: 10, seed: 3 });
  assert.equal(history.length, 1);
  assert.ok(Number.isFinite(history[0].loss));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'model5-test-'));
  try {
    await saveModelDir(model, path.join(dir, 'model'), {
      featureConfig: config,
      labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      extra: { input: 'logmel', name: 'model5' },
    });
    const loaded = await loadModelDir(path.join(dir, 'model'));
    assert.equal(loaded.meta.input, 'logmel');
    const before = await predictLogMels(model, x, n, config);
    const after = await predictLogMels(loaded.model, x, n, config);
    for (let i = 0; i < before.length; i++) assert.ok(Math.abs(before[i] - after[i]) < 1e-5);
    loaded.model.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    model.dispose();
  }
});

test('unknown rejection: the 97%-keep threshold and the shares it gives', () => {
  const digitTop = Float32Array.from({ length: 100 }, (_, i) => 0.5 + i / 200); // 0.5 .. 0.995
  const t = thresholdKeeping(digitTop, 0.97);
  assert.ok(Math.abs(t - 0.515) < 1e-6);
  const r = rejectionAt(
    t,
    { top: digitTop, correct: Array(100).fill(true) },
    { top: [0.2, 0.9, 0.3, 0.4], kind: ['word', 'word', 'sound', 'sound'] },
  );
  assert.equal(r.digitsKept, 0.97);
  assert.equal(r.unknownsRejected, 0.75);
  assert.equal(r.wordsRejected, 0.5);
  assert.equal(r.soundsRejected, 1);
});

test('foldUnknownRejection: the threshold keeps 97% of the test digits, unknowns below it are rejected', () => {
  // 100 test digits with tops 0.01..1.00 (3 lowest dropped at 97% kept), all right; unknowns at 0.02 and 0.5.
  const test100 = Array.from({ length: 100 }, () => ({ digit: 1 }));
  const digits = {
    digit: new Int32Array(100).fill(1),
    top: Float32Array.from({ length: 100 }, (_, i) => (i + 1) / 100),
  };
  const r = foldUnknownRejection(test100, digits, { top: [0.02, 0.5] }, [
    { file: 'a.wav', kind: 'word', what: 'a', group: 'b' },
    { file: 'b.wav', kind: 'sound', what: 'b', group: 'b' },
  ]);
  assert.equal(r.digitsKept, 0.97);
  assert.equal(r.unknownsRejected, 0.5);
  assert.equal(r.wordsRejected, 1);
  assert.equal(r.soundsRejected, 0);
});
