import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { once } from 'node:events';
import os from 'node:os';
import { spawnTsWorker, availableThreads } from './index';

test('spawnTsWorker runs a TypeScript module in a worker thread', async () => {
  const w = spawnTsWorker(path.join(__dirname, 'fixtures', 'echo-worker.ts'), { workerData: { value: 21 } });
  const [msg] = await once(w, 'message');
  assert.deepEqual(msg, { doubled: 42 });
  await w.terminate();
});

test('availableThreads is a positive integer', () => {
  const n = availableThreads();
  assert.ok(Number.isInteger(n) && n >= 1);
});

test('spawnTsWorker works when the process runs from another folder', async () => {
  const cwd = process.cwd();
  process.chdir(os.tmpdir());
  try {
    const w = spawnTsWorker(path.join(__dirname, 'fixtures', 'echo-worker.ts'), { workerData: { value: 2 } });
    const [msg] = await once(w, 'message');
    assert.deepEqual(msg, { doubled: 4 });
    await w.terminate();
  } finally {
    process.chdir(cwd);
  }
});
