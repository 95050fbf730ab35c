import { InvalidArgumentError, type Command } from 'commander';
import Table from 'cli-table3';
import { SingleBar } from 'cli-progress';
import { dataOption } from './cli-args';
import {
  ANALYSIS_SAMPLE_RATE,
  DEFAULT_SPLIT_SEED,
  DEFAULT_TEST_FRACTION,
  durationStatistics,
  NOTEBOOK_SPEAKERS,
  PERCENTILES_STEP10,
  PERCENTILES_TOP,
  readDataset,
  resolveDataSource,
  stratifiedSplit,
  type Dataset,
  type DataSourceOrigin,
  type DownloadProgress,
  type DurationStatistics,
  type SkippedEntry,
} from '@digits/dataset';

/** Options of `digits stats`, as parsed. */
export interface StatsOptions {
  /** `--data <folder|zip>`; otherwise FSDD_DATA, ./data/, or a download (see `resolveDataSource`). */
  data?: string;
  /** `--seed <n>`: seed of the stratified train/test split. Default 33 (the notebook's random_state). */
  seed?: number;
  /** `--speakers <names|all>`: comma-separated speakers, or `all`. Default: the notebook's four when the data has more. */
  speakers?: string[] | 'all';
  /** `--json`: print the report as JSON instead of text. */
  json?: boolean;
}

/** Where `digits stats` writes, and what it reads from its surroundings; tests pass their own. */
export interface StatsIo {
  /** Report output. Default process.stdout. */
  stdout: (text: string) => void;
  /** Progress and notes. Default process.stderr. */
  stderr: (text: string) => void;
  /** Environment (FSDD_DATA). Default process.env. */
  env: NodeJS.ProcessEnv;
  /** Working directory (for ./data/). Default process.cwd(). */
  cwd: string;
  /** Whether stderr is a terminal (draws a progress bar for a download). Default process.stderr.isTTY. */
  interactive: boolean;
}

