import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { Command } from 'commander';
import { FSDD_RECORDINGS } from '@digits/dsp/testing';
import { buildStringModel, initBackend, saveStringModelDir } from '@digits/model';
import { DEFAULT_MODEL_DIR } from '@digits/model/default-model-dir';
import { evalStrings, readStringFolder, registerMakeStringsCommand } from './string-sets';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'string-sets-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

it('readStringFolder names the file and the field of a bad strings.json', () => {
  const dir = path.join(tmp, 'bad');
  fs.mkdirSync(dir);
  assert.throws(() => readStringFolder(dir), /no strings\.json \(make one with `digits make-strings`\)/);
  fs.writeFileSync(path.join(dir, 'strings.json'), '{');
  assert.throws(() => readStringFolder(dir), /strings\.json: not JSON/);
  fs.writeFileSync(
    path.join(dir, 'strings.json'),
    JSON.stringify({ speaker: 'x', seed: 1, strings: [{ file: 'a.wav', set: 'groups', digits: '12a' }] }),
  );
  assert.throws(() => readStringFolder(dir), /field "strings\.0\.digits"/);
});

it(
  "make-strings writes a speaker's sets as WAV + strings.json; eval --strings scores a string model on them by set",
  { timeout: 240_000 },
  async () => {
    const out = path.join(tmp, 'jackson');
    const program = new Command('digits').exitOverride();
    registerMakeStringsCommand(program);
    await program.parseAsync(
      [
        'make-strings',
        '--held-out',
        'jackson',
        '--out',
        out,
        '--data',
        FSDD_RECORDINGS,
        '--groups',
        '3',
        '--repeats',
        '2',
        '--isolated',
        '4',
      ],
      { from: 'user' },
    );
    const folder = readStringFolder(out);
    assert.equal(folder.speaker, 'jackson');
    assert.deepEqual(
      folder.strings.map((s) => s.set),
      ['groups', 'groups', 'groups', 'repeats', 'repeats', 'isolated', 'isolated', 'isolated', 'isolated'],
    );
    for (const s of folder.strings) assert.ok(fs.existsSync(path.join(out, s.file)), s.file);
    assert.ok(folder.strings.slice(0, 3).every((s) => s.digits.length >= 3 && s.digits.length <= 4));
    assert.ok(folder.strings.slice(3, 5).every((s) => new Set(s.digits).size === 1 && s.digits.length >= 2));
    // An untrained string model: the scoring path, not the figures.
    await initBackend();
    const { model } = buildStringModel({ seed: 1 });
    const modelDir = path.join(tmp, 'model');
    await saveStringModelDir(model, modelDir);
    model.dispose();
    const figures = await evalStrings(modelDir, out);
    assert.deepEqual(Object.keys(figures), ['groups', 'repeats', 'isolated']);
    assert.equal(figures.groups.strings, 3);
    assert.equal(figures.isolated.digits, 4);
    assert.equal(figures.repeats.digits, folder.strings[3].digits.length + folder.strings[4].digits.length);
    for (const f of Object.values(figures)) assert.ok(f.digitRecall >= 0 && f.digitRecall <= 1);
    await assert.rejects(evalStrings(DEFAULT_MODEL_DIR, out), /--strings needs a digit-string model/);
  },
);
