// The digit-string model end to end on a small subset: `digits train-strings` trains without the held-out
// speaker, measures strings of that speaker only and saves a folder that loadStringRecognizer and
// `digits predict` load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeWav } from '@digits/dsp';
import { FSDD_RECORDINGS } from '@digits/dsp/testing';
import { initBackend, loadModelDir, loadStringRecognizer } from '@digits/model';

const ROOT = path.resolve(__dirname, '../..');
const DIGITS = path.join(ROOT, 'bin/digits.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'strings-'));
const data = path.join(tmp, 'data');
mkdirSync(data);
for (const s of ['theo', 'yweweler'])
  for (let d = 0; d < 10; d++)
    for (const t of [10, 11])
      copyFileSync(path.join(FSDD_RECORDINGS, `${d}_${s}_${t}.wav`), path.join(data, `${d}_${s}_${t}.wav`));

function digits(args: string[]) {
  return spawnSync(process.execPath, [DIGITS, ...args], { encoding: 'utf8' });
}

test('train-strings trains without the held-out speaker, measures only them, and saves a string model folder', async () => {
  try {
    const r = digits([
      'train-strings',
      '--data',
      data,
      '--out',
      path.join(tmp, 'runs'),
      '--fold',
      'loso:yweweler',
      '--strings',
      '12',
      '--epochs',
      '2',
      '--groups',
      '3',
      '--repeats',
      '2',
      '--isolated',
      '4',
      '--no-cache',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.equal(result.heldOutSpeaker, 'yweweler');
    assert.equal(result.strings, 12);
    assert.equal(result.heldOut.groups.greedy.strings, 3);
    assert.equal(result.heldOut.repeats.greedy.strings, 2);
    assert.equal(result.heldOut.isolated.greedy.strings, 4);
    assert.match(r.stderr, /groups of 3-4: digit recall .* >= 0\.97/);
    const run = readdirSync(path.join(tmp, 'runs'))[0];
    const modelDir = path.join(tmp, 'runs', run, 'strings', 'model');
    const meta = JSON.parse(readFileSync(path.join(modelDir, 'meta.json'), 'utf8'));
    assert.equal(meta.input, 'embedding-sequence');
    assert.deepEqual(meta.trainingSpeakers, ['theo']);
    assert.equal(meta.ctc.blank, 10);
    assert.equal(meta.ctc.frameHopMs, 80);
    const features = JSON.parse(readFileSync(path.join(modelDir, 'features.json'), 'utf8'));
    assert.equal(features.kind, 'speech-embedding');
    assert.equal(features.pooledWindows, 1);
    await initBackend({ prefer: 'wasm', log: () => {} });
    await assert.rejects(loadModelDir(modelDir), /digit-string model/);
    const rec = await loadStringRecognizer(modelDir);
    const wav = decodeWav(new Uint8Array(readFileSync(path.join(FSDD_RECORDINGS, '3_yweweler_30.wav'))));
    const out = await rec.recognize(wav.samples, wav.sampleRate);
    assert.ok(out.frames > 0);
    assert.equal(out.text, out.digits.map((d) => d.digit).join(''));
    await rec.dispose();
    const p = digits(['predict', '--model', modelDir, path.join(FSDD_RECORDINGS, '3_yweweler_30.wav')]);
    assert.equal(p.status, 0, p.stderr);
    assert.deepEqual(Object.keys(JSON.parse(p.stdout.trim())), ['file', 'text', 'digits']);
    // A fold naming a speaker the data lacks is refused with the speakers it has.
    const bad = digits(['train-strings', '--data', data, '--out', path.join(tmp, 'runs'), '--fold', 'loso:nobody']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /no speaker "nobody" in the data \(it has theo, yweweler\)/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
