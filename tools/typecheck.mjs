#!/usr/bin/env node
// Type-checks one project (the `build` target): every tsconfig.<name>.json in its folder, e.g.
// tsconfig.lib.json (the library's sources, as they ship), tsconfig.spec.json (its tests, test support and
// benchmarks) and tsconfig.dashboard.json (checked JavaScript). A project with none of these is checked
// with its tsconfig.json. All in one process, so TypeScript loads once.
//   node tools/typecheck.mjs libs/dsp
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [project] = process.argv.slice(2);
if (!project) {
  console.error('usage: node tools/typecheck.mjs <project folder>');
  process.exit(2);
}
const dir = path.resolve(root, project);
const named = readdirSync(dir)
  .filter((f) => /^tsconfig\.[\w-]+\.json$/.test(f))
  .sort();
const configs = named.length > 0 ? named : ['tsconfig.json'];

/** @type {ts.FormatDiagnosticsHost} */
const host = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => root,
  getNewLine: () => ts.sys.newLine,
};
let errors = 0;
for (const name of configs) {
  const file = path.join(dir, name);
  const parsed = ts.getParsedCommandLineOfConfigFile(
    file,
    { noEmit: true },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`typecheck: cannot read ${path.relative(root, file)}`);
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    configFileParsingDiagnostics: parsed.errors,
  });
  const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
  const relative = path.relative(root, file);
  if (diagnostics.length > 0) {
    errors += diagnostics.length;
    const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
    console.error(format(diagnostics, host));
    console.error(`${relative}: ${diagnostics.length} error(s) (${parsed.fileNames.length} files included)`);
  } else {
    console.log(`${relative}: no errors (${parsed.fileNames.length} files included)`);
  }
}
process.exit(errors > 0 ? 1 : 0);
