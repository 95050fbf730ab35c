import { test } from 'node:test';
import assert from 'node:assert/strict';
import { truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readClips } from './read-clips';
import { readDataset } from './read-dataset';
import { MAX_WAV_FILE_BYTES, readFileBounded } from './source-entries';
import { syntheticWav, withTempDir } from './test-support';

const TOO_BIG = MAX_WAV_FILE_BYTES + 1;
const reason = `file is ${TOO_BIG} bytes, more than the limit of ${MAX_WAV_FILE_BYTES} bytes for one recording`;

test('a plain file over MAX_WAV_FILE_BYTES is refused by its size, naming the size and the limit', async () => {
  await withTempDir(async (dir) => {
    const big = path.join(dir, 'big.wav');
    await writeFile(big, syntheticWav(10));
    await truncate(big, TOO_BIG); // sparse: costs no disk
    assert.deepEqual(await readFileBounded(big), { error: reason });
    const small = path.join(dir, 'small.wav');
    await writeFile(small, syntheticWav(10));
    assert.deepEqual(await readFileBounded(small), { bytes: syntheticWav(10) });
    assert.deepEqual(await readFileBounded(small, 10), { error: `file is ${syntheticWav(10).length} bytes, more than the limit of 10 bytes for one recording` });
  });
});

test('readClips and readDataset skip an oversized file with its name and reason, and read the rest', async () => {
  await withTempDir(async (dir) => {
    await writeFile(path.join(dir, '1_a_0.wav'), syntheticWav(100));
    const big = path.join(dir, '2_a_0.wav');
    await writeFile(big, syntheticWav(10));
    await truncate(big, TOO_BIG);
    const clips = await readClips([dir]);
    assert.deepEqual(clips.clips.map((c) => c.name), ['1_a_0.wav']);
    assert.deepEqual(clips.skipped, [{ name: big, reason }]);
    const single = await readClips([big, path.join(dir, '1_a_0.wav')]);
    assert.deepEqual(single.skipped, [{ name: big, reason }]);
    const ds = await readDataset(dir, { speakers: 'all' });
    assert.deepEqual(ds.skipped, [{ name: '2_a_0.wav', reason }]);
  });
});
