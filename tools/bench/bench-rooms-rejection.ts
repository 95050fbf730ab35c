// Why room training rejects fewer unknowns: per LOSO fold model, the held-out speaker's clean digits and the
// unknowns' group b (words and sounds no model trained on), their top digit probabilities, the threshold that
// keeps 97% of the digits (eval-protocol's operating point) and the unknowns it rejects, plus the unknowns
// rejected at fixed thresholds, so a shift of the digits' confidence and a shift of the unknowns' can be told
// apart. Offline, plain clips (cached embeddings); not a test.
//
//   node tools/run-ts.mjs tools/bench/bench-rooms-rejection.ts --models runs/loso6/protocols/model6,runs/rooms6/protocols/model6
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { FSDD_RECORDINGS } from '@digits/dsp/testing';
import { defaultCacheDir } from '@digits/features';
import { loadRecognizer } from '@digits/model';
import { foldModels } from './bench-rooms-folds';

/** Top probability of each row of `classes` columns. */
function tops(probs: Float32Array, classes: number): number[] {
  return Array.from({ length: probs.length / classes }, (_, r) =>
    Math.max(...probs.subarray(r * classes, (r + 1) * classes)),
  );
}

/** The highest threshold keeping at least `keep` of `values` (as eval-protocol's thresholdKeeping). */
export function thresholdKeeping(values: readonly number[], keep: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(Math.floor(sorted.length * (1 - keep) + 1e-9), sorted.length - 1)];
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const share = (xs: readonly number[], below: number) => xs.filter((x) => x < below).length / xs.length;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      models: { type: 'string' },
      unknowns: { type: 'string', default: 'data/unknowns' },
      data: { type: 'string', default: FSDD_RECORDINGS },
      fixed: { type: 'string', default: '0.5,0.7,0.9' },
    },
  });
  if (!values.models) throw new Error('--models <folder of fold model folders>[,<another>...] is required');
  const fixed = values.fixed.split(',').map(Number);
  if (fixed.some((t) => !(t > 0 && t < 1))) throw new Error(`--fixed: thresholds in (0, 1), got "${values.fixed}"`);
  const manifest = (
    JSON.parse(readFileSync(path.join(values.unknowns, 'manifest.json'), 'utf8')) as {
      file: string;
      kind: string;
      group: string;
    }[]
  ).filter((e) => e.group === 'b');
  const unknownClips = manifest.map((e) => ({
    name: `unknown/${e.file}`,
    bytes: new Uint8Array(readFileSync(path.join(values.unknowns, e.file))),
  }));
  const table = new Table({
    head: [
      'models',
      'fold',
      'digits: median top',
      'threshold keeping 97%',
      'unknowns rejected (words / sounds)',
      ...fixed.map((t) => `rejected at ${t}`),
      'unknowns: median top',
    ],
    style: { head: [], border: [] },
  });
  const cacheDir = defaultCacheDir();
  for (const dir of values.models.split(',')) {
    for (const fold of foldModels(dir)) {
      const r = await loadRecognizer(fold.dir);
      const files = readdirSync(values.data).filter((f) => new RegExp(`^\\d_${fold.speaker}_\\d+\\.wav$`).test(f));
      const digits = tops(
        (
          await r.classifyClips(
            files.map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(path.join(values.data, f))) })),
            { cacheDir },
          )
        ).probs,
        r.labels.length,
      );
      const unknown = tops((await r.classifyClips(unknownClips, { cacheDir })).probs, r.labels.length);
      r.dispose();
      const t = thresholdKeeping(digits, 0.97);
      const words = unknown.filter((_, i) => manifest[i].kind === 'word');
      const sounds = unknown.filter((_, i) => manifest[i].kind === 'sound');
      table.push([
        dir,
        fold.speaker,
        median(digits).toFixed(3),
        t.toFixed(3),
        `${share(unknown, t).toFixed(3)} (${share(words, t).toFixed(3)} / ${share(sounds, t).toFixed(3)})`,
        ...fixed.map((f) => share(unknown, f).toFixed(3)),
        median(unknown).toFixed(3),
      ]);
    }
  }
  process.stdout.write(table.toString() + '\n');
}

main().catch((e) => {
  process.stderr.write(`bench-rooms-rejection: ${(e as Error).message}\n`);
  process.exit(1);
});
