#!/usr/bin/env node
// Runs a TypeScript script of this workspace through tsx with the @digits/* aliases resolved:
// node tools/run-ts.mjs tools/bench/bench-features.ts [args...]
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node tools/run-ts.mjs <script.ts> [args...]');
  process.exit(2);
}
const env = { ...process.env, TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json') };
const r = spawnSync(process.execPath, ['--import', 'tsx', path.resolve(root, script), ...args], {
  stdio: 'inherit',
  env,
});
process.exit(r.status ?? 1);
