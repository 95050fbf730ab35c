#!/usr/bin/env node
// Runs the *.test.ts files under the given folders (default: the whole workspace) with Node's own test
// runner through tsx. Node 20's `--test` takes no globs, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const dirs = args.filter((a) => !a.startsWith('--'));
const roots = dirs.length ? dirs : ['libs', 'apps', 'tools', 'tests'];

/**
 * Adds the *.test.ts files at or below `p` (relative to the workspace) to `out`.
 * @param {string} p
 * @param {string[]} out
 * @returns {string[]}
 */
function collect(p, out) {
  const full = path.resolve(root, p);
  let st;
  try {
    st = statSync(full);
  } catch {
    return out;
  }
  if (st.isFile()) {
    if (/\.test\.ts$/.test(full)) out.push(full);
    return out;
  }
  for (const e of readdirSync(full)) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    collect(path.join(full, e), out);
  }
  return out;
}

const files = roots.flatMap((d) => collect(d, [])).sort();
if (files.length === 0) {
  console.error(`run-tests: no *.test.ts files under ${roots.join(', ')}`);
  process.exit(1);
}
const env = { ...process.env, TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json') };
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...flags, ...files], {
  stdio: 'inherit',
  env,
  cwd: root,
});
process.exit(r.status ?? 1);
