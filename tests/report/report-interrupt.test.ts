// Ctrl-C while a report is built exits 130 with a hint: the run is untouched and how to rebuild.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { reportInterruptedHint } from '../../apps/trainer/src/report/report-command';

const ROOT = path.resolve(__dirname, '../..');

/** A child that runs a report build that never ends under `whileBuilding`, says "building", then waits. */
function buildingChild() {
  const script = `
    const { whileBuilding } = require(${JSON.stringify(path.join(ROOT, 'apps/trainer/src/report/report-command.ts'))});
    whileBuilding('runs/20261203-070000', () => { process.stdout.write('building\\n'); return new Promise(() => setInterval(() => {}, 1000)); });
  `;
  return spawn(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.json') },
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} while the report is built exits 130 and says how to rebuild it`, async () => {
    const child = buildingChild();
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d) => {
        stdout += d;
        if (stdout.includes('building')) resolve();
      }),
    );
    child.kill(signal);
    assert.equal(await exited, 130, stderr);
    assert.ok(stderr.includes(reportInterruptedHint('runs/20261203-070000')), stderr);
    assert.match(stderr, /interrupted: the report was not finished; the run's models and results are untouched/);
    assert.match(stderr, /rebuild with {2}npx digits report --run runs\/20261203-070000/);
  });
}
