/**
 * Featurisation benchmark (issue: foundation, section 5). Prints seconds and clips per second beside
 * librosa 0.9.2's figures on this 2-core machine (../shared/reference/librosa/timing.json):
 *  (a) 2,000 clips: load + resample + pad + log-mel;
 *  (b) the model-4 feature set: 1,600 clips x 9 augmentations + 400 test clips, cold cache.
 * Usage: npx nx run tools:bench-features [-- --data <folder|zip>] [--threads N]
 */
import os from 'node:os';
import { readDataset, resolveDataSource, stratifiedSplit } from '@digits/dataset';
import { DEFAULT_FEATURE_CONFIG, NOTEBOOK_AUGMENTATIONS, featurizeClips } from '@digits/features';
import { availableThreads } from '@digits/threads';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const source = await resolveDataSource({ flag: arg('--data') });
  const threads = Number(arg('--threads') ?? availableThreads());
  const data = await readDataset(source);
  const { train, test } = stratifiedSplit(data.clips, {});
  console.log(
    `bench-features: ${data.clips.length} clips from ${source.path}; ${threads} worker thread(s); ${os.cpus().length} cores`,
  );
  const config = DEFAULT_FEATURE_CONFIG;

  // (a) every clip once: load + resample + pad + log-mel (no cache).
  let t0 = performance.now();
  await featurizeClips(data.clips, { config, threads, cacheDir: null });
  const a = (performance.now() - t0) / 1000;

  // (b) model 4's features, cold: 9 augmentations of each training clip, the test clips as they are.
  t0 = performance.now();
  await featurizeClips(train, { config, threads, cacheDir: null, augmentations: NOTEBOOK_AUGMENTATIONS });
  await featurizeClips(test, { config, threads, cacheDir: null });
  const b = (performance.now() - t0) / 1000;
  const bClips = train.length * 9 + test.length;

  // librosa 0.9.2, one core (timing.json): load ~15-17 ms/clip, pad+mel+dB 2-9 ms, 9 augmentations ~100-130 ms/clip.
  const refA = `librosa ~${((2000 * (15 + 2)) / 1000).toFixed(0)}-${((2000 * (17 + 9)) / 1000).toFixed(0)} s (one core)`;
  const refB = 'librosa ~4 min (one core); goal <= 30 s on 2 cores';
  console.log('');
  console.log('case                                   seconds   clips/s   reference');
  console.log(
    `(a) ${data.clips.length} clips load+resample+pad+log-mel  ${a.toFixed(2).padStart(7)}  ${(data.clips.length / a).toFixed(0).padStart(8)}   ${refA}`,
  );
  console.log(
    `(b) model-4 set (${train.length}x9 + ${test.length}), cold  ${b.toFixed(2).padStart(7)}  ${(bClips / b).toFixed(0).padStart(8)}   ${refB}`,
  );
}

main().catch((err) => {
  console.error(`bench-features: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
