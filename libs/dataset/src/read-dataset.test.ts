import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { zipSync } from 'fflate';
import { NOT_FSDD_NAME, readDataset } from './read-dataset';
import { DataSourceError } from './source-entries';
import { UnknownSpeakerError } from './speakers';
import { REAL_FSDD, REAL_FSDD_ZIP, syntheticWav, withTempDir } from './test-support';

test('a folder: FSDD-named WAVs become clips in canonical order; the rest is skipped with reasons', async () => {
  await withTempDir(async (dir) => {
    const real = await readFile(path.join(REAL_FSDD, '7_jackson_32.wav'));
    await writeFile(path.join(dir, '7_jackson_32.wav'), real);
    await writeFile(path.join(dir, '0_theo_10.wav'), syntheticWav(800));
    await writeFile(path.join(dir, '0_theo_2.wav'), syntheticWav(4000, 16000));
    await writeFile(path.join(dir, 'README.md'), '# notes');
    await writeFile(path.join(dir, '3_theo_1.wav'), real.subarray(0, 30)); // truncated copy of a real file
    await writeFile(path.join(dir, '4_theo_1.wav'), 'not audio at all');
    await mkdir(path.join(dir, 'extra'));

    const ds = await readDataset(dir);
    assert.equal(ds.source, dir);
    assert.deepEqual(
      ds.clips.map((c) => c.name),
      ['0_theo_2.wav', '0_theo_10.wav', '7_jackson_32.wav'],
    );
    const [a, , c] = ds.clips;
    assert.deepEqual(
      { digit: a.digit, speaker: a.speaker, take: a.take, sampleRate: a.sampleRate, numSamples: a.numSamples },
      { digit: 0, speaker: 'theo', take: 2, sampleRate: 16000, numSamples: 4000 },
    );
    assert.equal(c.sampleRate, 8000);
    assert.equal(c.location, path.join(dir, '7_jackson_32.wav'));
    assert.deepEqual(c.bytes, new Uint8Array(real));

    const reasons = Object.fromEntries(ds.skipped.map((s) => [s.name, s.reason]));
    assert.deepEqual(Object.keys(reasons), ['3_theo_1.wav', '4_theo_1.wav', 'README.md', 'extra']);
    assert.equal(reasons['README.md'], NOT_FSDD_NAME);
    assert.match(reasons['3_theo_1.wav'], /truncated|no "data"|not a/);
    assert.match(reasons['4_theo_1.wav'], /not a RIFF/);
    assert.match(reasons.extra, /folder/);
    assert.deepEqual(ds.speakers, ['jackson', 'theo']);
    assert.deepEqual(ds.excludedSpeakers, []);
  });
});

test('a zip: nested entries, directory entries ignored, duplicates skipped, same clips as the folder', async () => {
  await withTempDir(async (dir) => {
    const wav = syntheticWav(1000);
    const zip = zipSync({
      recordings: { '1_nicolas_3.wav': wav, '1_nicolas_20.wav': syntheticWav(2000), 'notes.txt': new Uint8Array([1]) },
      other: { '1_nicolas_3.wav': wav },
    });
    const file = path.join(dir, 'fsdd.zip');
    await writeFile(file, zip);
    const ds = await readDataset(file);
    assert.deepEqual(
      ds.clips.map((c) => c.name),
      ['1_nicolas_3.wav', '1_nicolas_20.wav'],
    );
    assert.equal(ds.clips[1].numSamples, 2000);
    // Entries are taken in code-unit order of their path, so other/ comes first and recordings/ is the duplicate.
    assert.equal(ds.clips[0].location, `${file}:other/1_nicolas_3.wav`);
    assert.deepEqual(
      ds.skipped,
      [
        { name: 'recordings/1_nicolas_3.wav', reason: 'duplicate of other/1_nicolas_3.wav' },
        { name: 'recordings/notes.txt', reason: NOT_FSDD_NAME },
      ].sort((a, b) => (a.name < b.name ? -1 : 1)),
    );
  });
});

test('a damaged zip entry is skipped with its reason; the other entries are still read', async () => {
  await withTempDir(async (dir) => {
    // Deflate a compressible WAV, then corrupt its compressed bytes.
    const big = new Uint8Array(syntheticWav(20000));
    const zip = zipSync({ '2_a_0.wav': [big, { level: 9 }], '2_a_1.wav': [syntheticWav(300), { level: 0 }] });
    const headerEnd = 30 + '2_a_0.wav'.length;
    for (let i = headerEnd; i < headerEnd + 40; i++) zip[i] = 0xff;
    const file = path.join(dir, 'damaged.zip');
    await writeFile(file, zip);
    const ds = await readDataset(file);
    assert.deepEqual(
      ds.clips.map((c) => c.name),
      ['2_a_1.wav'],
    );
    assert.equal(ds.skipped.length, 1);
    assert.equal(ds.skipped[0].name, '2_a_0.wav');
    assert.match(ds.skipped[0].reason, /^damaged zip entry: /);
  });
});

