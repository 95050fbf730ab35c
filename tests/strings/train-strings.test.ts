// The digit-string model end to end on a small subset: `digits train-strings` trains without the held-out
// speaker, measures strings of that speaker only and saves a folder that loadStringRecognizer and
// `digits predict` load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeWav, encodeWav16 } from '@digits/dsp';
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

test('train-strings --validate-speaker keeps a training speaker out and reports it; --extra-train adds strings of other voices; --unknowns adds fillers', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strings-val-'));
  try {
    const fsdd = path.join(dir, 'fsdd');
    const synth = path.join(dir, 'synth');
    mkdirSync(fsdd);
    mkdirSync(synth);
    for (let d = 0; d < 10; d++) {
      for (const s of ['jackson', 'theo', 'yweweler'])
        copyFileSync(path.join(FSDD_RECORDINGS, `${d}_${s}_12.wav`), path.join(fsdd, `${d}_${s}_12.wav`));
      // Stand-ins for synthetic voices: another speaker's clips under a voice name.
      copyFileSync(path.join(FSDD_RECORDINGS, `${d}_nicolas_12.wav`), path.join(synth, `${d}_voice-a_0.wav`));
    }
    // Two non-digit "sounds" (tones) as tools/unknowns would list them; the group-b one must not be used.
    const unknowns = path.join(dir, 'unknowns');
    mkdirSync(path.join(unknowns, 'sounds'), { recursive: true });
    const tone = (hz: number) =>
      encodeWav16(
        Float32Array.from({ length: 8000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * hz * i) / 16000)),
        16000,
      );
    const manifest = [300, 500, 700].map((hz, k) => ({
      file: `sounds/tone${hz}.wav`,
      kind: 'sound',
      what: `tone ${hz} Hz`,
      group: k < 2 ? 'a' : 'b',
    }));
    for (const e of manifest) writeFileSync(path.join(unknowns, e.file), tone(Number(/\d+/.exec(e.file)![0])));
    writeFileSync(path.join(unknowns, 'manifest.json'), JSON.stringify(manifest));
    const base = ['train-strings', '--data', fsdd, '--out', path.join(dir, 'runs'), '--fold', 'loso:yweweler'];
    const small = [
      '--strings',
      '6',
      '--epochs',
      '1',
      '--groups',
      '2',
      '--repeats',
      '1',
      '--isolated',
      '2',
      '--no-cache',
    ];
    const r = digits([
      ...base,
      ...small,
      '--validate-speaker',
      'jackson',
      '--extra-train',
      synth,
      '--extra-strings',
      '6',
      '--unknowns',
      unknowns,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.equal(result.strings, 12, '6 strings of the training speakers + 6 of the extra voices');
    assert.equal(result.validation.speaker, 'jackson');
    assert.match(r.stderr, /validation \(speaker jackson, not trained on, groups of 3-4\)/);
    const run = readdirSync(path.join(dir, 'runs'))[0];
    const meta = JSON.parse(readFileSync(path.join(dir, 'runs', run, 'strings', 'model', 'meta.json'), 'utf8'));
    assert.deepEqual(meta.trainingSpeakers, ['theo']);
    assert.equal(meta.extraVoices, 1);
    assert.deepEqual(meta.fillers, { from: unknowns, clips: 2 }, 'group a only');
    assert.equal(meta.recipe.strings.fillerProbability, 0.1);
    // The held-out speaker cannot also be the validation speaker, and --extra-strings needs voices.
    const same = digits([...base, ...small, '--validate-speaker', 'yweweler']);
    assert.notEqual(same.status, 0);
    assert.match(same.stderr, /--validate-speaker: "yweweler" is the held-out speaker/);
    const noVoices = digits([...base, ...small, '--extra-strings', '5']);
    assert.notEqual(noVoices.status, 0);
    assert.match(noVoices.stderr, /--extra-strings: needs --extra-train/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
