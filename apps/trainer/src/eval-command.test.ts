// `digits eval` with the committed default model: a clip that cannot be featurised is named, counted in the
// report's "skipped", and the others are measured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FSDD_RECORDINGS } from '@digits/dsp/testing';

const ROOT = path.resolve(__dirname, '../../..');
const FSDD = FSDD_RECORDINGS;

test('eval names and counts a clip declaring a 4 GHz rate and reports on the rest', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-'));
  for (const f of ['3_theo_0.wav', '8_jackson_12.wav']) fs.copyFileSync(path.join(FSDD, f), path.join(dir, f));
  const bad = fs.readFileSync(path.join(FSDD, '5_theo_0.wav'));
  bad.writeUInt32LE(4_000_000_000, 24); // the fmt chunk's sample rate in a canonical 44-byte header
  fs.writeFileSync(path.join(dir, '5_bad_0.wav'), bad);
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'bin/digits.js'), 'eval', '--no-cache', '--data', dir, '--split', 'all'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /digits eval: skipped 5_bad_0\.wav: .*4000000000/);
  const report = JSON.parse(r.stdout);
  assert.equal(report.n, 2);
  assert.equal(report.skipped, 1);
});
