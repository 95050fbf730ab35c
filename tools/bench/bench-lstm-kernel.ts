/**
 * Single-thread benchmark of the fused LSTM's per-sample kernels: the JS loops (lstm-sample-math.ts)
 * versus the WebAssembly SIMD kernel (libs/model/src/lstm/wasm), at the raw model's shape (25 units,
 * 1 feature, one unmasked 17,640-step clip). Times forward + backward (a training step's work, through
 * tf.grads) and forward only (evaluation), through the FusedLstm layer as the models call it, and prints
 * the medians and the ratio. The fused LSTM runs in this thread only (setLstmThreads(1)), so the ratio
 * holds on a loaded machine too. The kernel is switched with DIGITS_LSTM_WASM (read per call).
 *
 * Usage: npx nx run tools:bench-lstm-kernel [-- --repeats N] [--steps T] [--units n] [--batch B]
 */
import * as tf from '@tensorflow/tfjs';
import { seededUniform } from '@digits/dsp';
import { FusedLstm, initBackend, setLstmThreads, stopLstmThreads } from '@digits/model';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const repeats = arg('--repeats', 5);
  const steps = arg('--steps', 17640);
  const units = arg('--units', 25);
  const batch = arg('--batch', 1);
  const backend = await initBackend({ log: () => undefined });
  await setLstmThreads(1);
  const rnd = seededUniform(1);
  const signal = Float32Array.from({ length: batch * steps }, (_, t) => 0.3 * Math.sin(t / 7) + 0.05 * (2 * rnd() - 1));
  const x = tf.tensor3d(signal, [batch, steps, 1]);
  const layer = new FusedLstm({ units, strategy: 'samples' });
  layer.apply(x); // build (glorot-uniform / orthogonal weights, unit forget bias)
  const loss = (input: tf.Tensor) => tf.sum(layer.apply(input) as tf.Tensor) as tf.Scalar;
  const train = () => {
    const t0 = performance.now();
    const g = tf.grads(loss)([x]);
    g[0].dataSync();
    tf.dispose(g);
    return performance.now() - t0;
  };
  const forward = () => {
    const t0 = performance.now();
    const y = layer.apply(x) as tf.Tensor;
    y.dataSync();
    y.dispose();
    return performance.now() - t0;
  };

  console.log(
    `bench-lstm-kernel: ${backend.detail}; FusedLstm(${units}) on ${batch} clip(s) of ${steps} steps, 1 feature, ` +
      `no mask; median of ${repeats} runs; fused LSTM in one thread`,
  );
  const results: Record<string, { train: number; forward: number }> = {};
  for (const [name, env] of [
    ['JS loops', '0'],
    ['wasm SIMD', '1'],
  ] as const) {
    process.env.DIGITS_LSTM_WASM = env;
    train(); // warm-up: JIT, kernel compilation, trace memory
    forward();
    const tr: number[] = [];
    const fw: number[] = [];
    for (let r = 0; r < repeats; r++) {
      tr.push(train());
      fw.push(forward());
    }
    results[name] = { train: median(tr), forward: median(fw) };
    console.log(
      `${name.padEnd(10)} forward+backward ${results[name].train.toFixed(1).padStart(7)} ms | ` +
        `forward only ${results[name].forward.toFixed(1).padStart(7)} ms`,
    );
  }
  const js = results['JS loops'];
  const wasm = results['wasm SIMD'];
  console.log(
    `speed-up (JS / wasm): forward+backward ${(js.train / wasm.train).toFixed(2)}x | ` +
      `forward only ${(js.forward / wasm.forward).toFixed(2)}x`,
  );
  x.dispose();
  await stopLstmThreads();
}

main().catch((err) => {
  console.error(`bench-lstm-kernel: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
