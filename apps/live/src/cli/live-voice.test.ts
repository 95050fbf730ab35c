import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_MODEL_DIR, personalModel, withVoice, type LiveCommandOptions } from './live-command';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'live-voice-'));
const saved = process.env.DIGITS_HOME;
process.env.DIGITS_HOME = home;
after(() => {
  if (saved === undefined) delete process.env.DIGITS_HOME;
  else process.env.DIGITS_HOME = saved;
  fs.rmSync(home, { recursive: true, force: true });
});

const base: LiveCommandOptions = { source: { kind: 'mic' }, model: '/m/default', port: 0, host: '127.0.0.1' };

test('--voice NAME becomes the voice folder under $DIGITS_HOME/voices as the model', () => {
  fs.mkdirSync(path.join(home, 'voices', 'alice'), { recursive: true });
  assert.equal(withVoice({ ...base, voice: 'alice' }, false).model, path.join(home, 'voices', 'alice'));
  assert.equal(withVoice(base, true), base);
});

test('--voice with --model, an unknown voice or a bad name is a clear error', () => {
  assert.throws(() => withVoice({ ...base, voice: 'alice' }, true), /give --voice NAME or --model DIR, not both/);
  assert.throws(
    () => withVoice({ ...base, voice: 'bob' }, false),
    new RegExp(`no voice "bob" at ${path.join(home, 'voices', 'bob')}.*digits enrol --voice bob`),
  );
  assert.throws(() => withVoice({ ...base, voice: '../etc' }, false), /voice name "\.\.\/etc": use 1-40 characters/);
});

test('a personal model starts the dashboard on its voice, with the model it was enrolled on as the base', () => {
  const dir = path.join(home, 'voices', 'carol');
  const base = path.join(home, 'base-model');
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(base, { recursive: true });
  const enrolment = {
    baseModel: base,
    voiceName: 'carol',
    createdAt: '2026-12-03T10:00:00Z',
    method: 'm',
    takes: [],
    rejected: [],
    settings: {},
  };
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ title: 'x', enrolment }));
  assert.deepEqual(personalModel(dir), { baseModelDir: base, initialVoice: { voice: 'carol', dir } });
  // The base folder is gone: the default model is the base.
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ enrolment: { ...enrolment, baseModel: '/gone' } }));
  assert.equal(personalModel(dir).baseModelDir, DEFAULT_MODEL_DIR);
  // A name the protocol cannot carry: no voice claimed.
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ enrolment: { ...enrolment, voiceName: 'Carol B' } }));
  assert.equal(personalModel(dir).initialVoice, undefined);
  // Not a personal model: it is its own base.
  assert.deepEqual(personalModel(base), { baseModelDir: base });
});
