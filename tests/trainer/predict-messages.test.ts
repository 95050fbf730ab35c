// predict takes recordings of any name: its errors must not ask for FSDD names (only labelled commands need them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function digits(args: string[], cwd: string) {
  return spawnSync(process.execPath, [path.join(ROOT, 'bin/digits.js'), ...args], { cwd, encoding: 'utf8' });
}

test('predict with nothing usable names the file and its reason, and does not ask for FSDD names', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'predict-msg-'));
  try {
    const bad = path.join(tmp, 'my recording.wav');
    fs.writeFileSync(bad, 'not audio at all');
    fs.mkdirSync(path.join(tmp, 'empty'));
    const r = digits(['predict', '--model', path.join(ROOT, 'models/default'), '--no-cache', bad], tmp);
    assert.equal(r.status, 1, r.stdout);
    assert.match(
      r.stderr,
      /No usable recordings in \S*my recording\.wav: 1 entry, none usable \(\S*my recording\.wav: not a RIFF\/WAVE file/,
    );
    assert.match(r.stderr, /expected WAV files \(any name\), folders of them, or zip archives of them/);
    assert.doesNotMatch(r.stderr, /FSDD|\{digit\}_\{speaker\}/);
    const empty = digits(['predict', '--model', path.join(ROOT, 'models/default'), '--no-cache', 'empty'], tmp);
    assert.equal(empty.status, 1);
    assert.match(empty.stderr, /No usable recordings in \S*empty: it is empty/);
    assert.doesNotMatch(empty.stderr, /FSDD|\{digit\}_\{speaker\}/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("eval, which needs labels, still says the names must be FSDD's", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-msg-'));
  try {
    fs.writeFileSync(path.join(tmp, 'my recording.wav'), 'x');
    const r = digits(['eval', '--model', path.join(ROOT, 'models/default'), '--no-cache', '--data', tmp], tmp);
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /No usable FSDD recordings in .*expected WAV files named \{digit\}_\{speaker\}_\{index\}\.wav/,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
