import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { FSDD_RECORDINGS, LIBROSA_REFERENCE } from '@digits/dsp/testing';

const ROOT = path.resolve(__dirname, '../../..');
const FSDD = FSDD_RECORDINGS;
const REF = LIBROSA_REFERENCE;
const BIN = path.join(ROOT, 'bin', 'digits.js');

function digits(args: string[], cwd: string) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, DIGITS_CACHE: path.join(cwd, 'cache') },
  });
}

test('digits features reads files, folders and zips and writes (N, 64, 35) float32 with one JSON line per row', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'digits-features-'));
  try {
    mkdirSync(path.join(dir, 'folder'));
    copyFileSync(path.join(FSDD, '3_jackson_0.wav'), path.join(dir, 'folder', '3_jackson_0.wav'));
    copyFileSync(path.join(FSDD, '1_nicolas_0.wav'), path.join(dir, 'folder', '1_nicolas_0.wav'));
    writeFileSync(path.join(dir, 'folder', 'notes.txt'), 'not audio');
    writeFileSync(
      path.join(dir, 'clips.zip'),
      zipSync({ 'recordings/5_theo_0.wav': new Uint8Array(readFileSync(path.join(FSDD, '5_theo_0.wav'))) }),
    );
    copyFileSync(path.join(FSDD, '0_jackson_0.wav'), path.join(dir, 'my recording.wav'));

    const r = digits(['features', 'folder', 'clips.zip', 'my recording.wav', '--out', 'out.f32'], dir);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 4);
    assert.deepEqual(
      lines.map((l) => l.index),
      [0, 1, 2, 3],
    );
    const named = lines.find((l) => l.file.includes('3_jackson_0'));
    assert.equal(named.label, 3);
    assert.equal(named.speaker, 'jackson');
    assert.ok(Math.abs(named.durationS - 10711 / 22050) < 1e-9);
    const custom = lines.find((l) => l.file.includes('my recording'));
    assert.equal(custom.label, null);
    assert.equal(statSync(path.join(dir, 'out.f32')).size, 4 * 64 * 35 * 4);

    // The row of 3_jackson_0 equals librosa's log-mel.
    const out = readFileSync(path.join(dir, 'out.f32'));
    const all = new Float32Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength));
    const refBuf = readFileSync(path.join(REF, 'base', '3_jackson_0.logmel.f32'));
    const ref = new Float32Array(refBuf.buffer.slice(refBuf.byteOffset, refBuf.byteOffset + refBuf.byteLength));
    const row = all.subarray(named.index * 2240, (named.index + 1) * 2240);
    for (let i = 0; i < 2240; i++) assert.ok(Math.abs(row[i] - ref[i]) <= 0.01, `cell ${i}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('digits features --augment gives 9 rows per clip with their augmentation', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'digits-features-'));
  try {
    copyFileSync(path.join(FSDD, '2_theo_0.wav'), path.join(dir, '2_theo_0.wav'));
    const r = digits(['features', '2_theo_0.wav', '--augment', '--out', 'aug.f32'], dir);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 9);
    assert.deepEqual(lines[0].augment, { rate: 0.7, nSteps: -1 });
    assert.deepEqual(lines[8].augment, { rate: 1.3, nSteps: 1 });
    assert.equal(statSync(path.join(dir, 'aug.f32')).size, 9 * 2240 * 4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('digits features names a missing input and exits non-zero', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'digits-features-'));
  try {
    const r = digits(['features', 'nope.wav', '--out', 'x.f32'], dir);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /nope\.wav/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('digits features reports a file it cannot featurise (a 4 GHz rate) on stderr and leaves it out', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'digits-features-'));
  try {
    copyFileSync(path.join(FSDD, '3_jackson_0.wav'), path.join(dir, '3_jackson_0.wav'));
    const bad = readFileSync(path.join(FSDD, '5_theo_0.wav'));
    bad.writeUInt32LE(4_000_000_000, 24); // the fmt chunk's sample rate in a canonical 44-byte header
    writeFileSync(path.join(dir, '5_bad_0.wav'), bad);
    const r = digits(['features', '3_jackson_0.wav', '5_bad_0.wav', '--no-cache', '--out', 'out.f32'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /digits features: skipped \S*5_bad_0\.wav: .*4000000000/);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => [l.index, path.basename(l.file)]),
      [[0, '3_jackson_0.wav']],
    );
    assert.equal(statSync(path.join(dir, 'out.f32')).size, 64 * 35 * 4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('digits features refuses an --out it cannot write before any work, naming that path', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'digits-features-'));
  try {
    // The input does not exist either: the --out check must come first.
    const missing = digits(['features', 'nope.wav', '--out', 'no/such/folder/x.f32'], dir);
    assert.equal(missing.status, 1);
    assert.match(
      missing.stderr,
      /--out no\/such\/folder\/x\.f32: cannot write there \(folder .*no\/such\/folder does not exist\)/,
    );
    assert.doesNotMatch(missing.stderr, /nope\.wav|\.tmp/);
    mkdirSync(path.join(dir, 'sub'));
    const folder = digits(['features', 'nope.wav', '--out', 'sub'], dir);
    assert.equal(folder.status, 1);
    assert.match(folder.stderr, /--out sub: cannot write there \(it is a folder\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('digits features --help documents the output', () => {
  const out = execFileSync(process.execPath, [BIN, 'features', '--help'], { encoding: 'utf8' });
  assert.match(out, /--augment/);
  assert.match(out, /"durationS"/);
});
