// Which FSDD recordings the benchmark may use to judge a model: only ones it was not trained on.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SPLIT_SEED, readDataset, stratifiedSplit } from '@digits/dataset';
import { FSDD_RECORDINGS, seededRandom } from '../src/testing/digit-stream';

/** Test-split recordings for a model, and where the split came from (for the report). */
export interface TestClips {
  files: string[];
  origin: string;
}

/** The run.json the trainer wrote beside a model (runs/<id>/run.json for runs/<id>/<experiment>/model). */
function runSplit(modelDir: string): { test: string[]; file: string } | undefined {
  for (const candidate of ['run.json', '../run.json', '../../run.json']) {
    const file = path.resolve(modelDir, candidate);
    if (!existsSync(file)) continue;
    const run = JSON.parse(readFileSync(file, 'utf8')) as { split?: { test?: unknown } };
    if (Array.isArray(run.split?.test)) return { test: run.split.test.map(String), file };
  }
  return undefined;
}

/**
 * `count` recordings of the model's test split, balanced over the digits and shuffled with `seed`.
 * The split is the one saved in the training run's run.json when it sits beside the model; otherwise the
 * trainer's default split of the FSDD folder (stratified, seed meta.seed or 33), which is what
 * `digits train` uses.
 */
export async function testSplitClips(
  modelDir: string,
  meta: Record<string, unknown>,
  count: number,
  seed = 5,
): Promise<TestClips> {
  const saved = runSplit(modelDir);
  let names: string[];
  let origin: string;
  if (saved) {
    names = saved.test;
    origin = `test split of ${saved.file}`;
  } else {
    const splitSeed = typeof meta.seed === 'number' ? meta.seed : DEFAULT_SPLIT_SEED;
    const { clips } = await readDataset(FSDD_RECORDINGS);
    names = stratifiedSplit(clips, { seed: splitSeed }).test.map((c) => c.name);
    origin = `stratified test split (seed ${splitSeed}) of ${FSDD_RECORDINGS}`;
  }
  const present = names.filter((n) => existsSync(path.join(FSDD_RECORDINGS, n)));
  const random = seededRandom(seed);
  const byDigit = Array.from({ length: 10 }, (_, d) => present.filter((n) => n.startsWith(`${d}_`)));
  for (const list of byDigit) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
  }
  // Round-robin over the digits so each is equally common, then shuffle the order of the stream.
  const files: string[] = [];
  for (let round = 0; files.length < count && byDigit.some((l) => l.length > round); round++) {
    for (const list of byDigit) if (list[round] && files.length < count) files.push(list[round]);
  }
  for (let i = files.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [files[i], files[j]] = [files[j], files[i]];
  }
  return { files, origin };
}
