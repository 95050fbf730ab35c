import { Option, type Command } from 'commander';
import { readDataset, resolveDataSource, stratifiedSplit, type Clip } from '@digits/dataset';
import { DEFAULT_FEATURE_CONFIG, defaultCacheDir } from '@digits/features';
import { DEFAULT_MODEL_DIR, DEFAULT_MODEL_DIR_LABEL, initBackend, stopLstmThreads } from '@digits/model';
import { selectExperiments, EXPERIMENTS, type Experiment } from './experiments';
import { prepareExperimentData } from './experiment-data';
import { RunFolder } from './run-folder';
import { formatResultsTable } from './results-table';
import {
  ExperimentResultSchema,
  NotebookRunSchema,
  type ExperimentResult,
  type NotebookRun,
  type ResultsFile,
} from './run-files';
import { trainExperiment } from './train-experiment';
import { dataOption, parsePositiveInt, seedOption } from './cli-args';
import { quickSubset } from './quick-subset';
import { promoteBestModel } from './promote';
import { buildReport } from './report';
import { whileBuilding } from './report/report-command';
import { runInLanes, type LaneTimings } from './lanes';
import { inLane, tellParent } from './progress';

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
  jobs: number;
  only?: number;
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description(
      "Reproduce the notebook's LSTM experiments: 1 raw, 2 spectrogram, 3 raw + augmentation, 4 spectrogram + augmentation.",
    )
    .option('-e, --experiment <which>', '1, 2, 3, 4, a list such as 2,4, or all', 'all')
    .addOption(dataOption())
    .option('--out <dir>', 'folder of run folders', 'runs')
    .addOption(seedOption('seed of the train/test split, shuffling and initial weights'))
    .option('--resume [run]', 'continue an interrupted run (default: the newest in --out) from its last finished epoch')
    .option('--quick', 'a small stratified subset and one epoch per model: every code path in a few minutes')
    .option('--cache-dir <dir>', 'feature cache folder (default: $DIGITS_CACHE or ./.cache/features)')
    .option('--no-cache', 'neither read nor write the feature cache')
    .option('--threads <n>', 'worker threads for featurisation (default: one per core)', parsePositiveInt('--threads'))
    .option(
      '--promote [dir]',
      `at the end, copy the best spectrogram model to dir (default ${DEFAULT_MODEL_DIR_LABEL})`,
    )
    .option(
      '-j, --jobs <n>',
      'experiments trained at the same time, each in its own process (for machines with cores to spare)',
      parsePositiveInt('--jobs'),
      1,
    )
    .addOption(
      new Option('--only <id>', 'train only this experiment of the run given to --resume (a lane of --jobs)')
        .argParser(parsePositiveInt('--only'))
        .hideHelp(),
    )
    .addHelpText(
      'after',
      `
Writes runs/<timestamp>/ with run.json, per model <slug>/{model/, metrics.json, epochs.jsonl, tensorboard/},
and results.json; prints the comparison table with the notebook's figures. Ctrl-C is safe: every finished
epoch is checkpointed, and --resume continues from there. --jobs 2 trains two experiments side by side
in their own processes, each exactly as it would alone (same data and seeds; losses agree with --jobs 1
to float rounding). It pays only with cores to spare: on a 2-core machine the lanes slowed each other
about twofold, so one after another is the default.

Examples:
  npx digits train --experiment all          # the full reproduction (npx nx run trainer:all)
  npx digits train --experiment 2 --seed 7   # one model, another split
  npx digits train --resume                  # continue the newest run`,
    )
    .action(async (opts: TrainOptions) => {
      await runTrain(opts);
    });
}

/**
 * The order experiments start in when they train side by side: #3 first, as it fills the feature cache
 * with the augmented log-mels #4 reads; then the longest first, so the lanes finish together (training
 * seconds of the full run on 2 cores: #4 651, #3 364, #2 208, #1 50).
 */
const LANE_ORDER = [3, 4, 2, 1];

