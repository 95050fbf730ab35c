// The README's "Use it from Node" example, run as written (only the recordings folder may be moved by
// FSDD_DATA), so the documented calls stay true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');

/** The ```ts block of the README section `heading`. */
function exampleOf(heading: string): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`## ${heading}\n`);
  assert.ok(start >= 0, `README has no "## ${heading}" section`);
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const m = /```ts\n([\s\S]*?)```/.exec(section);
  assert.ok(m, `"## ${heading}" has no ts code block`);
  return m[1];
}

test("the README's Node example runs and prints the digit", { timeout: 120_000 }, () => {
  let code = exampleOf('Use it from Node');
  assert.match(code, /loadRecognizer\(DEFAULT_MODEL_DIR\)/);
  assert.match(code, /decodeWav\(/);
  if (process.env.FSDD_DATA) code = code.replace('../shared/fsdd/recordings', process.env.FSDD_DATA);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-example-'));
  try {
    const file = path.join(dir, 'example.ts');
    fs.writeFileSync(file, code);
    // As the README says: node tools/run-ts.mjs example.ts, from the repository root.
    const r = spawnSync(process.execPath, [path.join(ROOT, 'tools/run-ts.mjs'), file], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout.trim(), /^7 (0\.\d{3}|1\.000)( \(unknown\))?$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
