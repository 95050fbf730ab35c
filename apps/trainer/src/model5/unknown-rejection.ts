import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { readDataset, resolveDataSource, stratifiedSplit } from '@digits/dataset';
import { defaultCacheDir } from '@digits/features';
import { initBackend, loadRecognizer } from '@digits/model';
import { dataOption, modelOption, seedOption } from '../cli-args';

/** An entry of data/unknowns/manifest.json (tools/unknowns/generate-unknowns.ts). */
export interface UnknownEntry {
  file: string;
  kind: 'word' | 'sound';
  what: string;
  group: 'a' | 'b';
}

/** Rejection figures at one confidence threshold. */
export interface RejectionAtThreshold {
  threshold: number;
  /** Digits whose top probability reaches the threshold, of all digit clips. */
  digitsKept: number;
  /** Of the kept digits, the share classified correctly. */
  keptAccuracy: number;
  /** Unknowns whose top probability stays below the threshold. */
  unknownsRejected: number;
  wordsRejected: number;
  soundsRejected: number;
}

/** Top probability of each row (classes per row). */
export function topProbabilities(probs: ArrayLike<number>, classes: number): Float32Array {
  const out = new Float32Array(probs.length / classes);
  for (let r = 0; r < out.length; r++) {
    let best = 0;
    for (let k = 0; k < classes; k++) best = Math.max(best, probs[r * classes + k]);
    out[r] = best;
  }
  return out;
}

/**
 * The highest threshold that keeps at least `keep` of the digits (a digit is kept when its top
 * probability is at or above the threshold).
 */
export function thresholdKeeping(digitTop: ArrayLike<number>, keep: number): number {
  const sorted = Float32Array.from(digitTop).sort();
  const drop = Math.floor(sorted.length * (1 - keep) + 1e-9);
  return sorted[Math.min(drop, sorted.length - 1)];
}

/** Rejection figures at `threshold`. */
export function rejectionAt(
  threshold: number,
  digits: { top: ArrayLike<number>; correct: ArrayLike<boolean> },
  unknowns: { top: ArrayLike<number>; kind: readonly ('word' | 'sound')[] },
): RejectionAtThreshold {
  let kept = 0;
  let keptCorrect = 0;
  for (let i = 0; i < digits.top.length; i++) {
    if (digits.top[i] >= threshold) {
      kept++;
      if (digits.correct[i]) keptCorrect++;
    }
  }
  const share = (kind?: 'word' | 'sound') => {
    let n = 0;
    let rejected = 0;
    for (let i = 0; i < unknowns.top.length; i++) {
      if (kind && unknowns.kind[i] !== kind) continue;
      n++;
      if (unknowns.top[i] < threshold) rejected++;
    }
    return n ? round4(rejected / n) : 0;
  };
  return {
    threshold: round4(threshold),
    digitsKept: round4(kept / digits.top.length),
    keptAccuracy: round4(kept ? keptCorrect / kept : 0),
    unknownsRejected: share(),
    wordsRejected: share('word'),
    soundsRejected: share('sound'),
  };
}

/**
 * A fold's unknown rejection, as eval-protocol reports it: at the confidence threshold that keeps 97% of
 * the fold's test digits, how many held-out unknowns fall below it.
 */
export function foldUnknownRejection(
  test: readonly { digit: number }[],
  digits: { digit: ArrayLike<number>; top: ArrayLike<number> },
  unknowns: { top: ArrayLike<number> },
  entries: readonly UnknownEntry[],
): RejectionAtThreshold {
  const correct = test.map((c, i) => digits.digit[i] === c.digit);
  return rejectionAt(
    thresholdKeeping(digits.top, 0.97),
    { top: digits.top, correct },
    { top: unknowns.top, kind: entries.map((e) => e.kind) },
  );
}

/**
 * `digits unknowns --model DIR [--unknowns data/unknowns]`: confidence-threshold rejection of the model on
 * the seeded random split's test digits and on the generated unknowns. Prints the threshold that keeps
 * 97% of the digits with the share of unknowns it rejects, and a few fixed thresholds.
 */
export function registerUnknownsCommand(program: Command): void {
  program
    .command('unknowns')
    .description(
      'Measure unknown rejection by a confidence threshold: digits kept vs generated non-digit words and sounds rejected.',
    )
    .addOption(modelOption())
    .option('--unknowns <dir>', 'folder made by tools/unknowns/generate-unknowns.ts', 'data/unknowns')
    .addOption(dataOption())
    .addOption(seedOption('seed of the random split whose test clips are the digits'))
    .option('--group <g>', 'only unknowns of this manifest group (a or b); default all')
    .action(async (opts: { model: string; unknowns: string; data?: string; seed: number; group?: string }) => {
      const result = await measureUnknownRejection(opts);
      process.stdout.write(JSON.stringify(result) + '\n');
    });
}

export async function measureUnknownRejection(opts: {
  model: string;
  unknowns: string;
  data?: string;
  seed: number;
  group?: string;
}) {
  await initBackend({ log: (s) => process.stderr.write(s + '\n') });
  const loaded = await loadRecognizer(opts.model);
  const classes = loaded.labels.length;
  const unknownIndex = loaded.labels.indexOf('unknown');
  const manifest = (
    JSON.parse(readFileSync(path.join(opts.unknowns, 'manifest.json'), 'utf8')) as UnknownEntry[]
  ).filter((e) => !opts.group || e.group === opts.group);
  const dataset = await readDataset(await resolveDataSource({ flag: opts.data }));
  const digits = stratifiedSplit(dataset.clips, { seed: opts.seed }).test;
  const cacheDir = defaultCacheDir();
  // Every clip needs its probabilities: one that cannot be featurised is an error naming it.
  const digitProbs = (await loaded.classifyClips(digits, { cacheDir })).probs;
  const unknownProbs = (
    await loaded.classifyClips(
      manifest.map((e) => ({ name: e.file, bytes: new Uint8Array(readFileSync(path.join(opts.unknowns, e.file))) })),
      { cacheDir },
    )
  ).probs;
  // With an "unknown" class, a clip's digit confidence is its top digit probability (unknown counts as 0).
  const digitTop = (probs: Float32Array) => {
    if (unknownIndex < 0) return topProbabilities(probs, classes);
    const masked = Float32Array.from(probs, (p, i) => (i % classes === unknownIndex ? 0 : p));
    return topProbabilities(masked, classes);
  };
  const dTop = digitTop(digitProbs);
  const correct = digits.map((c, r) => {
    let best = 0;
    for (let k = 1; k < classes; k++)
      if (k !== unknownIndex && digitProbs[r * classes + k] > digitProbs[r * classes + best]) best = k;
    return String(c.digit) === loaded.labels[best];
  });
  const uTop = digitTop(unknownProbs);
  const kinds = manifest.map((e) => e.kind);
  const at97 = rejectionAt(thresholdKeeping(dTop, 0.97), { top: dTop, correct }, { top: uTop, kind: kinds });
  const fixed = [0.5, 0.7, 0.8, 0.9, 0.95, 0.99].map((t) =>
    rejectionAt(t, { top: dTop, correct }, { top: uTop, kind: kinds }),
  );
  // Which unknowns get through at the 97% threshold, by word / sound recipe.
  const accepted: Record<string, number> = {};
  manifest.forEach((e, i) => {
    if (uTop[i] >= at97.threshold) accepted[e.what] = (accepted[e.what] ?? 0) + 1;
  });
  return {
    model: opts.model,
    digits: digits.length,
    unknowns: manifest.length,
    keep97: at97,
    fixed,
    acceptedAtKeep97: accepted,
  };
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
