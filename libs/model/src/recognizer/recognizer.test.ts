import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeWav } from '@digits/dsp';
import { loadRecognizer, DEFAULT_MODEL_DIR, type Recognizer } from '../index';

const ROOT = path.resolve(__dirname, '../../../..');
const FSDD = process.env.FSDD_DATA ?? path.resolve(ROOT, '../shared/fsdd/recordings');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'recognizer-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// The default model is model 6 (a speech-embedding model); models/model5 is the log-mel model 5, kept so the
// log-mel path is tested with a trained network too.
const MODEL5_DIR = path.join(ROOT, 'models', 'model5');
const load = (dir: string) => loadRecognizer(dir, { backend: { prefer: 'wasm', log: () => {} } });
let shared: Promise<Recognizer> | undefined;
const recognizer = () => (shared ??= load(MODEL5_DIR));

test("DEFAULT_MODEL_DIR is the repository's models/default, whatever the working directory", () => {
  assert.ok(path.isAbsolute(DEFAULT_MODEL_DIR));
  assert.equal(DEFAULT_MODEL_DIR, path.join(ROOT, 'models', 'default'));
  assert.ok(fs.existsSync(path.join(DEFAULT_MODEL_DIR, 'model.json')));
});

test("loadRecognizer gives the model's feature config, labels and unknown threshold", async () => {
  const r = await recognizer();
  assert.deepEqual(r.labels, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.deepEqual(r.featureConfig, JSON.parse(fs.readFileSync(path.join(MODEL5_DIR, 'features.json'), 'utf8')));
  assert.equal(r.unknownThreshold, 0.644);
  assert.equal(r.info.inputKind, 'logmel');
  assert.equal(r.info.dir, MODEL5_DIR);
  assert.ok(r.info.params > 0);
});

test('the default model is the speech-embedding model 6: its front end, its threshold, digits right', async () => {
  const r = await load(DEFAULT_MODEL_DIR);
  try {
    const meta = JSON.parse(fs.readFileSync(path.join(DEFAULT_MODEL_DIR, 'meta.json'), 'utf8'));
    assert.equal(meta.experiment, 6);
    assert.equal(r.features.kind, 'speech-embedding');
    assert.equal(r.info.inputKind, 'embedding');
    assert.equal(r.featureConfig.sampleRate, 16000);
    assert.equal(r.unknownThreshold, meta.unknownThreshold);
    for (const name of ['3_theo_0.wav', '7_jackson_5.wav', '0_nicolas_10.wav']) {
      const wav = decodeWav(new Uint8Array(fs.readFileSync(path.join(FSDD, name))));
      const one = await r.classify(wav.samples, wav.sampleRate);
      assert.equal(one.label, name[0], `${name}: ${one.label}`);
      assert.equal(one.unknown, one.confidence < meta.unknownThreshold);
    }
  } finally {
    r.dispose();
  }
});

test('classify takes a decoded 8 kHz WAV (resampled as in training) and agrees with classifyClips', async () => {
  const r = await recognizer();
  const names = ['3_theo_0.wav', '7_jackson_5.wav', '0_nicolas_10.wav'];
  const clips = names.map((n) => ({ name: n, bytes: new Uint8Array(fs.readFileSync(path.join(FSDD, n))) }));
  const batch = await r.classifyClips(clips, { threads: 0 });
  assert.deepEqual(batch.kept, [0, 1, 2]);
  for (const [i, clip] of clips.entries()) {
    const wav = decodeWav(clip.bytes);
    assert.equal(wav.sampleRate, 8000);
    const one = await r.classify(wav.samples, wav.sampleRate);
    assert.equal(one.label, names[i][0], `${names[i]}: ${one.label}`);
    assert.equal(one.probabilities.length, 10);
    assert.equal(one.confidence, Math.max(...one.probabilities));
    assert.equal(one.unknown, one.confidence < 0.644);
    const row = batch.probs.subarray(i * 10, i * 10 + 10);
    for (let k = 0; k < 10; k++)
      assert.ok(
        Math.abs(row[k] - one.probabilities[k]) < 1e-5,
        `${names[i]} class ${k}: ${row[k]} vs ${one.probabilities[k]}`,
      );
  }
});

test('classifyClips: a clip that cannot be featurised is skipped with its reason, or fails the call naming it', async () => {
  const r = await recognizer();
  const good = { name: '3_theo_0.wav', bytes: new Uint8Array(fs.readFileSync(path.join(FSDD, '3_theo_0.wav'))) };
  const bad = { name: 'broken.wav', bytes: new TextEncoder().encode('not a wav') };
  const res = await r.classifyClips([bad, good], { threads: 0, skipFailures: true });
  assert.deepEqual(res.kept, [1]);
  assert.equal(res.probs.length, 10);
  assert.deepEqual(
    res.skipped.map((s) => [s.index, s.name]),
    [[0, 'broken.wav']],
  );
  await assert.rejects(r.classifyClips([bad, good], { threads: 0 }), /broken\.wav/);
});

test('a features.json that does not fit the network, or is malformed, is refused at load naming the file', async () => {
  const dir = path.join(tmp, 'model');
  fs.cpSync(MODEL5_DIR, dir, { recursive: true });
  const features = path.join(dir, 'features.json');
  const config = JSON.parse(fs.readFileSync(features, 'utf8'));
  fs.writeFileSync(features, JSON.stringify({ ...config, length: 1e9 }));
  await assert.rejects(
    loadRecognizer(dir),
    /model: a logmel model for features\.json \(nMels 64, length 1000000000\) must take/,
  );
  fs.writeFileSync(features, JSON.stringify({ ...config, nMels: 40 }));
  await assert.rejects(loadRecognizer(dir), /nMels 40.*must take \[null,40,35\]/);
  fs.writeFileSync(features, JSON.stringify({ ...config, nMels: 'sixty-four' }));
  await assert.rejects(
    loadRecognizer(dir),
    /model\/features\.json: field "nMels" must be a positive number, got "sixty-four"/,
  );
});
