import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { EXPERIMENTS } from './experiments';
import type { ExperimentResult } from './results-table';

/** Where `predict` and the live app look for a model by default. */
export const DEFAULT_MODEL_DIR = 'models/default';

/**
 * Copies the best spectrogram model of a finished run (highest val F1; the live recognizer takes
 * log-mels, so raw-audio models are not candidates) to `outDir` with its metrics, adding to meta.json
 * the name, run and figures the dashboard shows. The folder is swapped in by rename.
 */
export function promoteBestModel(runDir: string, outDir = DEFAULT_MODEL_DIR): ExperimentResult {
  const { results, seed, quick } = finishedModels(runDir);
  const candidates = results.filter((r) => EXPERIMENTS.find((e) => e.id === r.id)?.input === 'logmel');
  if (candidates.length === 0) throw new Error(`${runDir}: no finished spectrogram model (experiment 2 or 4) in this run`);
  const best = candidates.reduce((a, b) => (b.valF1 > a.valF1 ? b : a));
  const src = path.join(runDir, best.slug, 'model');
  if (!fs.existsSync(path.join(src, 'model.json'))) throw new Error(`${src}: no saved model (model.json missing)`);

  const target = path.resolve(outDir);
  const tmp = `${target}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.cpSync(src, tmp, { recursive: true });
  const metaFile = path.join(tmp, 'meta.json');
  const meta = fs.existsSync(metaFile) ? JSON.parse(fs.readFileSync(metaFile, 'utf8')) : {};
  const promoted = {
    ...meta,
    name: best.slug,
    experiment: best.title,
    run: path.basename(runDir),
    seed,
    quick,
    metrics: { valF1: best.valF1, trainF1: best.trainF1, valLoss: best.valLoss, trainLoss: best.trainLoss, epochs: best.epochs },
  };
  fs.writeFileSync(metaFile, JSON.stringify(promoted, null, 2) + '\n');
  const metrics = path.join(runDir, best.slug, 'metrics.json');
  if (fs.existsSync(metrics)) fs.copyFileSync(metrics, path.join(tmp, 'metrics.json'));
  const old = `${target}.old-${process.pid}`;
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.renameSync(tmp, target);
  fs.rmSync(old, { recursive: true, force: true });
  return best;
}

/**
 * The finished models of a run: results.json when the run is complete, else each model folder's
 * metrics.json (so the spectrogram models of a run still training a raw model can be promoted).
 */
function finishedModels(runDir: string): { results: ExperimentResult[]; seed: number | null; quick: boolean } {
  const readJson = (file: string) => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message}`);
    }
  };
  const resultsFile = path.join(runDir, 'results.json');
  if (fs.existsSync(resultsFile)) return readJson(resultsFile);
  const run = readJson(path.join(runDir, 'run.json')) as { seed: number; quick: boolean };
  const results = EXPERIMENTS
    .map((e) => path.join(runDir, e.slug, 'metrics.json'))
    .filter((f) => fs.existsSync(f))
    .map((f) => readJson(f) as ExperimentResult);
  return { results, seed: run.seed, quick: run.quick };
}

/** `digits promote --run DIR [--out models/default]`. */
export function registerPromoteCommand(program: Command): void {
  program
    .command('promote')
    .description('Copy the best spectrogram model of a finished run to models/default (used by predict and live).')
    .requiredOption('--run <dir>', 'run folder, e.g. runs/20261124-140416')
    .option('--out <dir>', 'destination folder', DEFAULT_MODEL_DIR)
    .action((opts: { run: string; out: string }) => {
      const best = promoteBestModel(opts.run, opts.out);
      process.stdout.write(`${opts.out}: ${best.slug} (val F1 ${best.valF1.toFixed(4)}) from ${opts.run}\n`);
    });
}
