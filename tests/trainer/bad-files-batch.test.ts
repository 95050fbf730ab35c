// Every batch command, given a folder of good FSDD recordings with each kind of bad file mixed in, gives
// the good files' results and names each bad file with its reason: one bad file never ends a batch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';

const ROOT = path.resolve(__dirname, '../..');
const FSDD = process.env.FSDD_DATA || path.resolve(ROOT, '../shared/fsdd/recordings');
const GOOD = [
  '0_jackson_0.wav',
  '1_jackson_0.wav',
  '2_jackson_0.wav',
  '3_jackson_0.wav',
  '4_jackson_0.wav',
  '5_jackson_0.wav',
];

/** A 44-byte-header WAV of `frames` frames: 16-bit PCM, or 32-bit float when `float`. */
function wav(opts: { rate?: number; channels?: number; frames?: number; float?: boolean; fill?: number } = {}): Buffer {
  const { rate = 8000, channels = 1, frames = 800, float = false, fill = 0.1 } = opts;
  const bytesPer = float ? 4 : 2;
  const dataBytes = frames * channels * bytesPer;
  const b = Buffer.alloc(44 + dataBytes);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(36 + dataBytes, 4);
  b.write('WAVEfmt ', 8, 'latin1');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(float ? 3 : 1, 20);
  b.writeUInt16LE(channels, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE((rate * channels * bytesPer) >>> 0, 28);
  b.writeUInt16LE((channels * bytesPer) & 0xffff, 32);
  b.writeUInt16LE(bytesPer * 8, 34);
  b.write('data', 36, 'latin1');
  b.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < frames * channels; i++) {
    if (float) b.writeFloatLE(fill, 44 + 4 * i);
    else b.writeInt16LE(Math.round(fill * 32767), 44 + 2 * i);
  }
  return b;
}

/** The bad files, named like FSDD (so the labelled readers decode them too), and what each must be called. */
const BAD: { name: string; bytes: () => Buffer; reason: RegExp }[] = [
  {
    name: '6_hostile_0.wav',
    bytes: () => wav().subarray(0, 30),
    reason: /truncated "fmt" chunk: declares 16 bytes, only 10 present/,
  },
  {
    name: '6_hostile_1.wav',
    bytes: () => wav({ rate: 4_000_000_000 }),
    reason: /sample rate 4000000000 Hz is outside the supported range/,
  },
  {
    name: '6_hostile_2.wav',
    bytes: () => wav({ channels: 65535, frames: 0 }),
    reason: /invalid channel count 65535 \(at most 256\)/,
  },
  {
    name: '6_hostile_3.wav',
    bytes: () => wav({ float: true, fill: NaN }),
    reason: /sample 0 is NaN \(audio must be finite\)/,
  },
  { name: '6_hostile_4.wav', bytes: () => wav({ frames: 0 }), reason: /no samples \(empty data chunk\)/ },
  {
    name: '6_hostile_5.wav',
    bytes: () => Buffer.from('this is a text file, not audio\n'),
    reason: /not a RIFF\/WAVE file/,
  },
];

/** A zip with one good entry and one whose stored bytes no longer match its CRC-32. */
function zipWithBadCrc(): Uint8Array {
  const good = new Uint8Array(fs.readFileSync(path.join(FSDD, '7_jackson_0.wav')));
  const damaged = new Uint8Array(wav());
  const zip = zipSync({ 'rec/7_jackson_0.wav': good, 'rec/8_hostile_6.wav': [damaged, { level: 0 }] }, { level: 0 });
  const at = Buffer.from(zip).indexOf('8_hostile_6.wav') + '8_hostile_6.wav'.length + 100; // a sample byte
  zip[at] ^= 0xff;
  return zip;
}
const CRC_REASON = /damaged zip entry rec\/8_hostile_6\.wav: CRC-32 is 0x[0-9a-f]{8}, the archive records/;

let tmp: string;
let folder: string;
let zipFile: string;

function digits(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/digits.js'), ...args], {
    cwd: tmp,
    encoding: 'utf8',
    env: { ...process.env, DIGITS_CACHE: path.join(tmp, 'cache') },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Asserts that `text` names every bad file (by its path or entry) with its reason. */
function namesEveryBadFile(text: string, prefix: string): void {
  for (const b of BAD) {
    const line = text.split('\n').find((l) => l.includes(prefix) && l.includes(b.name));
    assert.ok(line, `${b.name} is named:\n${text}`);
    assert.match(line, b.reason, line);
  }
}

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-files-batch-'));
  folder = path.join(tmp, 'recordings');
  fs.mkdirSync(folder);
  for (const g of GOOD) fs.copyFileSync(path.join(FSDD, g), path.join(folder, g));
  for (const b of BAD) fs.writeFileSync(path.join(folder, b.name), b.bytes());
  zipFile = path.join(tmp, 'more.zip');
  fs.writeFileSync(zipFile, zipWithBadCrc());
});

