// Times the live path of a saved model, one utterance at a time, exactly as apps/live's model-runner runs
// it (padClip + clipLogMel, then predictProbs on a batch of one):
//   node tools/run-ts.mjs apps/trainer/src/model5/bench-live-path.ts <model dir> [utterances=200]
// Utterances are FSDD clips (already resampled to the model's rate, as the live pipeline delivers them).
import { readDataset, resolveDataSource } from '@digits/dataset';
import { clipLogMel, loadClip, logMelSize, padClip } from '@digits/features';
import { initBackend, loadModelDir, predictProbs, toModelInputs } from '@digits/model';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** p50/p95/max of features, inference and their sum over `count` utterances, in ms. */
export async function benchLivePath(dir: string, count: number, data?: string) {
  await initBackend({ log: () => undefined });
  const { model, featureConfig: config } = await loadModelDir(dir);
  const clips = (await readDataset(await resolveDataSource({ flag: data }))).clips;
  const step = Math.max(1, Math.floor(clips.length / count));
  const utterances = clips
    .filter((_, i) => i % step === 0)
    .slice(0, count)
    .map((c) => loadClip(c.bytes, config, c.name));
  const rowSize = logMelSize(config);
  const feature: number[] = [];
  const inference: number[] = [];
  const total: number[] = [];
  // Warm-up, as the live app does at load.
  await predictProbs(
    model,
    () =>
      toModelInputs(
        'logmel',
        { x: clipLogMel(padClip(new Float32Array(config.length), config), config), n: 1, rowSize },
        0,
        1,
        config,
      ),
    1,
    1,
  );
  for (const samples of utterances) {
    const t0 = performance.now();
    const x = clipLogMel(padClip(samples, config), config);
    const t1 = performance.now();
    await predictProbs(model, () => toModelInputs('logmel', { x, n: 1, rowSize }, 0, 1, config), 1, 1);
    const t2 = performance.now();
    feature.push(t1 - t0);
    inference.push(t2 - t1);
    total.push(t2 - t0);
  }
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
