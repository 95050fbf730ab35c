// Digit strings live (issue 16): for each leave-one-speaker-out string model (trained without its speaker,
// meta.json "fold": "loso:<speaker>"), streams made only of that speaker's clips at 16 kHz in 20 dB white noise
// are played through the real `digits live --source stdin --json --exit-at-end --port 0`:
//   groups of 3-4 digits (0-250 ms gaps inside), runs of one digit said 2-4 times, and isolated digits
//   (0.5-1 s apart), the groups and runs being exactly the offline benchmark's strings (heldOutStringSets);
// plus non-digit words and sounds from data/unknowns (group b), for digits inserted per minute.
// The isolated stream also goes through model 6's fold model of the same speaker, for the isolated goal.
//
//   npx nx run live:bench-strings -- --models runs/<id>/strings/model[,...] [--model6 runs/loso6/protocols/model6]
//     [--groups 60] [--repeats 30] [--isolated 100] [--unknown-seconds 120] [--speed 1] [--out results.json]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import Table from 'cli-table3';
import writeFileAtomic from 'write-file-atomic';
import { prepareStringClips, readDataset, resolveDataSource, StringClipPool } from '@digits/dataset';
import { heldOutStringSets, scoreStrings, stringOfSet, stringSetSize } from '@digits/model';
import { STRING_DEFAULTS } from '../src/pipeline/digit-strings';
import { matchPredictions, scoreMatches } from './live-scoring';
import { addNoise, groupedAsOne, layStrings, matchStrings, type TruthString } from './string-scoring';
import { runLivePaced, type PacedRun } from './string-run';
import { isolatedStrings, unknownStream } from './string-streams';
import { pct, quantile, verdict } from './stats';

interface Options {
  models: string;
  model6?: string;
  data?: string;
  unknowns: string;
  groups: number;
  repeats: number;
  isolated: number;
  unknownSeconds: number;
  speed: number;
  hangover: number;
  seed: number;
  out?: string;
}

/** The issue's goals for the live path. */
const GOALS = {
  digitRecall: 0.97,
  digitAccuracy: 0.95,
  groupAccuracy: 0.85,
  repeatCountAccuracy: 0.95,
  latencyOverHangoverMs: 50,
  realTimeFactor: 0.05,
  peakRssMb: 300,
  insertionsPerMinute: 0.5,
};

/** String model folders: each path is a model folder or holds some (one level down, or <id>/strings/model). */
function stringModels(spec: string): { dir: string; speaker: string }[] {
  const found: { dir: string; speaker: string }[] = [];
  const visit = (dir: string, depth: number) => {
    const meta = path.join(dir, 'meta.json');
    if (existsSync(meta)) {
      const m = JSON.parse(readFileSync(meta, 'utf8')) as { input?: string; fold?: string };
      const fold = /^loso:([a-z]+)$/.exec(m.fold ?? '');
      if (m.input === 'embedding-sequence' && fold) found.push({ dir, speaker: fold[1] });
      return;
    }
    if (depth === 0) return;
    for (const name of readdirSync(dir).sort()) {
      const sub = path.join(dir, name);
      if (statSync(sub).isDirectory()) visit(sub, depth - 1);
    }
  };
  for (const p of spec.split(',').map((s) => s.trim())) {
    if (!existsSync(p)) throw new Error(`--models: no folder ${p}`);
    visit(p, 3);
  }
  if (found.length === 0)
    throw new Error(`--models ${spec}: no LOSO digit-string model folders (meta.json "fold": "loso:<speaker>")`);
  return found;
}

interface FoldRow {
  speaker: string;
  groups: ReturnType<typeof scoreStrings>;
  repeats: ReturnType<typeof scoreStrings>;
  isolated: ReturnType<typeof scoreStrings>;
  groupedAsOne: number;
  model6Isolated?: number;
  spuriousStrings: number;
  latencyP95Ms: number;
  latencyMedianMs: number;
  predictionLatencyP95Ms: number;
  realTimeFactor: number | undefined;
  peakRssMb: number | undefined;
  insertionsPerMinute: number;
}

