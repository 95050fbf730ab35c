import type { Command } from 'commander';
import { readDataset, resolveDataSource, stratifiedSplit, type Clip } from '@digits/dataset';
import { DEFAULT_FEATURE_CONFIG, defaultCacheDir, type FeatureConfig } from '@digits/features';
import { initBackend, stopLstmThreads } from '@digits/model';
import { selectExperiments, EXPERIMENTS, type Experiment } from './experiments';
import { prepareExperimentData } from './experiment-data';
import { RunFolder } from './run-folder';
import { formatResultsTable, type ExperimentResult } from './results-table';
import { trainExperiment } from './train-experiment';
import { parseNonNegativeInt, parsePositiveInt } from './cli-args';
import { quickSubset } from './quick-subset';
import { DEFAULT_MODEL_DIR, promoteBestModel } from './promote';
import { buildReport } from './report';

interface TrainOptions {
  experiment: string;
  data?: string;
  out: string;
  seed: number;
  resume?: string | boolean;
  quick?: boolean;
  cache: boolean;
  cacheDir?: string;
  threads?: number;
  promote?: string | boolean;
}

/** What a run was asked to do, saved as run.json so `--resume` continues exactly that. */
interface RunSpec {
  experiments: number[];
  seed: number;
  quick: boolean;
  data: string;
  featureConfig: FeatureConfig;
  split: { train: string[]; test: string[] };
  startedAt: string;
  backend?: string;
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description("Reproduce the notebook's LSTM experiments: 1 raw, 2 spectrogram, 3 raw + augmentation, 4 spectrogram + augmentation.")
    .option('-e, --experiment <which>', '1, 2, 3, 4, a list such as 2,4, or all', 'all')
    .option('--data <folder|zip>', 'FSDD recordings (default: $FSDD_DATA, ./data/recordings(.zip), else download)')
    .option('--out <dir>', 'folder of run folders', 'runs')
    .option('--seed <n>', 'seed of the train/test split, shuffling and initial weights', parseNonNegativeInt('--seed'), 33)
    .option('--resume [run]', 'continue an interrupted run (default: the newest in --out) from its last finished epoch')
    .option('--quick', 'a small stratified subset and one epoch per model: every code path in a few minutes')
    .option('--cache-dir <dir>', 'feature cache folder (default: $DIGITS_CACHE or ./.cache/features)')
    .option('--no-cache', 'neither read nor write the feature cache')
    .option('--threads <n>', 'worker threads for featurisation (default: one per core)', parsePositiveInt('--threads'))
    .option('--promote [dir]', `at the end, copy the best spectrogram model to dir (default ${DEFAULT_MODEL_DIR})`)
    .addHelpText('after', `
Writes runs/<timestamp>/ with run.json, per model <slug>/{model/, metrics.json, epochs.jsonl, tensorboard/},
and results.json; prints the comparison table with the notebook's figures. Ctrl-C is safe: every finished
epoch is checkpointed, and --resume continues from there.

Examples:
  npx digits train --experiment all          # the full reproduction (npx nx run trainer:all)
  npx digits train --experiment 2 --seed 7   # one model, another split
  npx digits train --resume                  # continue the newest run`)
    .action(async (opts: TrainOptions) => {
      await runTrain(opts);
    });
}