after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('predict: the good files of the folder and the zip are classified; each bad file is named with its reason', () => {
  const r = digits(['predict', '--model', path.join(ROOT, 'models/default'), '--no-cache', folder, zipFile]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => path.basename(l.file)),
    [...GOOD, '7_jackson_0.wav'],
  );
  namesEveryBadFile(r.stderr, 'digits predict: skipped ');
  assert.match(
    r.stderr,
    new RegExp(`digits predict: skipped \\S*more\\.zip:rec/8_hostile_6\\.wav: ${CRC_REASON.source}`),
  );
});

test('features: one row per good file; each bad file is named with its reason', () => {
  const out = path.join(tmp, 'features.f32');
  const r = digits(['features', '--no-cache', '--threads', '1', folder, zipFile, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => path.basename(l.file)),
    [...GOOD, '7_jackson_0.wav'],
  );
  assert.equal(fs.statSync(out).size, lines.length * 64 * 35 * 4);
  namesEveryBadFile(r.stderr, 'digits features: skipped ');
  assert.match(r.stderr, CRC_REASON);
});

test('eval --data: measured on the good clips, the bad ones named and counted', () => {
  const r = digits([
    'eval',
    '--model',
    path.join(ROOT, 'models/default'),
    '--no-cache',
    '--data',
    folder,
    '--split',
    'all',
  ]);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.equal(report.n, GOOD.length);
  assert.equal(report.skipped, BAD.length);
  namesEveryBadFile(r.stderr, 'digits eval: skipped ');
});

test('eval --data with a zip: the entry with a bad CRC is named, the rest measured', () => {
  const r = digits([
    'eval',
    '--model',
    path.join(ROOT, 'models/default'),
    '--no-cache',
    '--data',
    zipFile,
    '--split',
    'all',
  ]);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.equal(report.n, 1);
  assert.equal(report.skipped, 1);
  assert.match(r.stderr, new RegExp(`digits eval: skipped rec/8_hostile_6\\.wav: ${CRC_REASON.source}`));
});

test('stats --json: the good clips are counted; each bad file is listed with its reason', () => {
  const r = digits(['stats', '--data', folder, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const stats = JSON.parse(r.stdout);
  assert.equal(stats.skipped.count, BAD.length);
  namesEveryBadFile(
    stats.skipped.entries.map((e: { name: string; reason: string }) => `skipped ${e.name}: ${e.reason}`).join('\n'),
    'skipped ',
  );
});

test('train --data: the bad files are named, the run trains on the good ones (one tiny epoch of model 1)', () => {
  const r = digits([
    'train',
    '--quick',
    '--experiment',
    '1',
    '--no-cache',
    '--threads',
    '1',
    '--data',
    folder,
    '--out',
    path.join(tmp, 'runs'),
  ]);
  assert.equal(r.status, 0, r.stderr);
  namesEveryBadFile(r.stdout, 'data: skipped ');
  assert.match(r.stdout, /split: 5 train \/ 1 test/);
  const run = fs.readdirSync(path.join(tmp, 'runs'))[0];
  assert.ok(fs.existsSync(path.join(tmp, 'runs', run, 'model1-raw', 'metrics.json')));
});

test('train refuses data whose split leaves no test clip, naming the counts, before any training', () => {
  const few = path.join(tmp, 'few');
  fs.mkdirSync(few);
  for (const g of GOOD.slice(0, 2)) fs.copyFileSync(path.join(FSDD, g), path.join(few, g));
  for (const b of BAD) fs.writeFileSync(path.join(few, b.name), b.bytes());
  const out = path.join(tmp, 'few-runs');
  const r = digits(['train', '--quick', '--experiment', '1', '--no-cache', '--data', few, '--out', out]);
  assert.equal(r.status, 1, r.stdout);
  assert.match(
    r.stderr,
    /--data \S*few: 2 usable clips split into 2 train \/ 0 test; training needs at least one clip on each side/,
  );
  namesEveryBadFile(r.stdout, 'data: skipped ');
  assert.doesNotMatch(r.stdout, /Epoch 1/);
  assert.ok(!fs.existsSync(out) || fs.readdirSync(out).length === 0, 'no run folder was created');
});
