/**
 * Enrolment benchmark (issue 15, "Teach it my voice"). For each leave-one-speaker-out fold model (trained
 * without its held-out speaker), enrol that speaker with K takes per digit (seeded choice; K = 3 and 1 by
 * default) and measure, before and after:
 *  - the held-out speaker's OTHER takes (the same test takes for every K: those not among the 3 chosen);
 *    goal >= 0.99 with 3 takes per digit in every fold;
 *  - other voices: the synthetic espeak voices of data/espeak-digits (eight voices no model trained on: the
 *    training TTS voices are disjoint) and the fold's own training speakers (takes 0-9 of each, heard in
 *    training); goal: lose <= 2 points;
 *  - enrol compute seconds (goal <= 10 s for 30 takes).
 * Everything is classified through loadRecognizer (as predict/eval and the live worker load a model).
 *
 * Usage: node tools/run-ts.mjs tools/bench/bench-enrol.ts --models <folder of loso-<speaker>/ model folders>
 *          [--data data/recordings] [--others data/espeak-digits] [--takes 3,1] [--seed 33] [--grid pull=0.003,0.03]
 *   --grid runs every value of one enrolment setting and reports each fold with the value chosen on the other
 *   folds (nested leave-one-fold-out selection), so no fold's test speaker picks its own setting.
 *   (Nx: npx nx run tools:bench-enrol -- --models ...)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readClips, seededShuffle, type InputClip } from '@digits/dataset';
import { decodeWav } from '@digits/dsp';
import { initBackend } from '@digits/model';
import { accuracy, arg } from './enrol-bench-support';
import { checkTake, enrolVoice, type EnrolSettings, type EnrolTake } from '@digits/voice';

function asTake(c: InputClip): EnrolTake {
  const wav = decodeWav(c.bytes, c.location);
  return { digit: c.digit!, name: c.name, samples: wav.samples, sampleRate: wav.sampleRate };
}

const pct = (x: number) => (Number.isNaN(x) ? '   -  ' : (100 * x).toFixed(1).padStart(6));
const delta = (a: number, b: number) =>
  Number.isNaN(a) ? '  -  ' : `${b - a >= 0 ? '+' : ''}${(100 * (b - a)).toFixed(1)}`;

async function main(): Promise<void> {
  const modelsDir = arg('--models');
  if (!modelsDir) throw new Error('--models <folder of loso-<speaker>/ model folders> is required');
  const data = arg('--data', 'data/recordings')!;
  const others = arg('--others', 'data/espeak-digits')!;
  const ks = (arg('--takes', '3,1') as string).split(',').map(Number);
  const seed = Number(arg('--seed', '33'));
  await initBackend({ log: (s) => console.log(`bench-enrol: ${s}`) });
  const folds = fs
    .readdirSync(modelsDir)
    .filter((f) => /^loso-/.test(f) && fs.existsSync(path.join(modelsDir, f, 'model.json')))
    .sort();
  if (folds.length === 0) throw new Error(`${modelsDir}: no loso-<speaker>/ model folders`);
  const fsdd = (await readClips([data])).clips.filter((c) => c.digit !== null && c.speaker !== null);
  const espeak = fs.existsSync(others) ? (await readClips([others])).clips.filter((c) => c.digit !== null) : [];
  if (espeak.length === 0) console.log(`bench-enrol: no ${others}; the espeak column is left empty`);
  console.log(
    `bench-enrol: ${folds.length} folds in ${modelsDir}; ${fsdd.length} FSDD clips, ${espeak.length} espeak clips; ` +
      `takes/digit ${ks.join(', ')}; seed ${seed}; ${os.cpus().length} cores (shared with other jobs: timings are loaded-machine figures)`,
  );
  // --grid key=v1,v2: every value is run, and each fold is reported with the value that did best on the OTHER
  // folds (nested: a fold's own speaker never picks its setting). Best: mean held-out accuracy with the most
  // takes plus the training speakers' accuracy, after enrolment; the espeak voices stay out of the choice.
  const gridArg = arg('--grid');
  const [gridKey, gridValues] = gridArg ? gridArg.split('=') : ['', ''];
  const grid: (number | null)[] = gridArg ? gridValues.split(',').map(Number) : [null];
  type Row = { fold: string; k: number; value: number | null; line: string; score: number };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-enrol-'));
  const rows: Row[] = [];
  try {
    for (const fold of folds) {
      const base = path.join(modelsDir, fold);
      const speaker = fold.replace(/^loso-/, '');
      const own = fsdd.filter((c) => c.speaker === speaker);
      if (own.length === 0) throw new Error(`${fold}: no clips of speaker "${speaker}" in ${data}`);
      // Seeded order of each digit's takes; the first max(ks) usable ones are the enrolment pool (a user
      // re-records a take checkTake rejects), all the others the test.
      const pool = new Map<number, InputClip[]>();
      const kMax = Math.max(...ks);
      const test: InputClip[] = [];
      for (let d = 0; d < 10; d++) {
        const order = seededShuffle(
          own.filter((c) => c.digit === d),
          seed + d,
        );
        const usable = order.filter((c) => checkTake(asTake(c)) === null).slice(0, kMax);
        pool.set(d, usable);
        test.push(...order.filter((c) => !usable.includes(c)));
      }
      const trained = fsdd.filter((c) => c.speaker !== speaker && c.take! < 10);
      const before = {
        own: await accuracy(base, test),
        espeak: await accuracy(base, espeak),
        trained: await accuracy(base, trained),
      };
      for (const value of grid) {
        for (const k of ks) {
          const takes = [...pool.values()].flatMap((t) => t.slice(0, k)).map(asTake);
          const out = path.join(work, `${fold}-${k}`);
          const cpu0 = process.cpuUsage();
          const r = await enrolVoice({
            baseModelDir: base,
            takes,
            outDir: out,
            voiceName: speaker,
            seed,
            settings: value === null ? undefined : ({ [gridKey]: value } as Partial<EnrolSettings>),
          });
          const cpu = process.cpuUsage(cpu0);
          const cpuSeconds = (cpu.user + cpu.system) / 1e6;
          const after = {
            own: await accuracy(out, test),
            espeak: await accuracy(out, espeak),
            trained: await accuracy(out, trained),
          };
          const setting = value === null ? '' : ` ${gridKey}=${value}`;
          const line =
            `${(fold + setting).padEnd(24)} ${String(k).padStart(5)} ${String(test.length).padStart(5)}  ${pct(before.own)} ${pct(after.own)}` +
            `   ${pct(before.espeak)} ${pct(after.espeak)} ${delta(before.espeak, after.espeak).padStart(5)}` +
            `   ${pct(before.trained)} ${pct(after.trained)} ${delta(before.trained, after.trained).padStart(5)}` +
            `   ${r.seconds.toFixed(2).padStart(6)} ${cpuSeconds.toFixed(2).padStart(6)}`;
          rows.push({ fold, k, value, line, score: after.own + after.trained });
          console.log(line);
          fs.rmSync(out, { recursive: true, force: true });
        }
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const kMax = Math.max(...ks);
  const chosen = (fold: string): number | null => {
    if (grid.length === 1) return grid[0];
    const score = (v: number | null) => {
      const others = rows.filter((r) => r.fold !== fold && r.k === kMax && r.value === v);
      return others.reduce((t, r) => t + r.score, 0) / Math.max(1, others.length);
    };
    return grid.reduce((best, v) => (score(v) > score(best) ? v : best), grid[0]);
  };
  const header = [
    'fold                     takes  test   held-out speaker   espeak voices (unseen)     training speakers (0-9)    enrol s (wall, cpu)',
    '                         /digit         base  voice       base  voice   diff        base  voice   diff',
  ];
  if (grid.length > 1) {
    console.log('');
    console.log(`bench-enrol: every ${gridKey} (accuracy %)`);
    for (const l of header) console.log(l);
    for (const r of rows) console.log(r.line);
  }
  console.log('');
  console.log(
    `bench-enrol: ${modelsDir} (accuracy %, before -> after enrolment; shared 2-core machine)` +
      (grid.length > 1 ? `; each fold with the ${gridKey} chosen on the other folds` : ''),
  );
  for (const l of header) console.log(l);
  for (const fold of folds)
    for (const r of rows.filter((x) => x.fold === fold && x.value === chosen(fold))) console.log(r.line);
  console.log(
    'goals: held-out >= 99.0 with 3 takes/digit in every fold; other voices lose <= 2.0 points; enrol <= 10 s for 30 takes',
  );
}

main().catch((err) => {
  console.error(`bench-enrol: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
