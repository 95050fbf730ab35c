import { test } from 'node:test';
import assert from 'node:assert/strict';
import { truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readClips } from './read-clips';
import { readDataset } from './read-dataset';
import { zipSync } from 'fflate';
import {
  centralDirectory,
  inflateZipEntry,
  listZip,
  MAX_WAV_FILE_BYTES,
  readFileBounded,
  ZipEntryError,
} from './source-entries';
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
    assert.deepEqual(await readFileBounded(small, 10), {
      error: `file is ${syntheticWav(10).length} bytes, more than the limit of 10 bytes for one recording`,
    });
  });
});

test('readClips and readDataset skip an oversized file with its name and reason, and read the rest', async () => {
  await withTempDir(async (dir) => {
    await writeFile(path.join(dir, '1_a_0.wav'), syntheticWav(100));
    const big = path.join(dir, '2_a_0.wav');
    await writeFile(big, syntheticWav(10));
    await truncate(big, TOO_BIG);
    const clips = await readClips([dir]);
    assert.deepEqual(
      clips.clips.map((c) => c.name),
      ['1_a_0.wav'],
    );
    assert.deepEqual(clips.skipped, [{ name: big, reason }]);
    const single = await readClips([big, path.join(dir, '1_a_0.wav')]);
    assert.deepEqual(single.skipped, [{ name: big, reason }]);
    const ds = await readDataset(dir, { speakers: 'all' });
    assert.deepEqual(ds.skipped, [{ name: '2_a_0.wav', reason }]);
  });
});

/** A 16-bit mono 8 kHz WAV header whose data chunk declares `dataBytes` (the data itself is left to the caller). */
function header(dataBytes: number): Buffer {
  const h = Buffer.from(syntheticWav(0));
  h.writeUInt32LE(36 + dataBytes, 4);
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

test("a plain WAV whose header declares more than the decoder's 60 s is refused from its header", async () => {
  await withTempDir(async (dir) => {
    const file = path.join(dir, 'long.wav');
    const dataBytes = 30 * 1024 * 1024; // 1,966 s at 8 kHz, 16-bit
    await writeFile(file, header(dataBytes));
    await truncate(file, 44 + dataBytes); // sparse
    assert.deepEqual(await readFileBounded(file), {
      error: `clip is 1966.1 s long (${dataBytes / 2} frames at 8000 Hz), more than the limit of 60 s`,
    });
  });
});

test('a zip entry whose WAV header declares more than 60 s stops inflating after the header', async () => {
  const dataBytes = 61 * 8000 * 2;
  const wav = new Uint8Array(44 + dataBytes);
  wav.set(header(dataBytes));
  const zip = zipSync({ '0_a_0.wav': wav }, { level: 6 });
  const record = centralDirectory(zip).get('0_a_0.wav')!;
  const seen: number[] = [];
  assert.throws(
    () =>
      inflateZipEntry('long.zip', zip, record, {
        checkPrefix: (prefix, size) => {
          seen.push(prefix.length);
          assert.equal(size, wav.length);
          return 'too long';
        },
      }),
    (err: unknown) => err instanceof ZipEntryError && err.message === 'long.zip:0_a_0.wav: too long',
  );
  assert.equal(seen.length, 1);
  assert.ok(seen[0] < wav.length / 2, `checked after ${seen[0]} of ${wav.length} bytes`);
  const listing = listZip('long.zip', zip);
  assert.deepEqual((await listing.read(listing.files)).get(listing.files[0]), {
    error: `clip is 61.0 s long (${61 * 8000} frames at 8000 Hz), more than the limit of 60 s`,
  });
});
