// `npm test` lints and type-checks every TypeScript and JavaScript file: each one must lie in a project
// (whose `lint` runs eslint on it) and be included by one of that project's tsconfig.<name>.json files
// (which its `build` type-checks, see tools/typecheck.mjs). A new folder outside every project, or a
// file no tsconfig includes, fails here instead of going unchecked.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { REPO_ROOT } from '@digits/dsp/testing';

const SKIP = new Set(['node_modules', 'data', 'runs', 'models', 'docs', 'dist', 'tmp', 'test-artifacts']);
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

function walk(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || SKIP.has(e.name)) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, out);
    else if (SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** Files a project lints beyond its own folder: its `lint` command's extra paths (`eslint <root> <more>`). */
function lintedPaths(
  root: string,
  project: { targets?: Record<string, { options?: { command?: string } }> },
): string[] {
  const command = project.targets?.lint?.options?.command;
  const extra = command ? command.split(/\s+/).slice(1) : [];
  return [root, ...extra.map((p) => path.join(REPO_ROOT, p))];
}

/** The files a project's build type-checks: the root files of each tsconfig.<name>.json, else tsconfig.json. */
function typeChecked(root: string): Set<string> {
  const named = readdirSync(root).filter((f) => /^tsconfig\.[\w-]+\.json$/.test(f));
  const files = new Set<string>();
  for (const name of named.length > 0 ? named : ['tsconfig.json']) {
    const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, name), undefined, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) =>
        assert.fail(`${root}/${name}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`),
    });
    for (const f of parsed?.fileNames ?? []) files.add(path.resolve(f));
  }
  return files;
}

test('every TypeScript and JavaScript file is linted and type-checked by some project', () => {
  const projects = findProjects(REPO_ROOT, []);
  assert.ok(projects.length >= 10, `only ${projects.length} projects found`);
  const linted: string[] = [];
  const checked = new Set<string>();
  for (const file of projects) {
    const root = path.dirname(file);
    linted.push(...lintedPaths(root, JSON.parse(readFileSync(file, 'utf8'))));
    for (const f of typeChecked(root)) checked.add(f);
  }
  const sources = walk(REPO_ROOT, []);
  assert.ok(sources.length > 200, `only ${sources.length} sources found`);
  const unlinted = sources.filter((f) => !linted.some((p) => f === p || f.startsWith(p + path.sep)));
  const unchecked = sources.filter((f) => !checked.has(f));
  const names = (files: string[]) => files.map((f) => path.relative(REPO_ROOT, f));
  assert.deepEqual(
    {
      'not in any project (unlinted)': names(unlinted),
      'in no tsconfig.<name>.json (not type-checked)': names(unchecked),
    },
    { 'not in any project (unlinted)': [], 'in no tsconfig.<name>.json (not type-checked)': [] },
  );
});

/** Every project.json of the workspace (outside node_modules). */
function findProjects(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || SKIP.has(e.name)) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) findProjects(full, out);
    else if (e.name === 'project.json') out.push(full);
  }
  return out;
}
