// `digits predict` with the committed default model: a bad file among good ones is skipped and named, the
// good files still get their lines; a features.json that does not fit the model is refused before any work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeWav, encodeWav16 } from '@digits/dsp';
import { FSDD_RECORDINGS } from '@digits/dsp/testing';
import { buildStringModel, initBackend, saveStringModelDir } from '@digits/model';

const ROOT = path.resolve(__dirname, '../../..');
const FSDD = FSDD_RECORDINGS;

function digits(args: string[], cwd = ROOT) {
  return spawnSync(process.execPath, [path.join(ROOT, 'bin/digits.js'), ...args], { cwd, encoding: 'utf8' });
}

/** A valid WAV header and 0.1 s of 16-bit samples, declaring `rate` Hz. */
function wav(rate: number): Buffer {
  const n = 800;
  const b = Buffer.alloc(44 + 2 * n);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + 2 * n, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE((rate * 2) >>> 0, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(3000 * Math.sin(i / 5)), 44 + 2 * i);
  return b;
}

test('predict skips a WAV declaring a 4 GHz rate, names it with its reason, and answers for the good files', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'predict-'));
  const bad = path.join(tmp, 'fast.wav');
  fs.writeFileSync(bad, wav(4_000_000_000));
  const good = path.join(FSDD, '3_theo_0.wav');
  const r = digits(['predict', '--no-cache', good, bad]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => path.basename(l.file)),
    ['3_theo_0.wav'],
  );
  assert.match(
    r.stderr,
    /digits predict: skipped \S*fast\.wav: sample rate 4000000000 Hz is outside the supported range/,
  );
  const none = digits(['predict', '--no-cache', bad]);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /fast\.wav/);
});

test('predict refuses a model whose features.json does not fit its input shape, before reading any audio', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'predict-model-'));
  const model = path.join(tmp, 'model');
  fs.cpSync(path.join(ROOT, 'models/model5'), model, { recursive: true });
  const features = JSON.parse(fs.readFileSync(path.join(model, 'features.json'), 'utf8'));
  fs.writeFileSync(path.join(model, 'features.json'), JSON.stringify({ ...features, length: 1e9 }));
  const r = digits(['predict', '--no-cache', '--model', model, path.join(tmp, 'missing.wav')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /model: a \w+ model for features\.json \(nMels \d+, length 1000000000\) must take/);
  assert.doesNotMatch(r.stderr, /missing\.wav/);
  // A speech-embedding model (the default) trained on other front-end files is refused the same way.
  const embedding = path.join(tmp, 'embedding');
  fs.cpSync(path.join(ROOT, 'models/default'), embedding, { recursive: true });
  const fe = JSON.parse(fs.readFileSync(path.join(embedding, 'features.json'), 'utf8'));
  assert.equal(fe.kind, 'speech-embedding');
  fs.writeFileSync(path.join(embedding, 'features.json'), JSON.stringify({ ...fe, melSha256: '0'.repeat(64) }));
  const e = digits(['predict', '--no-cache', '--model', embedding, path.join(tmp, 'missing.wav')]);
  assert.equal(e.status, 1);
  assert.match(e.stderr, /embedding\/features\.json: the model was trained on front-end files with other sha256s/);
  assert.doesNotMatch(e.stderr, /missing\.wav/);
});

test('predict run outside the repository finds the default model (models/default from the repo root, not the cwd)', () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'predict-cwd-'));
  const r = digits(['predict', '--no-cache', path.join(FSDD, '7_jackson_5.wav')], cwd);
  assert.equal(r.status, 0, r.stderr);
  const line = JSON.parse(r.stdout);
  assert.equal(line.digit, 7);
  assert.doesNotMatch(r.stderr, /no such folder/);
  // The help shows the default as before.
  assert.match(digits(['predict', '--help'], cwd).stdout, /\(default: "models\/default"\)/);
});

test('predict with a digit-string model answers {"file","text","digits"} per file, digits in time order', async () => {
  await initBackend({ prefer: 'wasm', log: () => {} });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'predict-strings-'));
  try {
    const { model } = buildStringModel({ seed: 5 });
    const modelDir = path.join(dir, 'model');
    await saveStringModelDir(model, modelDir);
    // "5 1 9" from three FSDD clips, 8 kHz, 0.2 s apart.
    const parts = ['5_theo_1.wav', '1_theo_2.wav', '9_theo_3.wav'].map(
      (n) => decodeWav(fs.readFileSync(path.join(FSDD, n)), n).samples,
    );
    const gap = new Float32Array(1600);
    const all = new Float32Array(parts.reduce((s, p) => s + p.length + gap.length, gap.length * 4));
    let at = gap.length * 4;
    for (const p of parts) {
      all.set(p, at);
      at += p.length + gap.length;
    }
    const file = path.join(dir, 'string.wav');
    fs.writeFileSync(file, encodeWav16(all, 8000));
    const r = digits(['predict', '--model', modelDir, file]);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim()) as {
      file: string;
      text: string;
      digits: { digit: number; seconds: number }[];
    };
    assert.deepEqual(Object.keys(out), ['file', 'text', 'digits']);
    assert.equal(out.file, file);
    assert.equal(out.text, out.digits.map((d) => d.digit).join(''));
    assert.ok(out.digits.every((d, i) => i === 0 || d.seconds >= out.digits[i - 1].seconds));
    // Times are in the recording: from 0 to its end plus the 0.4 s tail recognize() hears after it.
    assert.ok(out.digits.every((d) => d.seconds >= 0 && d.seconds <= all.length / 8000 + 0.4 + 0.08));
    model.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
