// Model 6 end to end on a small subset: `digits train6` writes a model folder whose features.json names the
// speech-embedding front end; predict, eval, loadRecognizer and the live worker all load it through the one path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeWav, resample } from '@digits/dsp';
import { FSDD_RECORDINGS } from '@digits/dsp/testing';
import { loadRecognizer } from '@digits/model';
import { startWorkerClassifier } from '../../apps/live/src/classifier/worker-classifier';

const ROOT = path.resolve(__dirname, '../..');
const DIGITS = path.join(ROOT, 'bin/digits.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'model6-'));
const data = path.join(tmp, 'data');
// Three speakers x ten digits x three takes to train on; the fourth speaker (yweweler) is never seen.
execFileSync('mkdir', ['-p', data]);
for (const s of ['jackson', 'nicolas', 'theo'])
  for (let d = 0; d < 10; d++)
    for (const t of [10, 11, 12]) {
      copyFileSync(path.join(FSDD_RECORDINGS, `${d}_${s}_${t}.wav`), path.join(data, `${d}_${s}_${t}.wav`));
    }

function train(): string {
  const r = spawnSync(
    process.execPath,
    [DIGITS, 'train6', '--data', data, '--out', path.join(tmp, 'runs'), '--epochs', '30', '--no-cache'],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.equal(result.experiment, 6);
  assert.equal(result.params, 192 * 10 + 10);
  const run = readdirSync(path.join(tmp, 'runs'))[0];
  return path.join(tmp, 'runs', run, 'model6', 'model');
}
const modelDir = train();

test('train6 saves a model folder whose features.json names the front end and its files', () => {
  const features = JSON.parse(readFileSync(path.join(modelDir, 'features.json'), 'utf8'));
  assert.equal(features.kind, 'speech-embedding');
  assert.equal(features.frontEnd, 'speech-embedding');
  assert.match(features.melSha256, /^[0-9a-f]{64}$/);
  assert.equal(features.pooledWindows, 9);
  const meta = JSON.parse(readFileSync(path.join(modelDir, 'meta.json'), 'utf8'));
  assert.equal(meta.input, 'embedding');
  assert.equal(meta.experiment, 6);
});

test('loadRecognizer classifies an unseen voice at any input rate through the front end', async () => {
  const r = await loadRecognizer(modelDir);
  try {
    assert.equal(r.features.kind, 'speech-embedding');
    assert.equal(r.info.inputKind, 'embedding');
    let right = 0;
    for (let d = 0; d < 10; d++) {
      const wav = decodeWav(new Uint8Array(readFileSync(path.join(FSDD_RECORDINGS, `${d}_yweweler_20.wav`))));
      const at8 = await r.classify(wav.samples, wav.sampleRate);
      const at48 = await r.classify(resample(wav.samples, wav.sampleRate, 48000), 48000);
      assert.equal(at48.label, at8.label, `digit ${d}: 8 kHz says ${at8.label}, 48 kHz ${at48.label}`);
      if (at8.label === String(d)) right++;
    }
    // 90 training clips of three other speakers: a new voice is still mostly right (measured 0.97 on all 2,000).
    assert.ok(right >= 8, `${right}/10 of an unseen speaker's digits right`);
  } finally {
    r.dispose();
  }
});

test('predict and eval load the model like any other', () => {
  const p = spawnSync(
    process.execPath,
    [DIGITS, 'predict', '--model', modelDir, path.join(FSDD_RECORDINGS, '4_yweweler_30.wav')],
    { encoding: 'utf8' },
  );
  assert.equal(p.status, 0, p.stderr);
  assert.equal(JSON.parse(p.stdout.trim()).digit, 4);
  const e = spawnSync(
    process.execPath,
    [DIGITS, 'eval', '--model', modelDir, '--data', data, '--split', 'all', '--no-cache'],
    { encoding: 'utf8' },
  );
  assert.equal(e.status, 0, e.stderr);
  assert.ok(JSON.parse(e.stdout.trim()).accuracy > 0.9);
});

test('the live worker runs it at the front end rate (16 kHz)', { timeout: 120_000 }, async () => {
  const classifier = await startWorkerClassifier(modelDir, { log: () => undefined });
  try {
    assert.equal(classifier.info.featureConfig.sampleRate, 16000);
    const wav = decodeWav(new Uint8Array(readFileSync(path.join(FSDD_RECORDINGS, '9_yweweler_40.wav'))));
    const { probs } = await classifier.classify(resample(wav.samples, wav.sampleRate, 16000), 16000);
    assert.equal(probs.length, 10);
    assert.equal(probs.indexOf(Math.max(...probs)), 9);
  } finally {
    await classifier.close();
  }
});

test('a model whose front end files differ from the ones it was trained on is refused at load, naming features.json', async () => {
  const copy = path.join(tmp, 'changed');
  cpSync(modelDir, copy, { recursive: true });
  const f = JSON.parse(readFileSync(path.join(copy, 'features.json'), 'utf8'));
  writeFileSync(path.join(copy, 'features.json'), JSON.stringify({ ...f, melSha256: '0'.repeat(64) }));
  await assert.rejects(
    loadRecognizer(copy),
    /changed\/features\.json: the model was trained on front-end files with other sha256s/,
  );
  writeFileSync(path.join(copy, 'features.json'), JSON.stringify({ ...f, frontEnd: '/nonexistent' }));
  await assert.rejects(
    loadRecognizer(copy),
    /features\.json: its front end "\/nonexistent" could not be loaded: .*front-end\.json: not found/,
  );
  writeFileSync(path.join(copy, 'features.json'), JSON.stringify({ ...f, pooledWindows: 'nine' }));
  await assert.rejects(loadRecognizer(copy), /features\.json: field "pooledWindows"/);
});
