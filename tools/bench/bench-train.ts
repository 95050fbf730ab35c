/**
 * Training-speed benchmark (issue: trainer). For each experiment, times real training batches on the
 * real features (the notebook's batch sizes, Adam, the fused LSTM) and extrapolates seconds per
 * training epoch; also times the per-epoch evaluation (predict on the whole train and test sets) that
 * the notebook's F1 callback adds. Prints them beside PyTorch 1.13 on this machine and the goals.
 *
 * Usage: npx nx run tools:bench-train [-- --experiments 1,2,3,4] [--batches N] [--data <folder|zip>]
 * Raw experiments' cost follows each clip's real length (masked steps are skipped), so batches are
 * drawn from the shuffled real training rows, as training sees them.
 */
import * as tf from '@tensorflow/tfjs';
import { readDataset, resolveDataSource, seededShuffle, stratifiedSplit } from '@digits/dataset';
import {
  DEFAULT_FEATURE_CONFIG,
  NOTEBOOK_AUGMENTATIONS,
  defaultCacheDir,
  featurizeClips,
  logMelSize,
} from '@digits/features';
import {
  KerasAdam,
  buildModelForInput,
  initBackend,
  predictProbs,
  setLstmThreads,
  sparseCategoricalCrossentropy,
  stopLstmThreads,
  toModelInputs,
  type InputKind,
  type InputRows,
} from '@digits/model';

interface Bench {
  id: number;
  input: Exclude<InputKind, 'embedding'>;
  augment: boolean;
  batch: number;
  lr: number;
  /** PyTorch 1.13 CPU, 2 threads, seconds per epoch (../shared/notes/tfjs-in-node.md). */
  pytorch: string;
  goal: number;
}

const BENCHES: Bench[] = [
  { id: 1, input: 'raw', augment: false, batch: 8, lr: 1e-3, pytorch: '~900 s', goal: 60 },
  { id: 2, input: 'logmel', augment: false, batch: 16, lr: 5e-4, pytorch: '~10 s', goal: 15 },
  { id: 3, input: 'raw', augment: true, batch: 8, lr: 1e-3, pytorch: '~8,100 s', goal: 480 },
  { id: 4, input: 'logmel', augment: true, batch: 64, lr: 5e-4, pytorch: '~44 s', goal: 60 },
];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const wanted = (arg('--experiments') ?? '1,2,3,4').split(',').map(Number);
  const source = await resolveDataSource({ flag: arg('--data') });
  const { clips } = await readDataset(source);
  const { train, test } = stratifiedSplit(clips, { seed: 33 });
  const backend = await initBackend({ log: () => undefined });
  const threads = await setLstmThreads();
  console.log(`bench-train: ${backend.detail}; fused LSTM on ${threads} thread(s); data ${source.path}`);
  const config = DEFAULT_FEATURE_CONFIG;
  const rows: string[] = [];
  for (const b of BENCHES.filter((x) => wanted.includes(x.id))) {
    const feats = await featurizeClips(train, {
      config,
      augmentations: b.augment ? NOTEBOOK_AUGMENTATIONS : [],
      logMels: true,
      signals: b.input === 'raw',
      cacheDir: defaultCacheDir(),
    });
    const rowSize = b.input === 'raw' ? config.length : logMelSize(config);
    const data: InputRows = {
      x: b.input === 'raw' ? feats.signals! : feats.logMels!,
      n: train.length * feats.variants,
      rowSize,
    };
    const batchesPerEpoch = Math.ceil(data.n / b.batch);
    const timed = Math.min(batchesPerEpoch, Number(arg('--batches') ?? (b.input === 'raw' ? 12 : 30)));
    const model = buildModelForInput(b.input, config, { seed: 1 });
    const opt = new KerasAdam({ learningRate: b.lr });
    const order = seededShuffle(
      Array.from({ length: data.n }, (_, i) => i),
      7,
    );
    const labels = tf.tensor1d(new Int32Array(b.batch), 'int32');
    const step = (k: number) => {
      const idx = order.slice(k * b.batch, (k + 1) * b.batch);
      const x = new Float32Array(idx.length * rowSize);
      idx.forEach((r, j) => x.set(data.x.subarray(r * rowSize, (r + 1) * rowSize), j * rowSize));
      const inputs = toModelInputs(b.input, { x, n: idx.length, rowSize }, 0, idx.length, config);
      const cost = opt.minimize(
        () =>
          tf.mean(
            sparseCategoricalCrossentropy(labels, model.apply(inputs, { training: true }) as tf.Tensor),
          ) as tf.Scalar,
        true,
      )!;
      cost.dataSync();
      tf.dispose([cost, inputs]);
    };
    step(0); // warm-up (kernel compilation, thread start)
    const t0 = performance.now();
    for (let k = 1; k <= timed; k++) step(k % batchesPerEpoch);
    const perBatch = (performance.now() - t0) / 1000 / timed;
    const epoch = perBatch * batchesPerEpoch;
    // The F1 callback: predict the whole train and test sets once per epoch (timed on a sample).
    const sample = Math.min(data.n, b.input === 'raw' ? 64 : 640);
    const t1 = performance.now();
    await predictProbs(model, (s, n) => toModelInputs(b.input, data, s, n, config), sample, 32);
    const evalSeconds = ((performance.now() - t1) / 1000 / sample) * (data.n + test.length);
    model.dispose();
    opt.dispose();
    labels.dispose();
    const line =
      `model ${b.id}: ${epoch.toFixed(1)} s per training epoch (${data.n} rows, batch ${b.batch}, ` +
      `${(perBatch * 1000).toFixed(0)} ms/batch over ${timed} batches) + ${evalSeconds.toFixed(1)} s F1 evaluation | ` +
      `PyTorch 1.13 ${b.pytorch} | goal <= ${b.goal} s: ${epoch <= b.goal ? 'met' : 'missed'}`;
    console.log(line);
    rows.push(line);
  }
  await stopLstmThreads();
}

main().catch((err) => {
  console.error(`bench-train: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
