import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveRun } from './run-folder';

test('resolveRun finds a run by path or by id in out, and names both places when it is missing', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'runs-'));
  try {
    mkdirSync(path.join(out, 'r1'));
    assert.equal(resolveRun('r1', out), path.join(out, 'r1'));
    assert.equal(resolveRun(path.join(out, 'r1'), 'elsewhere'), path.join(out, 'r1'));
    assert.throws(() => resolveRun('nope', out), /--run: no run folder "nope" \(looked at .*nope and .*nope\)/);
    assert.equal(existsSync(path.join(out, 'nope')), false);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('resolveRun with create makes a new run folder: a bare name inside out, a path where it points', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'runs-'));
  try {
    assert.equal(resolveRun('fresh', out, { create: true }), path.join(out, 'fresh'));
    assert.ok(existsSync(path.join(out, 'fresh')));
    const nested = path.join(out, 'a', 'b');
    assert.equal(resolveRun(nested, 'unused', { create: true }), nested);
    assert.ok(existsSync(nested));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
