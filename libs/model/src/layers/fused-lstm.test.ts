import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend/init-backend';
import { setLstmThreads } from '../lstm/lstm-thread-pool';
import { relativeError } from '../testing/numeric';
import { runLstmCase, type LstmCase } from '../testing/lstm-reference';
import { FusedLstm } from './fused-lstm';

before(async () => {
  await initBackend({ prefer: 'wasm', log: () => {} });
  await setLstmThreads(1); // threads have their own test
});

const NAMES = ['x', 'kernel', 'recurrent kernel', 'bias'];

function assertMatchesStock(c: LstmCase, strategy: 'samples' | 'steps'): void {
  const stock = runLstmCase(c, 'stock');
  const fused = runLstmCase(c, strategy);
  const outErr = relativeError(fused.output, stock.output);
  assert.ok(outErr <= 1e-5, `output: relative error ${outErr}`);
  for (let i = 0; i < 4; i++) {
    const err = relativeError(fused.grads[i], stock.grads[i]);
    assert.ok(err <= 1e-5, `gradient w.r.t. ${NAMES[i]}: relative error ${err}`);
  }
}

for (const strategy of ['samples', 'steps'] as const) {
  for (const returnSequences of [false, true]) {
    for (const mask of ['none', 'lengths', 'holes'] as const) {
      test(`fused LSTM (${strategy}) matches tf.layers.lstm: returnSequences=${returnSequences}, mask=${mask}`, () => {
        const before = tf.memory().numTensors;
        assertMatchesStock({ batch: 4, steps: 45, inputSize: 3, units: 6, returnSequences, mask, seed: 17 }, strategy);
        assert.equal(tf.memory().numTensors, before, 'no tensors leak');
      });
    }
  }
}

test("fused LSTM matches tf.layers.lstm at the raw model's shape (1 feature, 25 units, 60 steps)", () => {
  assertMatchesStock(
    { batch: 5, steps: 60, inputSize: 1, units: 25, returnSequences: false, mask: 'lengths', seed: 3 },
    'samples',
  );
});

test("fused LSTM matches tf.layers.lstm at the spectrogram model's width (35 features, 256 units)", () => {
  assertMatchesStock(
    { batch: 3, steps: 12, inputSize: 35, units: 256, returnSequences: true, mask: 'none', seed: 5 },
    'steps',
  );
});

test("FusedLstm has tf.keras's LSTM parameter count and initial bias (unit forget bias)", () => {
  const layer = new FusedLstm({ units: 25 });
  const x = tf.input({ shape: [100, 1] });
  const y = layer.apply(x) as tf.SymbolicTensor;
  assert.deepEqual(y.shape, [null, 25]);
  assert.equal(layer.countParams(), 2700);
  const bias = layer.getWeights()[2].dataSync();
  assert.deepEqual(Array.from(bias.slice(0, 25)), new Array(25).fill(0));
  assert.deepEqual(Array.from(bias.slice(25, 50)), new Array(25).fill(1));
  assert.deepEqual(Array.from(bias.slice(50)), new Array(50).fill(0));
  const seq = new FusedLstm({ units: 256, returnSequences: true });
  const y2 = seq.apply(tf.input({ shape: [64, 35] })) as tf.SymbolicTensor;
  assert.deepEqual(y2.shape, [null, 64, 256]);
  assert.equal(seq.countParams(), 299008);
});
