import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listVoices, voiceDir, voicesRoot } from './voice-dirs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'voice-dirs-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('voicesRoot is $DIGITS_HOME/voices, else ~/.digits/voices', () => {
  assert.equal(voicesRoot({ DIGITS_HOME: '/data/d' }), path.resolve('/data/d/voices'));
  assert.equal(voicesRoot({}), path.join(os.homedir(), '.digits', 'voices'));
  assert.equal(voicesRoot({ DIGITS_HOME: '  ' }), path.join(os.homedir(), '.digits', 'voices'));
});

test('voiceDir accepts a-z, 0-9, _ and -, 1-40 characters, and refuses anything else', () => {
  assert.equal(voiceDir('alice_2-b', '/r'), path.join('/r', 'alice_2-b'));
  assert.equal(voiceDir('a'.repeat(40), '/r'), path.join('/r', 'a'.repeat(40)));
  for (const bad of ['', 'Alice', '../x', 'a b', 'a/b', 'a'.repeat(41), 'é']) {
    assert.throws(() => voiceDir(bad, '/r'), /use 1-40 characters of a-z, 0-9/, bad);
  }
});

function writeVoice(root: string, name: string, enrolment: unknown): void {
  fs.mkdirSync(path.join(root, name), { recursive: true });
  fs.writeFileSync(path.join(root, name, 'meta.json'), JSON.stringify({ title: 't', enrolment }));
}

test('listVoices lists the enrolled voices by name and ignores everything else', () => {
  const root = path.join(tmp, 'voices');
  const meta = (takes: number) => ({
    baseModel: '/m/default',
    createdAt: '2026-12-03T10:00:00.000Z',
    method: 'head-finetune',
    takes: Array.from({ length: takes }, (_, i) => ({ file: `takes/${i % 10}_x_0.wav`, digit: i % 10, source: 's' })),
    rejected: [],
    settings: {},
  });
  writeVoice(root, 'zed', meta(10));
  writeVoice(root, 'alice', meta(30));
  writeVoice(root, 'plain-model', undefined); // a model folder without an enrolment block
  writeVoice(root, 'Bad Name', meta(10)); // not a voice name
  writeVoice(root, 'broken', { baseModel: 3 });
  fs.writeFileSync(path.join(root, 'stray.txt'), 'x');
  fs.mkdirSync(path.join(root, 'alice.tmp-1-2'));
  assert.deepEqual(listVoices(root), [
    {
      name: 'alice',
      dir: path.join(root, 'alice'),
      baseModel: '/m/default',
      takes: 30,
      createdAt: '2026-12-03T10:00:00.000Z',
      method: 'head-finetune',
    },
    {
      name: 'zed',
      dir: path.join(root, 'zed'),
      baseModel: '/m/default',
      takes: 10,
      createdAt: '2026-12-03T10:00:00.000Z',
      method: 'head-finetune',
    },
  ]);
  assert.deepEqual(listVoices(path.join(tmp, 'none')), []);
});