async function runTrain(opts: TrainOptions): Promise<void> {
  const log = (line: string) => process.stdout.write(line + '\n');
  const tStart = performance.now();

  let run: RunFolder;
  let spec: RunSpec;
  let clips: Clip[];
  if (opts.resume) {
    run = RunFolder.find(opts.out, typeof opts.resume === 'string' ? opts.resume : undefined);
    spec = run.readJson<RunSpec>('run.json')!;
    log(`resuming run ${run.dir} (experiments ${spec.experiments.join(', ')}, seed ${spec.seed}${spec.quick ? ', quick' : ''})`);
    const source = await resolveDataSource({ flag: opts.data ?? spec.data });
    clips = (await readDataset(source)).clips;
  } else {
    const experiments = selectExperiments(opts.experiment);
    const source = await resolveDataSource({ flag: opts.data });
    const dataset = await readDataset(source);
    for (const s of dataset.skipped) log(`data: skipped ${s.name}: ${s.reason}`);
    clips = opts.quick ? quickSubset(dataset.clips, opts.seed) : dataset.clips;
    const split = stratifiedSplit(clips, { seed: opts.seed });
    run = RunFolder.create(opts.out);
    spec = {
      experiments: experiments.map((e) => e.id),
      seed: opts.seed,
      quick: !!opts.quick,
      data: source.path,
      featureConfig: { ...DEFAULT_FEATURE_CONFIG },
      split: { train: split.train.map((c) => c.name), test: split.test.map((c) => c.name) },
      startedAt: new Date().toISOString(),
    };
    log(`data: ${dataset.clips.length} clips from ${source.description}${opts.quick ? `; --quick: ${clips.length} of them` : ''}`);
    log(`split: ${split.train.length} train / ${split.test.length} test (stratified, seed ${opts.seed})`);
    log(`run folder: ${run.dir}`);
  }

  const backend = await initBackend({ log });
  spec.backend = backend.name;
  run.writeJson(spec, 'run.json');

  // The split is stored by file name, so a resumed run trains on exactly the same clips.
  const byName = new Map(clips.map((c) => [c.name, c]));
  const pick = (names: string[]) =>
    names.map((n) => {
      const c = byName.get(n);
      if (!c) throw new Error(`${run.path('run.json')}: clip ${n} of the saved split is not in the data`);
      return c;
    });
  const split = { train: pick(spec.split.train), test: pick(spec.split.test) };
  const cacheDir = opts.cache ? (opts.cacheDir ?? defaultCacheDir()) : null;

  const results: ExperimentResult[] = [];
  const timings: Record<string, { featuresSeconds: number; trainSeconds: number; cachedClips: number; clips: number }> = {};
  const stopOnSignal = () => {
    process.stderr.write(`\ninterrupted: finished epochs are saved; continue with  npx digits train --resume ${run.id}\n`);
    process.exit(130);
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  for (const exp of spec.experiments.map((id) => EXPERIMENTS.find((e) => e.id === id) as Experiment)) {
    const done = run.readJson<ExperimentResult>(exp.slug, 'metrics.json');
    if (done) {
      log(`\n#${exp.id} ${exp.title}: finished earlier (val F1 ${done.valF1.toFixed(4)})`);
      results.push(done);
      continue;
    }
    log(`\n#${exp.id} ${exp.title}`);
    const data = await prepareExperimentData(exp, split, { config: spec.featureConfig, cacheDir, threads: opts.threads, log });
    const result = await trainExperiment(exp, data, {
      run,
      seed: spec.seed,
      maxEpochs: spec.quick ? 1 : exp.maxEpochs,
      featureConfig: spec.featureConfig,
      log,
    });
    timings[exp.slug] = { featuresSeconds: data.seconds, trainSeconds: result.seconds, cachedClips: data.cached, clips: data.clips };
    results.push(result);
  }

  results.sort((a, b) => a.id - b.id);
  const totalSeconds = (performance.now() - tStart) / 1000;
  run.writeJson({ runId: run.id, backend: backend.name, seed: spec.seed, quick: spec.quick, totalSeconds, timings, results }, 'results.json');
  log('');
  log(formatResultsTable(results, EXPERIMENTS));
  log(`total ${totalSeconds.toFixed(1)} s (this invocation); results in ${run.path('results.json')}`);
  try {
    const report = await buildReport(run.dir, { data: spec.data, log });
    log(`report: ${report.file} (${report.seconds.toFixed(1)} s)`);
  } catch (err) {
    // The models and results are saved; a failed report must not turn the run into a failure.
    log(`report: not built (${(err as Error).message}); retry with  npx digits report --run ${run.id}`);
  }
  if (opts.promote) {
    const out = typeof opts.promote === 'string' ? opts.promote : DEFAULT_MODEL_DIR;
    const best = promoteBestModel(run.dir, out);
    log(`promoted ${best.slug} (val F1 ${best.valF1.toFixed(4)}) to ${out}`);
  }
  process.removeListener('SIGINT', stopOnSignal);
  process.removeListener('SIGTERM', stopOnSignal);
  await stopLstmThreads();
}
