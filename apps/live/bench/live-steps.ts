// Where live accuracy goes: each held-out clip classified after each step of the live path, in-process with
// the same recognizer.classify the live worker runs, to see which step changes the answer.
//   node tools/run-ts.mjs apps/live/bench/live-steps.ts --models <fold dir> [--rate 16000] [--condition clean]
//     [--clips-per-fold 100]
// Steps: offline (the original WAV) -> chain (the WAV through the stream's rates only: 8 kHz -> stream rate
// -> band -> model rate) -> level (the WAV at the clip's stream level, 16-bit, no rate chain) -> span (the
// clip's exact samples in the stream: level, noise, 16-bit, the rate chain) -> untrimmed (the detector's frames, pre-roll and hangover included) -> live (the utterance
// as cutUtterances gives it to the classifier).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { decodeWav, resample } from '@digits/dsp';
import { loadRecognizer, type Recognizer } from '@digits/model';
import { cutUtterance, resolveCutUtterancesConfig, type CutUtterancesConfig } from '@digits/stream';
import { FSDD_RECORDINGS, seededRandom } from '../src/testing/digit-stream';
import { testSplitClips } from './test-clips';
import { argmax, parseConditions, quantise16, scoringStream, speakerClips, speechEnds } from './live-scoring';

function bandChain(samples: Float32Array, rate: number, config: CutUtterancesConfig): Float32Array {
  let out = samples;
  let r = rate;
  for (const next of [config.bandSampleRate, config.targetSampleRate]) {
    if (next !== r && out.length > 0) out = resample(out, r, next);
    r = next;
  }
  return out;
}

/** `x` scaled to an RMS of `dbfs`. */
function atRms(x: Float32Array, dbfs: number): Float32Array {
  let p = 0;
  for (const v of x) p += v * v;
  const gain = p > 0 ? 10 ** (dbfs / 20) / Math.sqrt(p / x.length) : 1;
  return x.map((v) => v * gain);
}

async function digitOf(recognizer: Recognizer, samples: Float32Array, rate: number): Promise<number> {
  const r = await recognizer.classify(samples, rate);
  return Number(recognizer.labels[argmax(r.probabilities)]);
}

async function foldSteps(
  dir: string,
  files: string[],
  o: {
    rate: number;
    condition: string;
    clips: number;
    seed: number;
    norms: number[];
    variants: Record<string, Partial<CutUtterancesConfig>>;
  },
) {
  const recognizer = await loadRecognizer(dir, { warmUp: true });
  const targetRate = recognizer.featureConfig.sampleRate;
  // The cut exactly as livePipeline makes it for this model (its Recognizer.cut).
  const config = resolveCutUtterancesConfig({
    ...recognizer.cut,
    targetSampleRate: targetRate,
  });
  const [condition] = parseConditions(o.condition);
  const stream = scoringStream(files, o.rate, condition, o.seed);
  const samples = quantise16(stream.samples);
  const ends = await speechEnds(stream);
  const names = [
    'offline',
    'chain',
    'level',
    'span',
    'untrimmed',
    'live',
    ...o.norms.map((d) => `live@${d}`),
    ...Object.keys(o.variants),
  ];
  const correct: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  const flips: string[] = [];
  const startShift: number[] = [];
  const endShift: number[] = [];
  let unmatched = 0;
  for (const [i, clip] of stream.clips.entries()) {
    const wav = decodeWav(readFileSync(path.join(FSDD_RECORDINGS, clip.file)), clip.file);
    const s0 = Math.round((clip.startMs * o.rate) / 1000);
    const s1 = Math.round((clip.endMs * o.rate) / 1000);
    const mine = ends.filter((e) => e.endMs > clip.startMs - 50 && e.startMs < clip.endMs + 50);
    const digits: Record<string, number | undefined> = {
      offline: await digitOf(recognizer, wav.samples, wav.sampleRate),
      chain: await digitOf(
        recognizer,
        bandChain(
          wav.sampleRate === o.rate ? wav.samples : resample(wav.samples, wav.sampleRate, o.rate),
          o.rate,
          config,
        ),
        targetRate,
      ),
      level: await digitOf(recognizer, quantise16(atRms(wav.samples, clip.speechDbfs)), wav.sampleRate),
      span: await digitOf(recognizer, bandChain(samples.slice(s0, s1), o.rate, config), targetRate),
    };
    if (mine.length === 1) {
      const e = mine[0];
      const untrimmed = cutUtterance({ ...e, noiseFloorDbfs: -Infinity }, { ...config, trimTopDb: 1e6 });
      const live = cutUtterance(e, config);
      digits.untrimmed = await digitOf(recognizer, untrimmed.samples, targetRate);
      digits.live = await digitOf(recognizer, live.samples, targetRate);
      for (const d of o.norms) digits[`live@${d}`] = await digitOf(recognizer, atRms(live.samples, d), targetRate);
      for (const [name, v] of Object.entries(o.variants)) {
        digits[name] = await digitOf(recognizer, cutUtterance(e, { ...config, ...v }).samples, targetRate);
      }
      startShift.push(live.startMs - clip.startMs);
      endShift.push(live.endMs - clip.endMs);
    } else unmatched++;
    for (const n of names) if (digits[n] === clip.digit) correct[n]++;
    const trail = names.map((n) => `${n}=${digits[n] ?? '-'}`).join(' ');
    if (names.some((n) => digits[n] !== digits.offline))
      flips.push(`${i} ${clip.file} (${clip.speechDbfs.toFixed(0)} dBFS): ${trail}`);
  }
  recognizer.dispose();
  const q = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.floor(p * (v.length - 1))] ?? NaN;
  return {
    correct,
    clips: stream.clips.length,
    unmatched,
    flips,
    startShift: [q(startShift, 0.05), q(startShift, 0.5), q(startShift, 0.95)],
    endShift: [q(endShift, 0.05), q(endShift, 0.5), q(endShift, 0.95)],
  };
}

