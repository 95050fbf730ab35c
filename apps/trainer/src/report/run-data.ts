import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { EXPERIMENTS, type Experiment } from '../experiments';
import {
  MetricsFileSchema,
  NotebookRunSchema,
  ResultsFileSchema,
  readProtocolFile,
  readRunFile,
  type MetricsFile,
  type ModelTimings,
  type NotebookRun,
  type ProtocolFile,
  type ResultsFile,
} from '../run-files';

export type { EpochRecord, MetricsFile, ModelTimings, ResultsFile } from '../run-files';

/** One experiment of the run: its definition and whatever of it is on disk. */
export interface ModelEntry {
  experiment: Experiment;
  dir: string;
  /** metrics.json, or null when the model has not finished (or was not asked for). */
  metrics: MetricsFile | null;
  /** The saved model folder, when its model.json exists. */
  modelDir: string | null;
  timings: ModelTimings | null;
}

/** Everything the report reads from a run folder besides the audio and the saved networks. */
export interface RunData {
  dir: string;
  id: string;
  spec: NotebookRun;
  /** results.json, or null for a run that has not finished. */
  results: ResultsFile | null;
  /** The four experiments in order; those the run did not ask for are absent. */
  models: ModelEntry[];
  /** Human-readable notes on what is missing (shown in the report). */
  missing: string[];
  /** `digits eval-protocol --run` results in protocols/model<N>.json, by experiment. */
  protocols: ProtocolFile[];
}

/**
 * Reads a run folder written by `digits train`. run.json is required; results.json and each model's
 * metrics.json may be missing (an unfinished run), which is recorded in `missing` rather than thrown,
 * so a partial run still gets a report. Malformed files throw an error naming the file.
 */
export function readRunData(runDir: string): RunData {
  const dir = path.resolve(runDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`report: no run folder at ${dir} (expected a folder written by \`digits train\`, e.g. runs/<id>)`);
  }
  const spec = readJsonFile(NotebookRunSchema, path.join(dir, 'run.json'), true)!;
  const results = readJsonFile(ResultsFileSchema, path.join(dir, 'results.json'), false);
  const missing: string[] = [];
  if (!results) missing.push(`results.json (the run has not finished; timings are partial)`);

  const models: ModelEntry[] = [];
  for (const experiment of EXPERIMENTS.filter((e) => spec.experiments.includes(e.id))) {
    const modelRoot = path.join(dir, experiment.slug);
    const metricsFile = path.join(modelRoot, 'metrics.json');
    const metrics = readJsonFile(MetricsFileSchema, metricsFile, false);
    if (!metrics)
      missing.push(`${experiment.slug}/metrics.json (model ${experiment.id}, ${experiment.title}, has not finished)`);
    const modelDir = path.join(modelRoot, 'model');
    const hasModel = existsSync(path.join(modelDir, 'model.json'));
    if (metrics && !hasModel)
      missing.push(`${experiment.slug}/model/model.json (no saved network: no diagram or summary)`);
    models.push({
      experiment,
      dir: modelRoot,
      metrics,
      modelDir: hasModel ? modelDir : null,
      timings: results?.timings?.[experiment.slug] ?? null,
    });
  }
  const protocolDir = path.join(dir, 'protocols');
  const protocols = existsSync(protocolDir)
    ? readdirSync(protocolDir)
        .filter((f) => /^model\d\.json$/.test(f))
        .sort()
        .map((f) => readProtocolFile(path.join(protocolDir, f))!)
    : [];
  return { dir, id: path.basename(dir), spec, results, models, missing, protocols };
}

function readJsonFile<S extends z.ZodTypeAny>(schema: S, file: string, required: boolean): z.output<S> | null {
  if (required && !existsSync(file))
    throw new Error(`report: ${file} is missing (is ${path.dirname(file)} a run folder written by \`digits train\`?)`);
  try {
    return readRunFile(schema, file) ?? null;
  } catch (err) {
    throw new Error(`report: ${(err as Error).message}`);
  }
}
