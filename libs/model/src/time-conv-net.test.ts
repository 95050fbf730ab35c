import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_FEATURE_CONFIG } from '@digits/features';
import { initBackend } from './backend/init-backend';
import { loadModelDir, saveModelDir } from './io/model-dir';
import { bandsBelow, buildModel5, digitsOnlyModel } from './time-conv-net';

const config = DEFAULT_FEATURE_CONFIG;

test('model 5 takes the live (64, 35) log-mel and gives 10 probabilities, with 114,744 parameters', async () => {
  await initBackend({ log: () => undefined });
  const model = buildModel5(config, { seed: 1 });
  assert.deepEqual(model.inputs[0].shape, [null, 64, 35]);
  assert.deepEqual(model.outputs[0].shape, [null, 10]);
  assert.equal(model.countParams(), 114_744);
  assert.equal(bandsBelow(config, 4000), 45); // bands above FSDD's 4 kHz Nyquist are cut inside the model
  const p = model.predict(tf.fill([2, 64, 35], -40)) as tf.Tensor;
  const sums = tf.sum(p, -1).arraySync() as number[];
  sums.forEach((s) => assert.ok(Math.abs(s - 1) < 1e-4));
  model.dispose();
});

test('an 11-class model 5 is saved with the ten digit probabilities of its 11-way softmax, and loads', async () => {
  await initBackend({ log: () => undefined });
  const model = buildModel5(config, { seed: 2, classes: 11 });
  const digits = digitsOnlyModel(model);
  assert.deepEqual(digits.outputs[0].shape, [null, 10]);
  const x = tf.randomUniform([3, 64, 35], -80, 0, 'float32', 4);
  const full = (model.predict(x) as tf.Tensor).arraySync() as number[][];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'model5-digits-'));
  try {
    await saveModelDir(digits, dir, {
      featureConfig: config,
      labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    });
    const loaded = await loadModelDir(dir);
    const ten = (loaded.model.predict(x) as tf.Tensor).arraySync() as number[][];
    ten.forEach((row, r) => row.forEach((p, d) => assert.ok(Math.abs(p - full[r][d]) < 1e-5)));
    loaded.model.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    model.dispose();
  }
});

test("bandsBelow: the Slaney mel bands kept below a frequency (the same counts as before dsp's hzToMel replaced its own copy)", () => {
  assert.deepEqual(
    [1000, 2000, 3000, 4000, 5000, 8000].map((hz) => bandsBelow(config, hz)),
    [19, 32, 40, 45, 50, 58],
  );
  assert.equal(bandsBelow({ ...config, sampleRate: 16000, nMels: 40 }, 4000), 31);
});