async function runTrain(opts: TrainOptions): Promise<void> {
  const log = (line: string) => process.stdout.write(line + '\n');
  const tStart = performance.now();
  const lane = opts.only !== undefined;
  if (lane && !opts.resume)
    throw new Error('--only: needs --resume <run> (it trains one experiment of an existing run)');

  let run: RunFolder;
  let spec: NotebookRun;
  let clips: Clip[];
  if (opts.resume) {
    run = RunFolder.find(opts.out, typeof opts.resume === 'string' ? opts.resume : undefined);
    spec = run.read(NotebookRunSchema, 'run.json')!;
    if (!lane)
      log(
        `resuming run ${run.dir} (experiments ${spec.experiments.join(', ')}, seed ${spec.seed}${spec.quick ? ', quick' : ''})`,
      );
    const source = await resolveDataSource({ flag: opts.data ?? spec.data });
    clips = (await readDataset(source)).clips;
  } else {
    const experiments = selectExperiments(opts.experiment);
    const source = await resolveDataSource({ flag: opts.data });
    const dataset = await readDataset(source);
    for (const s of dataset.skipped) log(`data: skipped ${s.name}: ${s.reason}`);
    clips = opts.quick ? quickSubset(dataset.clips, opts.seed) : dataset.clips;
    const split = stratifiedSplit(clips, { seed: opts.seed });
    if (split.test.length === 0 || split.train.length === 0) {
      // An empty side would train on NaN losses (the validation loss and F1 of no clips) and promote nonsense.
      throw new Error(
        `--data ${source.path}: ${clips.length} usable clip${clips.length === 1 ? '' : 's'} split into ` +
          `${split.train.length} train / ${split.test.length} test; training needs at least one clip on each side ` +
          '(the test side is a fifth of the clips, per digit): give a source with more recordings',
      );
    }
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
    log(
      `data: ${dataset.clips.length} clips from ${source.description}${opts.quick ? `; --quick: ${clips.length} of them` : ''}`,
    );
    log(`split: ${split.train.length} train / ${split.test.length} test (stratified, seed ${opts.seed})`);
    log(`run folder: ${run.dir}`);
  }

  const backend = await initBackend({ log: lane ? () => {} : log });
  if (!lane) {
    spec.backend = backend.name;
    run.writeJson(spec, 'run.json');
  }

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
  const experiments = spec.experiments.map((id) => EXPERIMENTS.find((e) => e.id === id) as Experiment);

  /** Featurises and trains one experiment in this process. */
  const trainHere = async (exp: Experiment): Promise<LaneTimings> => {
    const data = await prepareExperimentData(exp, split, {
      config: spec.featureConfig,
      cacheDir,
      threads: opts.threads,
      log,
    });
    tellParent({ kind: 'features-done' });
    const result = await trainExperiment(exp, data, {
      run,
      seed: spec.seed,
      maxEpochs: spec.quick ? 1 : exp.maxEpochs,
      featureConfig: spec.featureConfig,
      log,
    });
    return {
      featuresSeconds: data.seconds,
      trainSeconds: result.seconds,
      cachedClips: data.cached,
      clips: data.clips,
      peakRssMiB: peakRssMiB(),
    };
  };

  if (lane) {
    const exp = experiments.find((e) => e.id === opts.only);
    if (!exp)
      throw new Error(
        `--only: experiment ${opts.only} is not part of run ${run.id} (it has ${spec.experiments.join(', ')})`,
      );
    await withInterruptHint(run, async () => {
      tellParent({ kind: 'timings', timings: await trainHere(exp) });
    });
    await stopLstmThreads();
    return;
  }

  const timings: Record<string, LaneTimings> = {};
  const pending: Experiment[] = [];
  for (const exp of experiments) {
    const done = run.read(ExperimentResultSchema, exp.slug, 'metrics.json');
    if (done) log(`\n#${exp.id} ${exp.title}: finished earlier (val F1 ${done.valF1.toFixed(4)})`);
    else pending.push(exp);
  }
  const jobs = Math.min(opts.jobs, pending.length);
  if (jobs > 1) {
    const queue = [...pending].sort((a, b) => LANE_ORDER.indexOf(a.id) - LANE_ORDER.indexOf(b.id));
    log(
      `\ntraining ${queue.map((e) => `#${e.id}`).join(', ')} in ${jobs} lanes (--jobs ${opts.jobs}); lines start with the experiment's number`,
    );
    const outcome = await runInLanes(queue, { jobs, argsFor: (exp) => laneArgs(run, exp, opts), log });
    Object.assign(timings, outcome.timings);
    if (outcome.interrupted) exitInterrupted(run);
    if (outcome.failed.length > 0) {
      const which = outcome.failed.map((f) => `#${f.exp.id} (${f.reason})`).join('; ');
      throw new Error(
        `training failed for ${which}; the other experiments are saved; continue with  npx digits train --resume ${run.id}`,
      );
    }
  } else {
    await withInterruptHint(run, async () => {
      for (const exp of pending) {
        log(`\n#${exp.id} ${exp.title}`);
        timings[exp.slug] = await trainHere(exp);
      }
    });
  }

  const results = experiments.map((exp) => resultOf(run, exp)).sort((a, b) => a.id - b.id);
  const totalSeconds = (performance.now() - tStart) / 1000;
  // With lanes, the sum of every process's own peak: an upper bound of the run's peak memory.
  const peakMiB = peakRssMiB() + (jobs > 1 ? Object.values(timings).reduce((sum, t) => sum + t.peakRssMiB, 0) : 0);
  const resultsFile: ResultsFile = {
    runId: run.id,
    backend: backend.name,
    seed: spec.seed,
    quick: spec.quick,
    jobs,
    totalSeconds,
    peakRssMiB: peakMiB,
    timings,
    results,
  };
  run.writeJson(resultsFile, 'results.json');
  log('');
  log(formatResultsTable(results, EXPERIMENTS));
  log(
    `total ${formatDuration(totalSeconds)} (this invocation), peak memory ${peakMiB} MiB` +
      `${jobs > 1 ? ' (this process and its lanes, each at its own peak, summed)' : ''}; results in ${run.path('results.json')}`,
  );
  try {
    await whileBuilding(run.dir, () => buildReport(run.dir, { data: spec.data, log })); // logs where the report is
  } catch (err) {
    // The models and results are saved; a failed report must not turn the run into a failure.
    log(`report: not built (${(err as Error).message}); retry with  npx digits report --run ${run.id}`);
  }
  if (opts.promote) {
    const out = typeof opts.promote === 'string' ? opts.promote : DEFAULT_MODEL_DIR;
    const best = promoteBestModel(run.dir, out);
    log(`promoted ${best.slug} (val F1 ${best.valF1.toFixed(4)}) to ${out}`);
  }
  await stopLstmThreads();
}

