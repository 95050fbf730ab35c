import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FeatureConfig } from '@digits/features';
import { EXPERIMENTS, type Experiment } from '../experiments';
import type { ExperimentResult } from '../results-table';
import type { ClassificationReport } from '../classification-report';
import type { EpochRecord } from '../train-experiment';
import { readProtocolFile, type ProtocolFile } from '../protocols/protocol-file';
import { readJsonIfExists } from '../json-file';

/** One epoch as metrics.json and epochs.jsonl record it (the trainer's own type). */
export type { EpochRecord } from '../train-experiment';

/** run.json: what `digits train` was asked to do. */
export interface RunSpecFile {
  experiments: number[];
  seed: number;
  quick: boolean;
  data: string;
  featureConfig: FeatureConfig;
  split: { train: string[]; test: string[] };
  startedAt?: string;
  backend?: string;
}

/** Per-model timings in results.json. */
export interface ModelTimings {
  featuresSeconds: number;
  trainSeconds: number;
  cachedClips: number;
  clips: number;
}

/** results.json, written when a run finishes. */
export interface ResultsFile {
  runId: string;
  backend: string;
  seed: number;
  quick: boolean;
  totalSeconds: number;
  /** Experiments trained side by side (absent in runs made before --jobs). */
  jobs?: number;
  /** Peak memory, MiB; with lanes the sum of each process's peak. */
  peakRssMiB?: number;
  timings: Record<string, ModelTimings>;
  results: ExperimentResult[];
}

/** A model's metrics.json. */
export interface MetricsFile extends ExperimentResult {
  history: EpochRecord[];
  test: ClassificationReport;
  testPredicted?: number[];
}

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
  spec: RunSpecFile;
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
  const spec = readJsonFile<RunSpecFile>(path.join(dir, 'run.json'), true)!;
  checkSpec(spec, path.join(dir, 'run.json'));
  const results = readJsonFile<ResultsFile>(path.join(dir, 'results.json'), false);
  const missing: string[] = [];
  if (!results) missing.push(`results.json (the run has not finished; timings are partial)`);

  const models: ModelEntry[] = [];
  for (const experiment of EXPERIMENTS.filter((e) => spec.experiments.includes(e.id))) {
    const modelRoot = path.join(dir, experiment.slug);
    const metricsFile = path.join(modelRoot, 'metrics.json');
    const metrics = readJsonFile<MetricsFile>(metricsFile, false);
    if (metrics) checkMetrics(metrics, metricsFile);
    else missing.push(`${experiment.slug}/metrics.json (model ${experiment.id}, ${experiment.title}, has not finished)`);
    const modelDir = path.join(modelRoot, 'model');
    const hasModel = existsSync(path.join(modelDir, 'model.json'));
    if (metrics && !hasModel) missing.push(`${experiment.slug}/model/model.json (no saved network: no diagram or summary)`);
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
    ? readdirSync(protocolDir).filter((f) => /^model\d\.json$/.test(f)).sort()
      .map((f) => readProtocolFile(path.join(protocolDir, f))!)
    : [];
  return { dir, id: path.basename(dir), spec, results, models, missing, protocols };
}

function readJsonFile<T>(file: string, required: boolean): T | null {
  if (required && !existsSync(file)) throw new Error(`report: ${file} is missing (is ${path.dirname(file)} a run folder written by \`digits train\`?)`);
  try {
    return readJsonIfExists<T>(file) ?? null;
  } catch (err) {
    throw new Error(`report: ${(err as Error).message}`);
  }
}

function checkSpec(spec: RunSpecFile, file: string): void {
  const bad = (what: string) => new Error(`report: ${file}: ${what}`);
  if (typeof spec !== 'object' || spec === null) throw bad('expected a JSON object');
  if (!Array.isArray(spec.experiments)) throw bad('"experiments" must be a list of experiment ids (1-4)');
  if (!spec.split || !Array.isArray(spec.split.train) || !Array.isArray(spec.split.test)) {
    throw bad('"split" must hold "train" and "test" lists of clip names');
  }
  if (!spec.featureConfig || typeof spec.featureConfig !== 'object') throw bad('"featureConfig" is missing');
}

function checkMetrics(m: MetricsFile, file: string): void {
  const bad = (what: string) => new Error(`report: ${file}: ${what}`);
  if (!Array.isArray(m.history)) throw bad('"history" must be a list of epochs');
  if (!m.test || !Array.isArray(m.test.confusion)) throw bad('"test.confusion" must be a 10x10 matrix');
  for (const k of ['trainLoss', 'valLoss', 'trainF1', 'valF1'] as const) {
    if (typeof m[k] !== 'number') throw bad(`"${k}" must be a number`);
  }
}
