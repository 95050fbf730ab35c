#!/usr/bin/env node
// Folder-level import check over apps/ libs/ tools/ tests/ (madge checks file cycles; see the
// `tools:check-imports` target): no two folders may import each other. For an import from a file in
// folder A of one in folder B, the pair compared is the two sibling folders where their paths part, e.g.
// apps/trainer/src/model5/x.ts -> apps/trainer/src/protocols/y.ts is model5 -> protocols, and
// libs/model/... -> @digits/features is libs/model -> libs/features. A file using a folder inside its own
// folder (a command composing its parts), or the files of a folder above it, is no pair: nesting is
// already one way by the tree. Type-only imports count (they tie the folders as much as any). Imports
// made by test files (*.test.ts) do not: nothing imports a test, so a test using a neighbour folder ties
// no code together (madge still follows them for file cycles).
// Usage: node tools/check-imports.mjs [--root DIR] [folders...]; exits 1 and lists each pair with one
// import each way.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = path.resolve(
  rootAt >= 0 ? args[rootAt + 1] : path.join(path.dirname(fileURLToPath(import.meta.url)), '..'),
);
const folders = args.filter((a, i) => !a.startsWith('--') && (rootAt < 0 || i !== rootAt + 1));
const scanned = folders.length ? folders : ['apps', 'libs', 'tools', 'tests'];
const EXTENSIONS = ['.ts', '.mts', '.mjs', '.js'];

/** The `@digits/*` aliases of tsconfig.base.json, as absolute files. */
function aliases() {
  const file = path.join(root, 'tsconfig.base.json');
  const paths = JSON.parse(readFileSync(file, 'utf8')).compilerOptions?.paths ?? {};
  return new Map(Object.entries(paths).map(([name, [target]]) => [name, path.resolve(root, target)]));
}

/** @param {string} dir @param {string[]} out @returns {string[]} */
function sources(dir, out) {
  for (const e of readdirSync(dir)) {
    if (e === 'node_modules' || e === 'dist' || e.startsWith('.')) continue;
    const full = path.join(dir, e);
    const st = statSync(full);
    if (st.isDirectory()) sources(full, out);
    else if (EXTENSIONS.includes(path.extname(e)) && !e.endsWith('.d.ts') && !e.endsWith('.min.js')) out.push(full);
  }
  return out;
}

/** Module specifiers of a file's static imports, re-exports and dynamic imports. */
/** @param {string} text */
function specifiers(text) {
  /** @type {string[]} */
  const out = [];
  const re =
    /(?:^|[^\w.$])(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]|(?:^|[^\w.$])import\s*['"]([^'"]+)['"]|(?:^|[^\w.$])import\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** @param {string} base */
function resolveFile(base) {
  const candidates = [base, ...EXTENSIONS.map((x) => base + x), ...EXTENSIONS.map((x) => path.join(base, 'index' + x))];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

const alias = aliases();
/** @param {string} spec @param {string} from */
function resolve(spec, from) {
  if (spec.startsWith('.')) return resolveFile(path.resolve(path.dirname(from), spec));
  const target = alias.get(spec);
  return target && existsSync(target) ? target : undefined;
}

/** The sibling folders where the paths of two folders part, or null when one contains the other. */
/** @param {string} a @param {string} b */
function partingPair(a, b) {
  const pa = a.split(path.sep);
  const pb = b.split(path.sep);
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  if (i === pa.length || i === pb.length) return null;
  return [pa.slice(0, i + 1).join('/'), pb.slice(0, i + 1).join('/')];
}

const files = scanned.flatMap((d) => (existsSync(path.join(root, d)) ? sources(path.join(root, d), []) : []));
/** "from -> to" folder edge -> one import that makes it, for the message. */
const edges = new Map();
for (const file of files) {
  if (/\.test\.[mc]?[jt]s$/.test(file)) continue;
  const dir = path.relative(root, path.dirname(file));
  for (const spec of specifiers(readFileSync(file, 'utf8'))) {
    const target = resolve(spec, file);
    if (!target || target.startsWith(path.join(root, 'node_modules'))) continue;
    const pair = partingPair(dir, path.relative(root, path.dirname(target)));
    if (!pair) continue;
    const key = `${pair[0]} -> ${pair[1]}`;
    if (!edges.has(key)) edges.set(key, `${path.relative(root, file)} imports ${spec}`);
  }
}

const problems = [];
for (const [key, example] of edges) {
  const [from, to] = key.split(' -> ');
  const back = edges.get(`${to} -> ${from}`);
  if (back && from < to) problems.push(`${from} <-> ${to}:\n  ${example}\n  ${back}`);
}
if (problems.length) {
  console.error(
    `check-imports: ${problems.length} folder pair(s) import each other (move the shared piece below both):\n${problems.join('\n')}`,
  );
  process.exit(1);
}
console.log(`check-imports: ${files.length} files, ${edges.size} folder edges, no two folders import each other`);