/** Runs `work`; Ctrl-C or SIGTERM meanwhile exits 130 with the command that resumes (epochs are checkpointed). */
async function withInterruptHint(run: RunFolder, work: () => Promise<void>): Promise<void> {
  const stop = () => exitInterrupted(run);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await work();
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}

/** Exits 130 (interrupted); outside a lane, says how to continue (finished epochs are checkpointed). */
function exitInterrupted(run: RunFolder): never {
  if (!inLane())
    process.stderr.write(
      `\ninterrupted: finished epochs are saved; continue with  npx digits train --resume ${run.id}\n`,
    );
  process.exit(130);
}

function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** 1234.5 -> "20 min 34.5 s". */
function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m} min ${(seconds - 60 * m).toFixed(1)} s` : `${seconds.toFixed(1)} s`;
}

/** The `digits train` arguments of a lane: this run, one experiment, the same data and cache options. */
function laneArgs(run: RunFolder, exp: Experiment, opts: TrainOptions): string[] {
  return [
    'train',
    '--resume',
    run.dir,
    '--only',
    String(exp.id),
    ...(opts.data ? ['--data', opts.data] : []),
    ...(opts.cache ? (opts.cacheDir ? ['--cache-dir', opts.cacheDir] : []) : ['--no-cache']),
    ...(opts.threads ? ['--threads', String(opts.threads)] : []),
  ];
}

/** An experiment's result as saved in its metrics.json (without the epoch history and test details). */
function resultOf(run: RunFolder, exp: Experiment): ExperimentResult {
  const m = run.read(ExperimentResultSchema, exp.slug, 'metrics.json');
  if (!m) throw new Error(`${run.path(exp.slug, 'metrics.json')}: not found although #${exp.id} finished`);
  const { id, slug, title, trainLoss, valLoss, trainF1, valF1, epochs, seconds, stoppedEarly } = m;
  return { id, slug, title, trainLoss, valLoss, trainF1, valF1, epochs, seconds, stoppedEarly };
}