async function main(): Promise<void> {
  const o = new Command('bench-strings')
    .description('Digit strings through `digits live` on held-out voices (LOSO string models).')
    .requiredOption('--models <dirs>', 'string model folders (comma-separated), or folders holding them')
    .option('--model6 <dir>', "folder of model 6's loso-<speaker>/ fold models, for the isolated comparison")
    .option('--data <folder|zip>', 'FSDD recordings (default: as digits train finds them)')
    .option('--unknowns <dir>', 'non-digit words and sounds (manifest.json)', 'data/unknowns')
    .option('--groups <n>', 'groups of 3-4 digits', Number, 60)
    .option('--repeats <n>', 'runs of one digit', Number, 30)
    .option('--isolated <n>', 'isolated digits', Number, 100)
    .option('--unknown-seconds <s>', 'seconds of non-digit words and sounds', Number, 120)
    .option('--speed <x>', 'playing pace: times real time (0: all at once)', Number, 1)
    .option('--hangover <ms>', 'the string hangover given to digits live', Number, STRING_DEFAULTS.hangoverMs)
    .option('--seed <n>', 'seed of the strings (the offline benchmark uses 7000000)', Number, 7_000_000)
    .option('--out <file>', 'also write the rows as JSON')
    .parse(process.argv)
    .opts<Options>();
  for (const k of ['groups', 'repeats', 'isolated', 'unknownSeconds'] as const)
    if (!(Number.isInteger(o[k]) && o[k] > 0)) throw new Error(`--${k} must be a positive integer, got ${o[k]}`);
  const models = stringModels(o.models);
  const dataset = await readDataset(await resolveDataSource({ flag: o.data }));
  const extra = ['--string-hangover', String(o.hangover)];
  const rows: FoldRow[] = [];
  for (const m of models) {
    const meta = JSON.parse(readFileSync(path.join(m.dir, 'meta.json'), 'utf8')) as { trainingSpeakers?: string[] };
    if (meta.trainingSpeakers?.includes(m.speaker)) throw new Error(`${m.dir}: trained on ${m.speaker}`);
    const prepared = prepareStringClips(dataset.clips.filter((c) => c.speaker === m.speaker));
    const pool = new StringClipPool(prepared.clips);
    const [groupSpec, repeatSpec] = heldOutStringSets(pool, { seed: o.seed, groups: o.groups, repeats: o.repeats });
    // The offline benchmark's strings, without their own noise: 20 dB white noise over the whole stream.
    const noisy = (laid: ReturnType<typeof layStrings>, seed: number) => {
      addNoise(laid.samples, laid.speech, 20, seed);
      return laid;
    };
    const setOf = (spec: typeof groupSpec, seed: number) => {
      const quiet = { ...spec, options: { ...spec.options, snrDb: null } };
      return noisy(
        layStrings(Array.from({ length: stringSetSize(quiet) }, (_, i) => stringOfSet(pool, quiet, i))),
        seed,
      );
    };
    const isolatedLaid = () => noisy(layStrings(isolatedStrings(pool, o.isolated, o.seed + 300_000)), o.seed + 3);
    const t0 = performance.now();
    const runs: { name: string; truth: TruthString[]; run: PacedRun }[] = [];
    for (const [name, laid] of [
      ['groups', setOf(groupSpec, o.seed + 1)],
      ['repeats', setOf(repeatSpec, o.seed + 2)],
      ['isolated', isolatedLaid()],
    ] as const) {
      const run = await runLivePaced(m.dir, laid.samples, { speed: o.speed, extraArgs: extra });
      runs.push({ name, truth: laid.truth, run });
      process.stderr.write(
        `${m.speaker} ${name}: ${laid.truth.length} strings, ${run.strings.length} digits messages, ${run.predictions.length} predictions (${run.wallSeconds.toFixed(0)} s)\n`,
      );
    }
    const unknown = await runLivePaced(m.dir, unknownStream(o.unknowns, o.unknownSeconds, o.seed), {
      speed: o.speed,
      extraArgs: extra,
    });
    const scored = runs.map((r) => ({ ...r, ...matchStrings(r.truth, r.run.strings) }));
    const [groups, repeats, isolated] = scored;
    let model6Isolated: number | undefined;
    const fold6 = o.model6 && path.join(o.model6, `loso-${m.speaker}`);
    if (fold6 && existsSync(fold6)) {
      const clips = isolated.truth.map((t) => ({ digit: t.digits[0], startMs: t.startMs, endMs: t.endMs }));
      const run6 = await runLivePaced(fold6, isolatedLaid().samples, {
        speed: 0,
      });
      const s = scoreMatches(clips, matchPredictions(clips, run6.predictions));
      model6Isolated = s.correct / s.clips;
    }
    const latencies = runs.slice(0, 3).flatMap((r) => r.run.strings.map((s) => s.latencyMs));
    const cpu = runs.reduce((n, r) => n + (r.run.cpuSeconds ?? NaN), 0);
    const audio = runs.reduce((n, r) => n + r.run.audioSeconds, 0);
    const row: FoldRow = {
      speaker: m.speaker,
      groups: scoreStrings(groups.matches),
      repeats: scoreStrings(repeats.matches),
      isolated: scoreStrings(isolated.matches),
      groupedAsOne: (() => {
        const g = groupedAsOne(groups.matches);
        return g.exact ? g.asOne / g.exact : NaN;
      })(),
      model6Isolated,
      spuriousStrings: scored.reduce((n, s) => n + s.spurious.filter((x) => x.text !== '').length, 0),
      latencyP95Ms: quantile(latencies, 0.95),
      latencyMedianMs: quantile(latencies, 0.5),
      predictionLatencyP95Ms: quantile(
        runs.flatMap((r) => r.run.predictions.map((p) => p.latencyMs)),
        0.95,
      ),
      realTimeFactor: Number.isFinite(cpu) ? cpu / audio : undefined,
      peakRssMb: Math.max(...[...runs.map((r) => r.run.peakRssMb ?? 0), unknown.peakRssMb ?? 0]) || undefined,
      insertionsPerMinute: unknown.predictions.length / (o.unknownSeconds / 60),
    };
    rows.push(row);
    process.stderr.write(`${m.speaker}: done in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  const t = new Table({
    head: ['figure', ...rows.map((r) => `loso-${r.speaker}`), 'goal'],
    style: { head: [], border: [] },
  });
  const line = (name: string, f: (r: FoldRow) => string, goal: string) => t.push([name, ...rows.map(f), goal]);
  const okIf = (v: number, ok: boolean) => `${pct(v)} ${verdict(ok)}`;
  /** A row of shares held to "at least `goal`". */
  const atLeast = (name: string, get: (r: FoldRow) => number, goal: number) =>
    line(name, (r) => okIf(get(r), get(r) >= goal), `>= ${pct(goal)}`);
  atLeast('groups: digit recall', (r) => r.groups.digitRecall, GOALS.digitRecall);
  atLeast('groups: digit accuracy', (r) => r.groups.digitAccuracy, GOALS.digitAccuracy);
  atLeast('groups: whole group right', (r) => r.groups.stringAccuracy, GOALS.groupAccuracy);
  line('groups right: one message, no space', (r) => pct(r.groupedAsOne), '');
  atLeast('repeats: count right', (r) => r.repeats.stringAccuracy, GOALS.repeatCountAccuracy);
  line(
    'isolated: right',
    (r) =>
      `${pct(r.isolated.stringAccuracy)}${r.model6Isolated === undefined ? '' : ` ${verdict(r.isolated.stringAccuracy >= r.model6Isolated)}`}`,
    'no worse than model 6',
  );
  line(
    'isolated: model 6 fold model, live',
    (r) => (r.model6Isolated === undefined ? 'n/a' : pct(r.model6Isolated)),
    '',
  );
  line(
    'end of string -> digits p95',
    (r) => `${r.latencyP95Ms.toFixed(0)} ms ${verdict(r.latencyP95Ms <= o.hangover + GOALS.latencyOverHangoverMs)}`,
    `<= ${o.hangover + GOALS.latencyOverHangoverMs} ms`,
  );
  line('end of string -> digits median', (r) => `${r.latencyMedianMs.toFixed(0)} ms`, '');
  line('digit became certain -> prediction p95', (r) => `${r.predictionLatencyP95Ms.toFixed(0)} ms`, '');
  line(
    'real-time factor (CPU / audio)',
    (r) =>
      r.realTimeFactor === undefined
        ? 'n/a'
        : `${r.realTimeFactor.toFixed(3)} ${verdict(r.realTimeFactor <= GOALS.realTimeFactor)}`,
    `<= ${GOALS.realTimeFactor}`,
  );
  line(
    'peak RSS',
    (r) =>
      r.peakRssMb === undefined ? 'n/a' : `${r.peakRssMb.toFixed(0)} MB ${verdict(r.peakRssMb <= GOALS.peakRssMb)}`,
    `<= ${GOALS.peakRssMb} MB`,
  );
  line(
    'digits per minute of non-digit sound',
    (r) => `${r.insertionsPerMinute.toFixed(2)} ${verdict(r.insertionsPerMinute <= GOALS.insertionsPerMinute)}`,
    `<= ${GOALS.insertionsPerMinute}`,
  );
  line('digits messages outside any string', (r) => String(r.spuriousStrings), '');
  process.stdout.write(
    `Digit strings live (digits live --source stdin, --string-hangover ${o.hangover}), held-out speakers, 16 kHz, 20 dB white noise;\n` +
      `${o.groups} groups of 3-4 digits, ${o.repeats} runs, ${o.isolated} isolated digits, ${o.unknownSeconds} s of non-digit words and sounds; ` +
      `played at ${o.speed === 0 ? 'full speed' : `${o.speed}x real time`} (timings on this machine, as loaded as it was)\n` +
      `${t.toString()}\n`,
  );
  if (o.out) await writeFileAtomic(o.out, `${JSON.stringify({ options: o, rows }, null, 2)}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`bench-strings: ${err.message}\n`);
  process.exitCode = 1;
});
