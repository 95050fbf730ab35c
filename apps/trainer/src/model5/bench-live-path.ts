// Times the live path of a saved model (any kind loadRecognizer loads), one utterance at a time, exactly as
// apps/live's classifier worker runs it (recognizer.classify on one utterance, after a warm-up at load):
//   node tools/run-ts.mjs apps/trainer/src/model5/bench-live-path.ts <model dir> [utterances=200]
// Utterances are FSDD clips, resampled to the rate the live pipeline hands the model (its featureConfig's).
import { readDataset, resolveDataSource } from '@digits/dataset';
import { loadClip } from '@digits/features';
import { loadRecognizer } from '@digits/model';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** p50/p95/max of features, inference and their sum over `count` utterances, in ms. */
export async function benchLivePath(dir: string, count: number, data?: string) {
  const recognizer = await loadRecognizer(dir, { warmUp: true });
  const config = recognizer.featureConfig;
  const clips = (await readDataset(await resolveDataSource({ flag: data }))).clips;
  const step = Math.max(1, Math.floor(clips.length / count));
  const utterances = clips
    .filter((_, i) => i % step === 0)
    .slice(0, count)
    .map((c) => loadClip(c.bytes, config, c.name));
  const feature: number[] = [];
  const inference: number[] = [];
  const total: number[] = [];
  for (const samples of utterances) {
    const r = await recognizer.classify(samples, config.sampleRate);
    feature.push(r.featureMs);
    inference.push(r.inferenceMs);
    total.push(r.featureMs + r.inferenceMs);
  }
  recognizer.dispose();
  const stats = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    return {
      p50: +percentile(s, 0.5).toFixed(2),
      p95: +percentile(s, 0.95).toFixed(2),
      max: +s[s.length - 1].toFixed(2),
    };
  };
  return {
    model: dir,
    kind: recognizer.info.inputKind,
    utterances: utterances.length,
    featureMs: stats(feature),
    inferenceMs: stats(inference),
    totalMs: stats(total),
  };
}

if (require.main === module) {
  const [dir, n] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: bench-live-path.ts <model dir> [utterances=200]\n');
    process.exit(2);
  }
  benchLivePath(dir, Number(n ?? 200)).then(
    (r) => process.stdout.write(JSON.stringify(r) + '\n'),
    (e) => {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
