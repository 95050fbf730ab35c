// New voices, live against offline: for each leave-one-speaker-out fold model (trained without its speaker),
// that speaker's clips are laid out as a stream (isolated digits, seeded 0.3-1 s gaps, clip levels -30 to
// -18 dBFS, clean or in white noise), played through the real `digits live --source stdin` at each rate,
// and matched to its predictions by time; the same clips are scored offline (recognizer.classifyClips on
// the original WAVs) with the same fold model.
//
//   npx nx run live:bench-new-voices --models runs/<id>/protocols/model6 [--rates 16000,48000]
//     [--conditions clean,30,20] [--clips-per-fold 100] [--out results.json]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import Table from 'cli-table3';
import writeFileAtomic from 'write-file-atomic';
import { loadRecognizer } from '@digits/model';
import { FSDD_RECORDINGS } from '../src/testing/digit-stream';
import {
  argmax,
  matchPredictions,
  parseConditions,
  parseRates,
  runDigitsLive,
  scoreMatches,
  scoringStream,
  speakerClips,
} from './live-scoring';
import { pct, verdict } from './stats';

interface Options {
  models: string;
  rates: string;
  conditions: string;
  clipsPerFold: number;
  seed: number;
  out?: string;
}

/** One fold x rate x condition. */
interface Row {
  fold: string;
  speaker: string;
  rate: number;
  condition: string;
  clips: number;
  offlineAcc: number;
  liveAcc: number;
  deltaPoints: number;
  exactlyOne: number;
  spurious: number;
  peakRssMb: number | undefined;
  wallSeconds: number;
}

/** Live within 1 point of offline (with slack for the float error of a difference of two ratios). */
const withinGoal = (deltaPoints: number) => deltaPoints >= -1 - 1e-9;

/** The fold folders of a protocol folder: loso-<speaker>/ holding a model. */
function foldDirs(dir: string): { fold: string; speaker: string; dir: string }[] {
  const folds = readdirSync(dir)
    .filter((name) => /^loso-[a-z]+$/.test(name) && statSync(path.join(dir, name)).isDirectory())
    .sort()
    .map((fold) => ({ fold, speaker: fold.slice('loso-'.length), dir: path.join(dir, fold) }));
  if (folds.length === 0) throw new Error(`${dir} holds no loso-<speaker>/ fold folders`);
  return folds;
}

/** Digit accuracy of the fold model on the original WAVs, exactly as `digits eval` scores them. */
async function offlineDigits(modelDir: string, files: string[]): Promise<number[]> {
  const recognizer = await loadRecognizer(modelDir);
  try {
    const clips = files.map((name) => ({
      name,
      bytes: new Uint8Array(readFileSync(path.join(FSDD_RECORDINGS, name))),
    }));
    const { probs, kept } = await recognizer.classifyClips(clips, { threads: 0 });
    if (kept.length !== files.length) throw new Error(`${modelDir}: could not featurise every clip`);
    const k = recognizer.labels.length;
    return kept.map((_, i) => Number(recognizer.labels[argmax(probs.subarray(i * k, (i + 1) * k))]));
  } finally {
    recognizer.dispose();
  }
}

async function main(): Promise<void> {
  const o = new Command('live-vs-offline')
    .description('Live accuracy on held-out voices (LOSO fold models) through `digits live`, against offline.')
    .requiredOption('--models <dir>', 'folder of loso-<speaker>/ fold model folders (eval-protocol --save-models)')
    .option('--rates <list>', 'stream rates in Hz', '16000,48000')
    .option('--conditions <list>', 'clean and/or SNRs in dB of white noise', 'clean,30,20')
    .option('--clips-per-fold <n>', "held-out speaker's clips per fold, spread over the digits", Number, 100)
    .option('--seed <n>', 'seed of the clip choice, gaps, levels and noise', Number, 1)
    .option('--out <file>', 'also write the rows as JSON')
    .parse(process.argv)
    .opts<Options>();
  const rates = parseRates(o.rates);
  const conditions = parseConditions(o.conditions);
  if (!(Number.isInteger(o.clipsPerFold) && o.clipsPerFold > 0))
    throw new Error(`--clips-per-fold must be a positive integer, got ${o.clipsPerFold}`);
  const folds = foldDirs(o.models);
  const rows: Row[] = [];
  for (const f of folds) {
    const files = speakerClips(f.speaker, o.clipsPerFold, o.seed);
    const digits = files.map((n) => Number(n[0]));
    const offline = await offlineDigits(f.dir, files);
    const offlineAcc = offline.filter((d, i) => d === digits[i]).length / files.length;
    for (const rate of rates) {
      for (const condition of conditions) {
        const stream = scoringStream(files, rate, condition, o.seed);
        const run = await runDigitsLive(f.dir, stream);
        const score = scoreMatches(stream.clips, matchPredictions(stream.clips, run.predictions));
        const liveAcc = score.correct / score.clips;
        const row: Row = {
          fold: f.fold,
          speaker: f.speaker,
          rate,
          condition: condition.name,
          clips: score.clips,
          offlineAcc,
          liveAcc,
          deltaPoints: 100 * (liveAcc - offlineAcc),
          exactlyOne: score.exactlyOne / score.clips,
          spurious: score.spurious,
          peakRssMb: run.peakRssMb,
          wallSeconds: run.wallMs / 1000,
        };
        rows.push(row);
        process.stderr.write(
          `${f.fold} ${rate} Hz ${condition.name}: offline ${pct(offlineAcc)}, live ${pct(liveAcc)}, one per digit ${pct(row.exactlyOne)} (${row.wallSeconds.toFixed(0)} s)\n`,
        );
      }
    }
  }
  const t = new Table({
    head: ['fold', 'rate', 'condition', 'offline acc', 'live acc', 'delta', 'one per digit', 'spurious', 'RSS'],
    style: { head: [], border: [] },
  });
  for (const r of rows) {
    t.push([
      r.fold,
      `${r.rate / 1000} kHz`,
      r.condition,
      pct(r.offlineAcc),
      pct(r.liveAcc),
      `${r.deltaPoints >= 0 ? '+' : ''}${r.deltaPoints.toFixed(1)} pts ${verdict(withinGoal(r.deltaPoints))}`,
      `${pct(r.exactlyOne)} ${verdict(r.exactlyOne >= 0.99)}`,
      String(r.spurious),
      r.peakRssMb === undefined ? '' : `${r.peakRssMb.toFixed(0)} MB`,
    ]);
  }
  const worstDelta = Math.min(...rows.map((r) => r.deltaPoints));
  const worstOne = Math.min(...rows.map((r) => r.exactlyOne));
  process.stdout.write(
    `Live vs offline on held-out voices: ${path.resolve(o.models)}, ${o.clipsPerFold} clips per fold (seed ${o.seed}),\n` +
      `gaps ${'0.3-1'} s, clip RMS -30 to -18 dBFS, SNR relative to -24 dBFS; offline = classifyClips on the original WAVs\n` +
      `${t.toString()}\n` +
      `goals: live within 1 point of offline in every row (worst ${worstDelta.toFixed(1)} pts: ${verdict(withinGoal(worstDelta))}); ` +
      `exactly one prediction per digit >= 99% (worst ${pct(worstOne)}: ${verdict(worstOne >= 0.99)})\n`,
  );
  if (o.out) await writeFileAtomic(o.out, `${JSON.stringify({ options: o, rows }, null, 2)}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`live-vs-offline: ${err.message}\n`);
  process.exitCode = 1;
});