/** FSDD's official test split (takes 0-4 of every speaker), shuffled: the validation set of the official fold
 * model, whose settings choices never look at a held-out speaker. */
function loadMeta(dir: string): Record<string, unknown> {
  const file = path.join(dir, 'meta.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
}

function officialTestClips(seed: number): string[] {
  const files = readdirSync(FSDD_RECORDINGS)
    .filter((f) => /^\d_[a-z]+_[0-4]\.wav$/.test(f))
    .sort();
  const random = seededRandom(seed);
  for (let i = files.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [files[i], files[j]] = [files[j], files[i]];
  }
  return files;
}

async function main() {
  const o = new Command('live-steps')
    .requiredOption('--models <dir>', 'folder of loso-<speaker>/ fold models')
    .option('--rate <Hz>', 'stream rate', Number, 16000)
    .option('--condition <c>', 'clean or an SNR in dB', 'clean')
    .option('--clips-per-fold <n>', 'clips per fold (test-split: clips of the split)', Number, 100)
    .option('--seed <n>', 'seed', Number, 1)
    .option(
      '--folds <list>',
      'only these speakers; "official": the official fold on its test takes; "test-split": --models is one model folder, on its test split (validation)',
    )
    .option('--norm <list>', 'also classify the live utterance scaled to these RMS levels (dBFS), e.g. -26,-36', '')
    .option('--variants <list>', 'cut configs to try, e.g. "trimKeepMs=30;trimKeepMs=60,trimAboveFloorDb=3"', '')
    .option('--verbose', 'list every clip whose answer changes along the way')
    .parse(process.argv)
    .opts<{
      models: string;
      rate: number;
      condition: string;
      clipsPerFold: number;
      seed: number;
      folds?: string;
      norm: string;
      variants: string;
      verbose?: boolean;
    }>();
  const norms = o.norm === '' ? [] : o.norm.split(',').map(Number);
  const variants = Object.fromEntries(
    o.variants
      .split(';')
      .filter((v) => v.trim() !== '')
      .map((v) => [
        v,
        Object.fromEntries(v.split(',').map((kv) => [kv.split('=')[0].trim(), Number(kv.split('=')[1])])),
      ]),
  ) as Record<string, Partial<CutUtterancesConfig>>;
  const folds =
    o.folds === 'test-split'
      ? ['test-split']
      : readdirSync(o.models)
          .filter((n) => /^(loso-[a-z]+|official)$/.test(n) && statSync(path.join(o.models, n)).isDirectory())
          .filter((n) => (o.folds ? o.folds.split(',').includes(n.replace(/^loso-/, '')) : n !== 'official'))
          .sort();
  for (const fold of folds) {
    const dir = fold === 'test-split' ? o.models : path.join(o.models, fold);
    const files =
      fold === 'official'
        ? officialTestClips(o.seed)
        : fold === 'test-split'
          ? (await testSplitClips(dir, loadMeta(dir), o.clipsPerFold)).files
          : speakerClips(fold.slice(5), o.clipsPerFold, o.seed);
    const r = await foldSteps(dir, files, {
      rate: o.rate,
      condition: o.condition,
      clips: o.clipsPerFold,
      seed: o.seed,
      norms,
      variants,
    });
    const acc = Object.entries(r.correct)
      .map(([k, v]) => `${k} ${((100 * v) / r.clips).toFixed(1)}%`)
      .join(', ');
    process.stdout.write(
      `${fold} ${o.rate} Hz ${o.condition}: ${acc}; not one utterance: ${r.unmatched}; live start - clip start p5/50/95 ${r.startShift.map((v) => v.toFixed(0)).join('/')} ms, end ${r.endShift.map((v) => v.toFixed(0)).join('/')} ms\n`,
    );
    if (o.verbose) for (const f of r.flips) process.stdout.write(`  ${f}\n`);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`live-steps: ${err.message}\n`);
  process.exitCode = 1;
});
