/**
 * Training time of the spectrogram model (models 2 and 4) per epoch on random data, stock tfjs LSTM
 * versus the fused LSTM, on the backend initBackend() chooses.
 *
 *   node --import tsx libs/model/bench/bench-spectrogram.ts [--batch 16] [--clips 1600] [--batches 20]
 *     [--impl both|fused|stock] [--threads N]   (threads: the fused LSTM's, main thread included; default one per core)
 *
 * An epoch is extrapolated from `--batches` timed batches (after 2 warm-up batches) when that is fewer
 * than clips/batch.
 */
import * as tf from '@tensorflow/tfjs';
import {
  initBackend,
  buildSpectrogramModel,
  compileForExperiment,
  setLstmThreads,
  stopLstmThreads,
} from '../src/index';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const batch = Number(arg('batch', '16'));
  const clips = Number(arg('clips', '1600'));
  const maxBatches = Number(arg('batches', '20'));
  const impls =
    arg('impl', 'both') === 'both' ? (['fused', 'stock'] as const) : [arg('impl', 'fused') as 'fused' | 'stock'];
  await initBackend({ log: (s) => console.log(s) });
  const threads = await setLstmThreads(process.argv.includes('--threads') ? Number(arg('threads', '1')) : undefined);
  console.log(`fused LSTM threads: ${threads}`);
  const batchesPerEpoch = Math.ceil(clips / batch);
  const timed = Math.min(maxBatches, batchesPerEpoch);
  const x = new Float32Array(batch * 64 * 35).map(() => Math.random() * 80 - 80);
  const y = new Float32Array(batch).map(() => Math.floor(Math.random() * 10));
  for (const impl of impls) {
    const model = buildSpectrogramModel({ lstm: impl });
    compileForExperiment(model, { learningRate: 5e-4 });
    const xs = tf.tensor3d(x, [batch, 64, 35]);
    const ys = tf.tensor2d(y, [batch, 1]);
    for (let i = 0; i < 2; i++) await model.trainOnBatch(xs, ys);
    const t0 = performance.now();
    for (let i = 0; i < timed; i++) await model.trainOnBatch(xs, ys);
    const perBatch = (performance.now() - t0) / timed;
    console.log(
      `${impl.padEnd(5)} batch ${batch}: ${perBatch.toFixed(1)} ms/batch -> ${((perBatch * batchesPerEpoch) / 1000).toFixed(1)} s per epoch of ${clips} clips (${timed} batches timed)`,
    );
    tf.dispose([xs, ys]);
    model.dispose();
  }
  await stopLstmThreads();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
