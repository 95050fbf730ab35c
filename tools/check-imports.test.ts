import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.join(__dirname, 'check-imports.mjs');

/** A workspace of `files` (path -> text) with one @digits alias; the check's exit code and output. */
function check(files: Record<string, string>): { status: number | null; out: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'check-imports-'));
  try {
    const all = {
      'tsconfig.base.json': JSON.stringify({ compilerOptions: { paths: { '@digits/b': ['libs/b/src/index.ts'] } } }),
      ...files,
    };
    for (const [f, text] of Object.entries(all)) {
      mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      writeFileSync(path.join(root, f), text);
    }
    const r = spawnSync(process.execPath, [SCRIPT, '--root', root], { encoding: 'utf8' });
    return { status: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('two sibling folders importing each other fail, naming the pair and one import each way', () => {
  const r = check({
    'apps/x/src/a/one.ts': "import { two } from '../b/two';\nexport const one = two;\n",
    'apps/x/src/b/two.ts': "import type { Three } from '../a/three';\nexport const two = 2 as Three;\n",
    'apps/x/src/a/three.ts': 'export type Three = number;\n',
  });
  assert.equal(r.status, 1);
  assert.match(r.out, /apps\/x\/src\/a <-> apps\/x\/src\/b/);
  assert.match(r.out, /apps\/x\/src\/a\/one\.ts imports \.\.\/b\/two/);
  assert.match(r.out, /apps\/x\/src\/b\/two\.ts imports \.\.\/a\/three/);
});

test('a lib pair tied through an alias fails; one-way use, nesting and tests pass', () => {
  const cyclic = check({
    'libs/a/src/index.ts': "export { b } from '@digits/b';\n",
    'libs/b/src/index.ts': "import '../../a/src/index';\nexport const b = 1;\n",
  });
  assert.equal(cyclic.status, 1);
  assert.match(cyclic.out, /libs\/a <-> libs\/b/);
  const fine = check({
    'libs/a/src/index.ts': "export { b } from '@digits/b';\nexport { c } from './inner/c';\n",
    'libs/a/src/inner/c.ts': "import { helper } from '../helper';\nexport const c = helper;\n",
    'libs/a/src/helper.ts': 'export const helper = 1;\n',
    'libs/b/src/index.ts': 'export const b = 1;\n',
    'libs/b/src/b.test.ts': "import '../../a/src/index';\n",
  });
  assert.equal(fine.status, 0, fine.out);
  assert.match(fine.out, /no two folders import each other/);
});
