import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend/init-backend';
import { fusedLstmOp } from './fused-lstm-op';
import { availableThreads } from '@digits/threads';
import { lstmThreadPool, lstmThreadsReady, setLstmThreads, stopLstmThreads } from './lstm-thread-pool';
import { weightLayout } from './lstm-sample-math';
import { randomArray, relativeError } from '../testing/numeric';

before(async () => {
  await initBackend({ prefer: 'wasm', log: () => {} });
  assert.equal(await setLstmThreads(2), 2, 'the main thread and one worker');
});
after(async () => {
  await stopLstmThreads();
});

const B = 5,
  T = 50,
  D = 2,
  N = 8;

function outputAndGrads(kernel: 'samples' | 'steps', threads: boolean): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor3d(randomArray(B * T * D, 1), [B, T, D]);
    const k = tf.tensor2d(randomArray(D * 4 * N, 2, -0.5, 0.5), [D, 4 * N]);
    const r = tf.tensor2d(randomArray(N * 4 * N, 3, -0.5, 0.5), [N, 4 * N]);
    const b = tf.tensor1d(randomArray(4 * N, 4, -0.5, 0.5));
    const maskValues = new Float32Array(B * T);
    for (let s = 0; s < B; s++) maskValues.fill(1, s * T, s * T + 10 + 8 * s); // different real lengths
    const mask = tf.tensor2d(maskValues, [B, T]);
    const weights = tf.tensor(randomArray(B * T * N, 5), [B, T, N]);
    const opts = { units: N, returnSequences: true, kernel, threads, minThreadedWork: 0 };
    const f = (xx: tf.Tensor, kk: tf.Tensor, rr: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.mul(fusedLstmOp(xx, kk, rr, bb, mask, opts), weights));
    const out = fusedLstmOp(x, k, r, b, mask, opts);
    const grads = tf.grads(f)([x, k, r, b]);
    return [out, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

for (const kernel of ['samples', 'steps'] as const) {
  test(`the batch split over worker threads gives the in-thread results (${kernel} kernel)`, () => {
    const single = outputAndGrads(kernel, false);
    const threaded = outputAndGrads(kernel, true);
    assert.equal(lstmThreadPool().threadCount, 2);
    for (let i = 0; i < single.length; i++) {
      const err = relativeError(threaded[i], single[i]);
      assert.ok(err <= 1e-6, `array ${i}: relative error ${err}`);
    }
  });
}

test('a failing worker task surfaces as an error in the calling thread', () => {
  const lay = weightLayout(1, 2);
  const base = {
    callId: 999,
    batch: 2,
    steps: 3,
    inputSize: 1,
    units: 2,
    returnSequences: false,
    float64: false,
    x: new Float32Array(new SharedArrayBuffer(4 * 6)),
    mask: null,
    out: new Float32Array(new SharedArrayBuffer(4 * 4)),
  };
  const good = { ...base, weights: new Float32Array(new SharedArrayBuffer(4 * lay.size)), samples: Int32Array.of(0) };
  const bad = { ...base, weights: new Float32Array(new SharedArrayBuffer(4)), samples: Int32Array.of(1) };
  assert.throws(
    () => lstmThreadPool().forward([good, bad]),
    new RegExp(`LSTM worker thread failed: .*expected ${lay.size} packed values, got 1`),
  );
});

test('lstmThreadsReady starts the default pool and resolves once every worker is ready', async () => {
  await stopLstmThreads();
  assert.equal(lstmThreadPool().threadCount, 1, 'no workers after stop');
  const threads = await lstmThreadsReady();
  assert.equal(threads, availableThreads());
  assert.equal(lstmThreadPool().threadCount, availableThreads(), 'ready means started, not starting');
  assert.equal(await lstmThreadsReady(), threads, 'a second call changes nothing');
});