/** The `digits stats` report: the notebook's data exploration. Durations are in seconds at 22,050 Hz. */
export interface StatsReport {
  source: { path: string; origin: DataSourceOrigin };
  clips: number;
  skipped: { count: number; entries: SkippedEntry[] };
  speakers: string[];
  /** Speakers in the data that the speaker filter left out, with their clip counts. */
  excludedSpeakers: { speaker: string; clips: number }[];
  perDigit: Record<string, number>;
  perSpeaker: Record<string, number>;
  /** Clips per speaker and digit: perSpeakerDigit[speaker][digit]. */
  perSpeakerDigit: Record<string, Record<string, number>>;
  split: {
    method: 'stratified';
    seed: number;
    testFraction: number;
    train: number;
    test: number;
    testPerDigit: Record<string, number>;
  };
  durations: { all: DurationStatistics; train: DurationStatistics; test: DurationStatistics };
  /** Why clips are padded or truncated to 0.8 s. */
  padding: {
    seconds: number;
    samples: number;
    sampleRate: number;
    p99: number;
    longerThanPad: number;
    longest: { seconds: number; name: string };
  };
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

function countBy<T>(
  items: readonly T[],
  key: (item: T) => string,
  keys: readonly string[] = [],
): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

/** Builds the report from a dataset: counts, the seeded stratified split, and duration statistics. */
export function buildStatsReport(dataset: Dataset, origin: DataSourceOrigin, seed = DEFAULT_SPLIT_SEED): StatsReport {
  const { clips } = dataset;
  const split = stratifiedSplit(clips, { seed, testFraction: DEFAULT_TEST_FRACTION });
  for (const [name, part] of [
    ['train', split.train],
    ['test', split.test],
  ] as const) {
    if (part.length === 0) {
      throw new Error(
        `${dataset.source}: ${clips.length} ${clips.length === 1 ? 'clip leaves' : 'clips leave'} the ${name} split empty ` +
          `(test fraction ${DEFAULT_TEST_FRACTION}); the statistics need clips in both train and test`,
      );
    }
  }
  const all = durationStatistics(clips);
  const perSpeakerDigit: Record<string, Record<string, number>> = {};
  for (const speaker of dataset.speakers) {
    perSpeakerDigit[speaker] = countBy(
      clips.filter((c) => c.speaker === speaker),
      (c) => String(c.digit),
      DIGITS,
    );
  }
  return {
    source: { path: dataset.source, origin },
    clips: clips.length,
    skipped: { count: dataset.skipped.length, entries: dataset.skipped },
    speakers: dataset.speakers,
    excludedSpeakers: dataset.excludedSpeakers,
    perDigit: countBy(clips, (c) => String(c.digit), DIGITS),
    perSpeaker: countBy(clips, (c) => c.speaker, dataset.speakers),
    perSpeakerDigit,
    split: {
      method: 'stratified',
      seed,
      testFraction: DEFAULT_TEST_FRACTION,
      train: split.train.length,
      test: split.test.length,
      testPerDigit: countBy(split.test, (c) => String(c.digit), DIGITS),
    },
    durations: { all, train: durationStatistics(split.train), test: durationStatistics(split.test) },
    padding: {
      seconds: all.pad.seconds,
      samples: all.pad.samples,
      sampleRate: all.sampleRate,
      p99: all.percentilesTop[99],
      longerThanPad: all.longerThanPad,
      longest: all.max,
    },
  };
}

/** Plain tables: no colour codes, so the output reads the same in a file or a pipe. */
function table(head: string[], aligns: ('left' | 'right')[]): Table.Table {
  return new Table({ head, colAligns: aligns, style: { head: [], border: [], compact: true } });
}

const seconds = (s: number): string => s.toFixed(4);
const thousands = (n: number): string => n.toLocaleString('en-US');

/** How many skipped entries the text lists by name (all of them are in --json). */
const SKIPPED_SHOWN = 10;

/** The report as text, in the notebook's order: the data, the split, the durations, the padding rationale. */
export function formatStatsReport(r: StatsReport): string {
  const lines: string[] = [];
  const originText: Record<DataSourceOrigin, string> = {
    flag: 'from --data',
    env: 'from FSDD_DATA',
    'data-zip': 'found in ./data',
    'data-folder': 'found in ./data',
    download: 'downloaded',
  };
  lines.push(`Free Spoken Digit Dataset: ${r.source.path} (${originText[r.source.origin]})`, '');
  lines.push(
    `Clips: ${thousands(r.clips)} from ${r.speakers.length} speaker${r.speakers.length === 1 ? '' : 's'} (${r.speakers.join(', ')})`,
  );
  if (r.excludedSpeakers.length) {
    const left = r.excludedSpeakers.map((e) => `${e.speaker} (${e.clips} clips)`).join(', ');
    lines.push(
      `Speakers left out: ${left}. The notebook uses ${NOTEBOOK_SPEAKERS.join(', ')}; --speakers all keeps every speaker.`,
    );
  }
  lines.push(`Skipped entries: ${r.skipped.count}`);
  for (const s of r.skipped.entries.slice(0, SKIPPED_SHOWN)) lines.push(`  ${s.name}: ${s.reason}`);
  if (r.skipped.count > SKIPPED_SHOWN)
    lines.push(`  ... and ${r.skipped.count - SKIPPED_SHOWN} more (--json lists them all)`);

  lines.push('', 'Clips per speaker and digit');
  const counts = table(['speaker', ...DIGITS, 'total'], ['left', ...DIGITS.map(() => 'right' as const), 'right']);
  for (const speaker of r.speakers) {
    counts.push([speaker, ...DIGITS.map((d) => r.perSpeakerDigit[speaker][d]), r.perSpeaker[speaker]]);
  }
  counts.push(['total', ...DIGITS.map((d) => r.perDigit[d]), r.clips]);
  lines.push(counts.toString());

  const s = r.split;
  const perDigit = DIGITS.map((d) => s.testPerDigit[d]);
  const testDigits = perDigit.every((n) => n === perDigit[0])
    ? `${perDigit[0]} per digit`
    : DIGITS.map((d) => `${d}: ${s.testPerDigit[d]}`).join(', ');
  lines.push(
    '',
    `Train/test split: stratified by digit, seed ${s.seed}, test fraction ${s.testFraction}: ` +
      `${thousands(s.train)} train / ${thousands(s.test)} test (${testDigits})`,
  );

  const { all, train, test } = r.durations;
  lines.push(
    '',
    `Durations (s) after loading at ${thousands(ANALYSIS_SAMPLE_RATE)} Hz as librosa.load(sr=22050) does; ` +
      'percentiles as np.percentile (linear)',
  );
  for (const [ps, key] of [
    [PERCENTILES_STEP10, 'percentilesStep10'],
    [PERCENTILES_TOP, 'percentilesTop'],
  ] as const) {
    const t = table(['percentile', 'all', 'train', 'test'], ['right', 'right', 'right', 'right']);
    for (const p of ps) t.push([p, seconds(all[key][p]), seconds(train[key][p]), seconds(test[key][p])]);
    lines.push(t.toString());
  }
  const summary = table(['', 'all', 'train', 'test'], ['left', 'right', 'right', 'right']);
  summary.push(['clips', all.count, train.count, test.count]);
  summary.push(['mean', seconds(all.mean), seconds(train.mean), seconds(test.mean)]);
  summary.push(['std', seconds(all.std), seconds(train.std), seconds(test.std)]);
  summary.push(['min', seconds(all.min.seconds), seconds(train.min.seconds), seconds(test.min.seconds)]);
  summary.push(['max', seconds(all.max.seconds), seconds(train.max.seconds), seconds(test.max.seconds)]);
  summary.push([`> ${r.padding.seconds} s`, all.longerThanPad, train.longerThanPad, test.longerThanPad]);
  lines.push(summary.toString());

  lines.push('', 'Durations per speaker');
  const speakers = table(
    ['speaker', 'clips', 'mean (s)', 'max (s)', `> ${r.padding.seconds} s`],
    ['left', 'right', 'right', 'right', 'right'],
  );
  for (const [name, d] of Object.entries(all.perSpeaker))
    speakers.push([name, d.n, seconds(d.mean), seconds(d.max), d.longerThanPad]);
  lines.push(speakers.toString());

  const pad = r.padding;
  const share = ((100 * pad.longerThanPad) / r.clips).toFixed(2);
  const verdict =
    pad.p99 < pad.seconds
      ? `The 99th percentile is ${seconds(pad.p99)} s, just under ${pad.seconds} s`
      : `The 99th percentile is ${seconds(pad.p99)} s, not under ${pad.seconds} s`;
  lines.push(
    '',
    `Fixed length: ${pad.seconds} s = ${thousands(pad.samples)} samples at ${thousands(pad.sampleRate)} Hz. ${verdict}, ` +
      `so every clip is zero-padded or truncated to ${thousands(pad.samples)} samples: ${pad.longerThanPad} of ${thousands(r.clips)} clips ` +
      `(${share}%) are longer and get truncated; the longest is ${pad.longest.name} at ${seconds(pad.longest.seconds)} s.`,
  );
  return `${lines.join('\n')}\n`;
}

/** Download progress on stderr: a bar on a terminal, otherwise one line at the start and one at the end. */
function downloadProgress(io: StatsIo): { onProgress: (p: DownloadProgress) => void; stop: () => void } {
  let started = false;
  let bar: SingleBar | undefined;
  let last: DownloadProgress | undefined;
  return {
    onProgress(p) {
      last = p;
      if (!started) {
        started = true;
        io.stderr(
          'No FSDD data given or found in ./data; downloading it from its GitHub repository into ./data/recordings.zip\n',
        );
        if (io.interactive && p.totalBytes) {
          bar = new SingleBar({ format: 'FSDD {bar} {percentage}% {value}/{total} bytes', stream: process.stderr });
          bar.start(p.totalBytes, 0);
        }
      }
      bar?.update(p.receivedBytes);
    },
    stop() {
      bar?.stop();
      if (last) io.stderr(`Downloaded ${thousands(last.receivedBytes)} bytes\n`);
    },
  };
}

/** Runs `digits stats`: finds and reads the data, builds the report, prints it as text or JSON. */
export async function runStats(options: StatsOptions, io: Partial<StatsIo> = {}): Promise<StatsReport> {
  const full: StatsIo = {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    interactive: Boolean(process.stderr.isTTY),
    ...io,
  };
  const progress = downloadProgress(full);
  const source = await resolveDataSource({
    flag: options.data,
    env: full.env.FSDD_DATA ?? '',
    cwd: full.cwd,
    onProgress: progress.onProgress,
  }).finally(progress.stop);
  const dataset = await readDataset(source.path, { speakers: options.speakers });
  const report = buildStatsReport(dataset, source.origin, options.seed ?? DEFAULT_SPLIT_SEED);
  full.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatsReport(report));
  return report;
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n > 0xffffffff) {
    throw new InvalidArgumentError('expected an integer from 0 to 4294967295');
  }
  return n;
}

