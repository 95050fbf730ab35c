// Times the live path of a saved model (any kind loadRecognizer loads), one utterance at a time, exactly as
// apps/live's classifier worker runs it (recognizer.classify on one utterance, after a warm-up at load):
//   node tools/run-ts.mjs apps/trainer/src/model5/bench-live-path.ts <model dir> [utterances=200] [--compare]
// Utterances are FSDD clips, resampled to the rate the live pipeline hands the model (its featureConfig's).
// --compare (speech-embedding models): the front end with and without its shortcuts, loaded side by side and
// run in turn on each utterance, so a loaded machine slows them alike (it also counts utterances whose
// probabilities differ from the first variant's); then 2 onnxruntime threads on their own (their pool's
// spinning thread would slow whatever runs beside it).
import { readDataset, resolveDataSource } from '@digits/dataset';
import { loadClip } from '@digits/features';
import { loadRecognizer, type LoadRecognizerOptions, type Recognizer } from '@digits/model';

/** The goal (issue 14): features + inference per utterance in the live path. */
const GOAL_P95_MS = 15;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

const stats = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return {
    p50: +percentile(s, 0.5).toFixed(2),
    p95: +percentile(s, 0.95).toFixed(2),
    max: +s[s.length - 1].toFixed(2),
  };
};

interface Variant {
  name: string;
  frontEnd?: LoadRecognizerOptions['frontEnd'];
  /** Run after the others, on its own. */
  alone?: boolean;
}

const VARIANTS: Variant[] = [
  { name: 'shortcuts, 1 thread' },
  { name: 'no shortcuts (before), 1 thread', frontEnd: { shortcuts: false } },
  { name: 'shortcuts, 2 threads (run alone, after)', frontEnd: { threads: 2 }, alone: true },
];

/** p50/p95/max of features, inference and their sum over `count` utterances, in ms, per variant. */
export async function benchLivePath(dir: string, count: number, opts: { data?: string; compare?: boolean } = {}) {
  const first = await loadRecognizer(dir, { warmUp: true });
  const variants =
    first.info.inputKind !== 'embedding' ? [{ name: 'as loaded' }] : opts.compare ? VARIANTS : VARIANTS.slice(0, 1);
  const config = first.featureConfig;
  const clips = (await readDataset(await resolveDataSource({ flag: opts.data }))).clips;
  const step = Math.max(1, Math.floor(clips.length / count));
  const utterances = clips
    .filter((_, i) => i % step === 0)
    .slice(0, count)
    .map((c) => loadClip(c.bytes, config, c.name));
  const times = variants.map(() => ({ feature: [] as number[], inference: [] as number[], total: [] as number[] }));
  const differ = variants.map(() => 0);
  const refs: Float32Array[] = [];
  // Groups of variants run in turn on each utterance: those side by side, then each `alone` one.
  const groups = [
    variants.flatMap((v, k) => (v.alone ? [] : [k])),
    ...variants.flatMap((v, k) => (v.alone ? [[k]] : [])),
  ];
  for (const group of groups) {
    const recognizers: Recognizer[] = [];
    for (const k of group)
      recognizers.push(k === 0 ? first : await loadRecognizer(dir, { warmUp: true, frontEnd: variants[k].frontEnd }));
    for (const [u, samples] of utterances.entries()) {
      for (const [g, k] of group.entries()) {
        const r = await recognizers[g].classify(samples, config.sampleRate);
        times[k].feature.push(r.featureMs);
        times[k].inference.push(r.inferenceMs);
        times[k].total.push(r.featureMs + r.inferenceMs);
        if (k === 0) refs[u] = r.probabilities;
        else if (r.probabilities.some((p, j) => p !== refs[u][j])) differ[k]++;
      }
    }
    for (const r of recognizers) r.dispose();
  }
  return {
    model: dir,
    kind: first.info.inputKind,
    utterances: utterances.length,
    goal: `totalMs p95 <= ${GOAL_P95_MS}`,
    variants: variants.map((v, k) => ({
      variant: v.name,
      featureMs: stats(times[k].feature),
      inferenceMs: stats(times[k].inference),
      totalMs: stats(times[k].total),
      meetsGoal: stats(times[k].total).p95 <= GOAL_P95_MS,
      ...(k > 0 ? { utterancesWithOtherProbabilities: differ[k] } : {}),
    })),
  };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const compare = args.includes('--compare');
  const [dir, n] = args.filter((a) => a !== '--compare');
  if (!dir) {
    process.stderr.write('usage: bench-live-path.ts <model dir> [utterances=200] [--compare]\n');
    process.exit(2);
  }
  benchLivePath(dir, Number(n ?? 200), { compare }).then(
    (r) => {
      const { variants, ...head } = r;
      process.stdout.write(JSON.stringify(head) + '\n' + variants.map((v) => JSON.stringify(v)).join('\n') + '\n');
    },
    (e) => {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
