import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { DEFAULT_MODEL_DIR, DEFAULT_MODEL_DIR_LABEL, ModelMetaSchema, writeFolderAtomic } from '@digits/model';
import { EXPERIMENTS } from './experiments';
import {
  ExperimentResultSchema,
  NotebookRunSchema,
  readRunFile,
  ResultsFileSchema,
  type ExperimentResult,
} from './run-files';

/**
 * Copies the best spectrogram model of a finished run (highest val F1; the live recognizer takes
 * log-mels, so raw-audio models are not candidates) to `outDir` with its metrics, adding to meta.json
 * the name, run and figures the dashboard shows. The folder is swapped in by rename.
 */
export function promoteBestModel(runDir: string, outDir = DEFAULT_MODEL_DIR): ExperimentResult {
  const { results, seed, quick } = finishedModels(runDir);
  const candidates = results.filter((r) => EXPERIMENTS.find((e) => e.id === r.id)?.input === 'logmel');
  if (candidates.length === 0)
    throw new Error(`${runDir}: no finished spectrogram model (experiment 2 or 4) in this run`);
  const best = candidates.reduce((a, b) => (b.valF1 > a.valF1 ? b : a));
  const src = path.join(runDir, best.slug, 'model');
  if (!fs.existsSync(path.join(src, 'model.json'))) throw new Error(`${src}: no saved model (model.json missing)`);

  installModel(
    src,
    outDir,
    {
      name: best.slug,
      experiment: best.title,
      run: path.basename(runDir),
      seed,
      quick,
      metrics: {
        valF1: best.valF1,
        trainF1: best.trainF1,
        valLoss: best.valLoss,
        trainLoss: best.trainLoss,
        epochs: best.epochs,
      },
    },
    path.join(runDir, best.slug, 'metrics.json'),
  );
  return best;
}

/**
 * Copies any saved model folder (e.g. model 5's from `digits train5`) to `outDir`, recording where it
 * came from in meta.json; its metrics.json beside the folder, if any, comes along.
 * @throws when `src` holds no model.json
 */
export function promoteModelDir(src: string, outDir = DEFAULT_MODEL_DIR): { name: string } {
  if (!fs.existsSync(path.join(src, 'model.json')))
    throw new Error(`--model ${src}: no saved model (model.json missing)`);
  const meta = readRunFile(ModelMetaSchema, path.join(src, 'meta.json')) ?? {};
  const name = String(meta.slug ?? meta.name ?? path.basename(path.resolve(src)));
  installModel(
    src,
    outDir,
    { name, promotedFrom: path.relative(process.cwd(), path.resolve(src)) },
    path.join(src, '..', 'metrics.json'),
  );
  return { name };
}

/** Writes `src`'s files (a model folder is flat) to `outDir` with meta.json patched and metrics.json added, swapped in atomically. */
function installModel(src: string, outDir: string, metaPatch: Record<string, unknown>, metricsFile: string): void {
  const files: Record<string, Uint8Array | string> = {};
  for (const e of fs.readdirSync(src, { withFileTypes: true }))
    if (e.isFile()) files[e.name] = fs.readFileSync(path.join(src, e.name));
  const meta = readRunFile(ModelMetaSchema, path.join(src, 'meta.json')) ?? {};
  files['meta.json'] = JSON.stringify({ ...meta, ...metaPatch }, null, 2) + '\n';
  if (fs.existsSync(metricsFile)) files['metrics.json'] = fs.readFileSync(metricsFile);
  writeFolderAtomic(outDir, files);
}

/**
 * The finished models of a run: results.json when the run is complete, else each model folder's
 * metrics.json (so the spectrogram models of a run still training a raw model can be promoted).
 */
function finishedModels(runDir: string): { results: ExperimentResult[]; seed: number | null; quick: boolean } {
  const results = readRunFile(ResultsFileSchema, path.join(runDir, 'results.json'));
  if (results) return results;
  const runFile = path.join(runDir, 'run.json');
  const run = readRunFile(NotebookRunSchema, runFile);
  if (!run) throw new Error(`${runFile}: not found`);
  const finished = EXPERIMENTS.map((e) =>
    readRunFile(ExperimentResultSchema, path.join(runDir, e.slug, 'metrics.json')),
  ).filter((r): r is ExperimentResult => r !== undefined);
  return { results: finished, seed: run.seed, quick: run.quick };
}

/** `digits promote --run DIR [--out models/default]`. */
export function registerPromoteCommand(program: Command): void {
  program
    .command('promote')
    .description(
      'Copy the best spectrogram model of a finished run, or a given model folder, to models/default (used by predict and live).',
    )
    .option('--run <dir>', 'run folder, e.g. runs/20261124-140416: its spectrogram model with the best val F1')
    .option('--model <dir>', 'a saved model folder instead, e.g. runs/<id>/model5/model from `digits train5`')
    .addOption(
      new Option('--out <dir>', 'destination folder').default(
        DEFAULT_MODEL_DIR,
        JSON.stringify(DEFAULT_MODEL_DIR_LABEL),
      ),
    )
    .action((opts: { run?: string; model?: string; out: string }) => {
      if (!opts.run === !opts.model) throw new Error('promote: give exactly one of --run <dir> or --model <dir>');
      if (opts.model) {
        const { name } = promoteModelDir(opts.model, opts.out);
        process.stdout.write(`${opts.out}: ${name} from ${opts.model}\n`);
        return;
      }
      const best = promoteBestModel(opts.run!, opts.out);
      process.stdout.write(`${opts.out}: ${best.slug} (val F1 ${best.valF1.toFixed(4)}) from ${opts.run!}\n`);
    });
}