function parseSpeakers(value: string): string[] | 'all' {
  if (value.trim() === 'all') return 'all';
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError('expected comma-separated speaker names, or "all"');
  return names;
}

/** Registers `digits stats [--data <folder|zip>] [--seed N] [--speakers <names|all>] [--json]` on `program`. */
export function registerStatsCommand(program: Command, io: Partial<StatsIo> = {}): Command {
  return program
    .command('stats')
    .description(
      'Explore the Free Spoken Digit Dataset as the notebook does: clip counts per digit and speaker, skipped files, ' +
        'the seeded stratified train/test split, duration percentiles (0-100 step 10, 90-100 step 1) at 22,050 Hz ' +
        'for all clips, train and test, and why clips are cut to 0.8 s (17,640 samples).',
    )
    .addOption(
      dataOption(
        'FSDD recordings: a folder of {digit}_{speaker}_{index}.wav files or a .zip of them ' +
          '(default: $FSDD_DATA, else ./data/recordings.zip or ./data/recordings/, else download into ./data/)',
      ),
    )
    .option(
      '--seed <n>',
      `seed of the stratified 80/20 train/test split (default: ${DEFAULT_SPLIT_SEED}, the notebook's random_state)`,
      parseSeed,
    )
    .option(
      '--speakers <names|all>',
      `comma-separated speakers to keep, or "all" (default: ${NOTEBOOK_SPEAKERS.join(', ')} ` +
        'when the data has more, else all)',
      parseSpeakers,
    )
    .option('--json', 'print the report as JSON (same figures, full precision)')
    .addHelpText(
      'after',
      '\nExamples:\n  digits stats --data ../shared/fsdd/recordings.zip\n  digits stats --seed 7 --json > stats.json\n',
    )
    .action(async (opts: StatsOptions) => {
      await runStats(opts, io);
    });
}
