import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  protocolFilePath,
  readProtocolFile,
  recordFold,
  recordedFold,
  sameSettings,
  type ProtocolSettings,
} from './protocol-file';
import type { Digit } from '@digits/dataset';
import { runProtocol, type TrainForFold } from './protocols';

interface FakeClip {
  name: string;
  digit: Digit;
  speaker: string;
  take: number;
}

// 4 speakers x 10 digits x 6 takes.
const CLIPS: FakeClip[] = ['jackson', 'nicolas', 'theo', 'yweweler'].flatMap((speaker) =>
  Array.from({ length: 60 }, (_, i) => ({
    name: `${i % 10}_${speaker}_${Math.floor(i / 10)}.wav`,
    digit: (i % 10) as Digit,
    speaker,
    take: Math.floor(i / 10),
  })),
);

/** A "model" that gets every digit right except for one speaker's, and counts its trainings. */
function fakeTrainer(wrongFor: string, trained: string[], failOn?: string): TrainForFold<FakeClip> {
  return async (_train, fold) => {
    if (fold.name === failOn) throw new Error(`interrupted during ${fold.name}`);
    trained.push(fold.name);
    return { predict: async (test) => test.map((c) => (c.speaker === wrongFor ? (c.digit + 1) % 10 : c.digit)) };
  };
}

const SETTINGS: ProtocolSettings = { experiment: 2, seed: 33 };

function tmpFile(): string {
  return protocolFilePath(fs.mkdtempSync(path.join(os.tmpdir(), 'protocol-file-')), 2);
}

test('every finished fold is saved at once, so an interrupted evaluation keeps what it did and resumes', async () => {
  const file = tmpFile();
  const trained: string[] = [];
  const save = {
    onFold: (r: Parameters<typeof recordFold>[3]) => recordFold(file, SETTINGS, 'loso', r).then(() => undefined),
  };
  await assert.rejects(
    runProtocol(CLIPS, 'loso', fakeTrainer('theo', trained, 'loso:theo'), save),
    /interrupted during loso:theo/,
  );
  assert.deepEqual(trained, ['loso:jackson', 'loso:nicolas']);
  const partial = readProtocolFile(file)!;
  assert.deepEqual(
    partial.results[0].folds.map((f) => f.name),
    ['loso:jackson', 'loso:nicolas'],
  );

  // Resumed: the two saved folds are reused, only theo and yweweler are trained.
  const resumedTrained: string[] = [];
  const result = await runProtocol(CLIPS, 'loso', fakeTrainer('theo', resumedTrained), {
    ...save,
    recorded: (fold) => recordedFold(partial, 'loso', fold.name),
  });
  assert.deepEqual(resumedTrained, ['loso:theo', 'loso:yweweler']);
  assert.equal(result.meanAccuracy, 0.75);
  assert.equal(result.minAccuracy, 0);
  const full = readProtocolFile(file)!;
  assert.deepEqual(
    full.results[0].folds.map((f) => [f.name, f.accuracy]),
    [
      ['loso:jackson', 1],
      ['loso:nicolas', 1],
      ['loso:theo', 0],
      ['loso:yweweler', 1],
    ],
  );
  assert.equal(full.results[0].meanAccuracy, 0.75);
});

test('protocols accumulate in one file in a fixed order; other settings start it afresh', async () => {
  const file = tmpFile();
  await runProtocol(CLIPS, 'official', fakeTrainer('none', []), {
    onFold: async (r) => {
      await recordFold(file, SETTINGS, 'official', r);
    },
  });
  await runProtocol(CLIPS, 'random', fakeTrainer('none', []), {
    onFold: async (r) => {
      await recordFold(file, SETTINGS, 'random', r);
    },
  });
  const both = readProtocolFile(file)!;
  assert.deepEqual(
    both.results.map((r) => r.protocol),
    ['random', 'official'],
  );
  assert.equal(both.results[1].folds[0].nTest, 200); // takes 0-4 of 10 digits x 4 speakers
  assert.ok(sameSettings(both, SETTINGS));
  assert.ok(!sameSettings(both, { ...SETTINGS, seed: 34 }));
  // Folds trained with room-augmented copies are never reused for a run without them, nor the reverse.
  assert.ok(!sameSettings(both, { ...SETTINGS, roomCopies: 2 }));
  assert.ok(!sameSettings({ ...SETTINGS, roomCopies: 1 }, { ...SETTINGS, roomCopies: 2 }));

  const other = { ...SETTINGS, seed: 34 };
  await recordFold(file, other, 'random', both.results[0].folds[0]);
  const fresh = readProtocolFile(file)!;
  assert.equal(fresh.seed, 34);
  assert.deepEqual(
    fresh.results.map((r) => r.protocol),
    ['random'],
  );
  // No temporary files are left beside it.
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ['model2.json']);
});

test('a malformed protocol file gets an error naming the file and what is wrong', () => {
  const file = tmpFile();
  assert.equal(readProtocolFile(file), null);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '{"experiment": 2, "seed": 33, "results": [');
  assert.throws(
    () => readProtocolFile(file),
    (e: Error) => e.message.startsWith(file) && /not valid JSON/.test(e.message),
  );
  fs.writeFileSync(file, JSON.stringify({ experiment: 9, seed: 33, results: [] }));
  assert.throws(() => readProtocolFile(file), /"experiment" must be 1-6, got 9/);
  fs.writeFileSync(file, JSON.stringify({ experiment: 2, seed: 33, results: [{ protocol: 'kfold', folds: [] }] }));
  assert.throws(() => readProtocolFile(file), /unknown protocol "kfold"/);
});
