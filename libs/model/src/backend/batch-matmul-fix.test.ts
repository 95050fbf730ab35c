import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './init-backend';
import {
  applyBatchMatMulTransposeFix,
  hasBatchMatMulTransposeFix,
  removeBatchMatMulTransposeFix,
} from './batch-matmul-fix';
import { randomArray, relativeError } from '../testing/numeric';

/** [batch dims of a, batch dims of b, m, k, n]: plain 2-D, batched, and broadcast batches. */
const CASES: [number[], number[], number, number, number][] = [
  [[], [], 5, 7, 3],
  [[4], [4], 6, 9, 5],
  [[2, 3], [2, 3], 3, 4, 8],
  [[3], [1], 5, 6, 7],
  [[1], [4], 2, 33, 17],
];

function product(aShape: number[], bShape: number[], tA: boolean, tB: boolean, seed: number): Float32Array {
  return tf.tidy(() => {
    const a = tf.tensor(
      randomArray(
        aShape.reduce((p, q) => p * q, 1),
        seed,
      ),
      aShape,
    );
    const b = tf.tensor(
      randomArray(
        bShape.reduce((p, q) => p * q, 1),
        seed + 1,
      ),
      bShape,
    );
    return tf.matMul(a, b, tA, tB).dataSync() as Float32Array;
  });
}

test("the fixed wasm BatchMatMul gives the original kernel's products for all flag combinations", async () => {
  const info = await initBackend({ prefer: 'wasm', log: () => {} });
  assert.equal(info.name, 'wasm');
  assert.ok(hasBatchMatMulTransposeFix(), 'initBackend installs the fix on wasm');
  let seed = 1;
  for (const [batchA, batchB, m, k, n] of CASES) {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        const aShape = [...batchA, ...(tA ? [k, m] : [m, k])];
        const bShape = [...batchB, ...(tB ? [n, k] : [k, n])];
        seed += 2;
        removeBatchMatMulTransposeFix();
        const expected = product(aShape, bShape, tA, tB, seed);
        applyBatchMatMulTransposeFix();
        const before = tf.memory().numTensors;
        const actual = product(aShape, bShape, tA, tB, seed);
        assert.equal(tf.memory().numTensors, before, 'no tensors leak');
        const err = relativeError(actual, expected);
        assert.ok(err <= 1e-4, `a ${aShape} b ${bShape} tA=${tA} tB=${tB}: relative error ${err}`);
      }
    }
  }
});

test('the fix is idempotent and its gradients match the stock kernel', async () => {
  await initBackend({ prefer: 'wasm', log: () => {} });
  assert.equal(applyBatchMatMulTransposeFix(), false, 'second application is a no-op');
  const a = tf.tensor(randomArray(4 * 6, 11), [4, 6]);
  const b = tf.tensor(randomArray(6 * 3, 12), [6, 3]);
  const grads = () =>
    tf
      .grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y).square().sum())([a, b])
      .map((g) => g.dataSync());
  const fixed = grads();
  removeBatchMatMulTransposeFix();
  const stock = grads();
  applyBatchMatMulTransposeFix();
  assert.ok(relativeError(fixed[0], stock[0]) <= 1e-5);
  assert.ok(relativeError(fixed[1], stock[1]) <= 1e-5);
  tf.dispose([a, b]);
});
