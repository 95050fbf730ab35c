import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { zipSync } from 'fflate';
import { readClips } from './read-clips';
import { DataSourceError } from './source-entries';
import { REAL_FSDD, syntheticWav, withTempDir } from './test-support';

test('readClips takes single WAVs, folders and zips in the order given; unnamed WAVs get null labels', async () => {
  await withTempDir(async (dir) => {
    const single = path.join(dir, 'my recording.wav');
    await writeFile(single, syntheticWav(1234, 16000));
    const folder = path.join(dir, 'folder');
    await mkdir(folder);
    await writeFile(path.join(folder, '2_theo_10.wav'), syntheticWav(10));
    await writeFile(path.join(folder, '2_theo_9.wav'), syntheticWav(9));
    await writeFile(path.join(folder, 'loose.WAV'), syntheticWav(8));
    await writeFile(path.join(folder, 'notes.txt'), 'x');
    await writeFile(path.join(folder, '5_theo_0.wav'), 'broken');
    const zip = path.join(dir, 'more.zip');
    await writeFile(
      zip,
      zipSync({ deep: { inside: { '4_lucas_1.wav': syntheticWav(20) } }, 'readme.md': new Uint8Array([1]) }),
    );

    const { clips, skipped } = await readClips([single, folder, zip, path.join(REAL_FSDD, '7_jackson_32.wav')]);
    assert.deepEqual(
      clips.map((c) => c.name),
      ['my recording.wav', '2_theo_9.wav', '2_theo_10.wav', 'loose.WAV', '4_lucas_1.wav', '7_jackson_32.wav'],
    );
    const mine = clips[0];
    assert.deepEqual(
      [mine.digit, mine.speaker, mine.take, mine.sampleRate, mine.numSamples, mine.location],
      [null, null, null, 16000, 1234, single],
    );
    assert.deepEqual([clips[1].digit, clips[1].speaker, clips[1].take], [2, 'theo', 9]);
    assert.equal(clips[3].digit, null);
    assert.equal(clips[4].location, `${zip}:deep/inside/4_lucas_1.wav`);
    assert.equal(clips[5].sampleRate, 8000);

    const reasons = Object.fromEntries(skipped.map((s) => [s.name, s.reason]));
    assert.equal(reasons[path.join(folder, 'notes.txt')], 'not a .wav file');
    assert.match(reasons[path.join(folder, '5_theo_0.wav')], /not a RIFF/);
    assert.equal(reasons[`${zip}:readme.md`], 'not a .wav file');
    assert.equal(skipped.length, 3);
  });
});

test('readClips: a missing input is an error naming it; nothing usable is an error; no inputs is an error', async () => {
  await withTempDir(async (dir) => {
    const missing = path.join(dir, 'gone.wav');
    await assert.rejects(
      readClips([missing]),
      (err: unknown) => err instanceof DataSourceError && err.message.includes(missing),
    );
    const bad = path.join(dir, 'bad.wav');
    await writeFile(bad, 'RIFF....WAVE');
    await assert.rejects(readClips([bad]), /No usable recordings in .*bad\.wav.*bad\.wav: /);
    await assert.rejects(readClips([]), /No inputs given/);
  });
});
