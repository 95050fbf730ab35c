import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { z } from 'zod';
import { readRunFile } from './run-files';

/**
 * A training run's folder, `runs/<timestamp>/`: run.json (what was asked), one folder per model
 * (saved model, metrics.json, epochs.jsonl, tensorboard/, checkpoint/) and results.json at the end.
 * Every JSON file is written atomically, so an interrupted run never leaves a torn file behind.
 */
export class RunFolder {
  constructor(readonly dir: string) {}

  /** A new run folder named after the current time (UTC, sortable), e.g. runs/20261124-131500. */
  static create(outDir: string, now = new Date()): RunFolder {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    let dir = path.resolve(outDir, stamp);
    for (let i = 2; existsSync(dir); i++) dir = path.resolve(outDir, `${stamp}-${i}`);
    mkdirSync(dir, { recursive: true });
    return new RunFolder(dir);
  }

  /**
   * The run to resume: `id` inside outDir (or a path), else the newest run in outDir that has a
   * run.json. Errors name what was looked for.
   */
  static find(outDir: string, id?: string): RunFolder {
    if (id) {
      const dir = existsSync(id) ? path.resolve(id) : path.resolve(outDir, id);
      if (!existsSync(path.join(dir, 'run.json')))
        throw new Error(`--resume: no run at ${dir} (expected a run.json there)`);
      return new RunFolder(dir);
    }
    const newest = newestRun(outDir);
    if (!newest) throw new Error(`--resume: no earlier run in ${path.resolve(outDir)}; start one without --resume`);
    return new RunFolder(newest);
  }

  get id(): string {
    return path.basename(this.dir);
  }

  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  /** A file of the run checked against its schema (run-files.ts); undefined when it does not exist. */
  read<S extends z.ZodTypeAny>(schema: S, ...parts: string[]): z.output<S> | undefined {
    return readRunFile(schema, this.path(...parts));
  }

  writeJson(value: unknown, ...parts: string[]): void {
    const file = this.path(...parts);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic.sync(file, JSON.stringify(value, null, 2) + '\n');
  }

  /** Writes the whole epoch log as JSON lines (rewritten atomically each epoch, so it always matches the checkpoint). */
  writeJsonLines(values: unknown[], ...parts: string[]): void {
    const file = this.path(...parts);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic.sync(file, values.map((v) => JSON.stringify(v) + '\n').join(''));
  }
}

/** `--run` as a path, else as an id inside `out`; without it, the newest run in `out` (names sort by time). */
export function resolveRun(run: string | undefined, out: string, opts: { create?: boolean } = {}): string {
  if (run) {
    if (existsSync(run)) return path.resolve(run);
    const inOut = path.resolve(out, run);
    if (existsSync(inOut)) return inOut;
    if (opts.create) {
      // A name with a folder in it is a path; a bare name is an id inside `out`, like an existing run's.
      const dir = run.includes('/') || run.includes(path.sep) ? path.resolve(run) : inOut;
      mkdirSync(dir, { recursive: true });
      return dir;
    }
    throw new Error(`--run: no run folder "${run}" (looked at ${path.resolve(run)} and ${inOut})`);
  }
  const newest = newestRun(out);
  if (!newest)
    throw new Error(`--run: no run in ${path.resolve(out)} (expected runs/<id>/run.json); pass --run <folder>`);
  return newest;
}

/** The newest run folder (with a run.json) in `out`: run names sort by time. */
function newestRun(out: string): string | undefined {
  const root = path.resolve(out);
  const runs = existsSync(root)
    ? readdirSync(root)
        .filter((d) => existsSync(path.join(root, d, 'run.json')))
        .sort()
    : [];
  return runs.length ? path.join(root, runs[runs.length - 1]) : undefined;
}
