import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { probsByDigit } from './classifier';
import { loadClip } from '@digits/features';
import { DEFAULT_MODEL_DIR } from '@digits/model/default-model-dir';
import { checkModelFolder, startWorkerClassifier } from './worker-classifier';

test('probsByDigit reorders the model output into digit order using its labels', () => {
  const out = [0.1, 0.2, 0.3, 0.4, 0, 0, 0, 0, 0, 0];
  assert.deepEqual(probsByDigit(out, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']), out);
  assert.deepEqual(probsByDigit(out, ['9', '8', '7', '6', '5', '4', '3', '2', '1', '0']), [...out].reverse());
  assert.throws(() => probsByDigit(out, ['0', '1']), /expected 10 labels and 10 outputs/);
  assert.throws(
    () => probsByDigit(out, ['0', '1', '2', '3', '4', '5', '6', '7', '8', 'nine']),
    /label "nine" is not a digit/,
  );
  assert.throws(
    () => probsByDigit(out, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '8']),
    /do not name each digit once/,
  );
});

test('checkModelFolder: clear errors for a missing folder, a file, and missing model files', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'live-model-'));
  try {
    assert.throws(
      () => checkModelFolder(path.join(dir, 'nope')),
      /model folder .*nope does not exist; pass --model <folder>/,
    );
    writeFileSync(path.join(dir, 'file'), 'x');
    assert.throws(() => checkModelFolder(path.join(dir, 'file')), /is not a folder/);
    const m = path.join(dir, 'model');
    mkdirSync(m);
    writeFileSync(path.join(m, 'model.json'), '{}');
    writeFileSync(path.join(m, 'labels.json'), '[]');
    assert.throws(() => checkModelFolder(m), /lacks weights\.bin, features\.json;/);
    writeFileSync(path.join(m, 'weights.bin'), '');
    writeFileSync(path.join(m, 'features.json'), '{}');
    assert.doesNotThrow(() => checkModelFolder(m));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  'the worker classifier runs the default model through loadRecognizer: digits right, info from the folder, rate checked',
  { timeout: 120_000 },
  async () => {
    const classifier = await startWorkerClassifier(DEFAULT_MODEL_DIR, { log: () => undefined });
    try {
      const { info } = classifier;
      assert.deepEqual(info.labels, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
      const meta = JSON.parse(readFileSync(path.join(DEFAULT_MODEL_DIR, 'meta.json'), 'utf8'));
      assert.equal(info.unknownThreshold, meta.unknownThreshold);
      assert.equal(info.model.path, DEFAULT_MODEL_DIR);
      assert.ok((info.model.params ?? 0) > 0);
      const fsdd = process.env.FSDD_DATA ?? path.resolve(__dirname, '../../../../../shared/fsdd/recordings');
      for (const name of ['3_theo_0.wav', '7_jackson_5.wav']) {
        const samples = loadClip(new Uint8Array(readFileSync(path.join(fsdd, name))), info.featureConfig, name);
        const { probs, featureMs, inferenceMs } = await classifier.classify(samples, info.featureConfig.sampleRate);
        assert.equal(probs.indexOf(Math.max(...probs)), Number(name[0]), `${name}: ${probs}`);
        assert.ok(featureMs >= 0 && inferenceMs >= 0);
      }
      await assert.rejects(
        classifier.classify(new Float32Array(8000), 8000),
        new RegExp(`utterance at 8000 Hz, the model expects ${info.featureConfig.sampleRate} Hz`),
      );
    } finally {
      await classifier.close();
    }
  },
);

test(
  'switchModel loads another folder while classifications go on, then classifies with it; a bad folder keeps the old one',
  { timeout: 180_000 },
  async () => {
    // Model 5 (log-mel, tfjs only): onnxruntime, which model 6 needs, loads in one thread per process, and
    // the test above already loaded it in its (now closed) worker.
    const model5 = path.resolve(DEFAULT_MODEL_DIR, '../model5');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'live-switch-'));
    const classifier = await startWorkerClassifier(model5, { log: () => undefined });
    try {
      const copy = path.join(dir, 'personal');
      mkdirSync(copy);
      for (const f of ['model.json', 'weights.bin', 'features.json', 'labels.json'])
        writeFileSync(path.join(copy, f), readFileSync(path.join(model5, f)));
      writeFileSync(path.join(copy, 'meta.json'), JSON.stringify({ title: 'personal copy' }));
      const fsdd = process.env.FSDD_DATA ?? path.resolve(__dirname, '../../../../../shared/fsdd/recordings');
      const rate = classifier.info.featureConfig.sampleRate;
      const clip = (name: string) =>
        loadClip(new Uint8Array(readFileSync(path.join(fsdd, name))), classifier.info.featureConfig, name);
      const top = (probs: number[]) => probs.indexOf(Math.max(...probs));
      // Utterances sent during the switch are answered (by the old model).
      const switching = classifier.switchModel?.(copy);
      const during = await Promise.all(
        ['4_theo_1.wav', '8_jackson_2.wav'].map((n) => classifier.classify(clip(n), rate)),
      );
      assert.deepEqual(
        during.map((c) => top(c.probs)),
        [4, 8],
      );
      const info = await switching;
      assert.equal(info?.model.name, 'personal copy');
      assert.equal(classifier.info.model.path, copy);
      assert.equal(top((await classifier.classify(clip('2_nicolas_3.wav'), rate)).probs), 2);
      await assert.rejects(classifier.switchModel?.(path.join(dir, 'nope')) ?? Promise.resolve(), /does not exist/);
      const broken = path.join(dir, 'broken');
      mkdirSync(broken);
      for (const f of ['model.json', 'weights.bin', 'features.json', 'labels.json'])
        writeFileSync(path.join(broken, f), '{}');
      await assert.rejects(
        classifier.switchModel?.(broken) ?? Promise.resolve(),
        /cannot switch to the model in .*broken/,
      );
      assert.equal(classifier.info.model.path, copy);
      assert.equal(top((await classifier.classify(clip('9_yweweler_4.wav'), rate)).probs), 9);
    } finally {
      await classifier.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