test('no usable file at all is an error naming the source and what was expected', async () => {
  await withTempDir(async (dir) => {
    await writeFile(path.join(dir, 'a.txt'), 'x');
    await writeFile(path.join(dir, '5_theo_1.wav'), 'broken');
    await assert.rejects(readDataset(dir), (err: unknown) => {
      assert.ok(err instanceof DataSourceError);
      assert.ok(err.message.includes(dir));
      assert.match(err.message, /5_theo_1\.wav: not a RIFF/);
      assert.match(err.message, /\{digit\}_\{speaker\}_\{index\}\.wav/);
      return true;
    });
    const empty = path.join(dir, 'empty');
    await mkdir(empty);
    await assert.rejects(readDataset(empty), /No usable FSDD recordings in .*empty: it is empty/);
  });
});

test('a missing source, or a file that is not a zip, is an error naming the path', async () => {
  await withTempDir(async (dir) => {
    const missing = path.join(dir, 'nope.zip');
    await assert.rejects(
      readDataset(missing),
      new RegExp(`not found: ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    const wav = path.join(dir, '1_a_1.wav');
    await writeFile(wav, syntheticWav(10));
    await assert.rejects(readDataset(wav), /neither a folder nor a \.zip archive: .*1_a_1\.wav/);
    const badZip = path.join(dir, 'bad.zip');
    await writeFile(badZip, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    await assert.rejects(readDataset(badZip), /Cannot read zip archive .*bad\.zip/);
  });
});

test('speaker filter: by default the notebook four when the source has more, else all; lists and "all" on request', async () => {
  await withTempDir(async (dir) => {
    for (const s of ['jackson', 'nicolas', 'theo', 'yweweler', 'george', 'lucas']) {
      for (const take of [0, 1]) await writeFile(path.join(dir, `3_${s}_${take}.wav`), syntheticWav(100));
    }
    await writeFile(path.join(dir, '3_george_9.wav'), 'not decoded when left out');
    const ds = await readDataset(dir);
    assert.deepEqual(ds.speakers, ['jackson', 'nicolas', 'theo', 'yweweler']);
    assert.equal(ds.clips.length, 8);
    assert.deepEqual(ds.excludedSpeakers, [
      { speaker: 'george', clips: 3 },
      { speaker: 'lucas', clips: 2 },
    ]);
    assert.deepEqual(ds.skipped, []);

    const all = await readDataset(dir, { speakers: 'all' });
    assert.equal(all.clips.length, 12);
    assert.equal(all.skipped.length, 1);
    const two = await readDataset(dir, { speakers: ['lucas', 'george'] });
    assert.deepEqual(two.speakers, ['george', 'lucas']);
    assert.equal(two.clips.length, 4);
    await assert.rejects(
      readDataset(dir, { speakers: ['bob'] }),
      (err: unknown) =>
        err instanceof UnknownSpeakerError &&
        /"bob".*george, jackson, lucas, nicolas, theo, yweweler/.test(err.message),
    );
  });
  await withTempDir(async (dir) => {
    for (const s of ['george', 'theo']) await writeFile(path.join(dir, `1_${s}_0.wav`), syntheticWav(100));
    const ds = await readDataset(dir);
    assert.deepEqual(ds.speakers, ['george', 'theo'], 'fewer than the notebook four: all are kept');
  });
});

test('the real recordings: 2,000 clips from folder and zip, identical, 200 per digit, 500 per speaker', async () => {
  const folder = await readDataset(REAL_FSDD);
  const zip = await readDataset({ path: REAL_FSDD_ZIP }); // a DataSource from resolveDataSource works too
  assert.equal(folder.clips.length, 2000);
  assert.deepEqual(folder.skipped, []);
  assert.deepEqual(
    zip.clips.map((c) => c.name),
    folder.clips.map((c) => c.name),
  );
  assert.deepEqual(
    zip.clips.map((c) => c.numSamples),
    folder.clips.map((c) => c.numSamples),
  );
  for (let d = 0; d < 10; d++) assert.equal(folder.clips.filter((c) => c.digit === d).length, 200);
  for (const s of folder.speakers) assert.equal(folder.clips.filter((c) => c.speaker === s).length, 500);
  assert.ok(folder.clips.every((c) => c.sampleRate === 8000));
  assert.equal(folder.clips.find((c) => c.name === '0_jackson_0.wav')?.numSamples, 5148);
  assert.equal(folder.clips[0].name, '0_jackson_0.wav');
  assert.equal(folder.clips[1].name, '0_jackson_1.wav');
  assert.equal(folder.clips[10].name, '0_jackson_10.wav');
});

test('a real recording copied among junk is read; the listing order of the folder does not matter', async () => {
  await withTempDir(async (dir) => {
    for (const n of ['9_theo_16.wav', '6_yweweler_3.wav', '0_jackson_0.wav'])
      await copyFile(path.join(REAL_FSDD, n), path.join(dir, n));
    const ds = await readDataset(dir);
    assert.deepEqual(
      ds.clips.map((c) => [c.name, c.numSamples]),
      [
        ['0_jackson_0.wav', 5148],
        ['6_yweweler_3.wav', 1148],
        ['9_theo_16.wav', 18262],
      ],
    );
  });
});
