import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_FEATURE_CONFIG } from '@digits/features';
import { initBackend } from '../backend/init-backend';
import { buildRawModel, buildSpectrogramModel } from '../architectures';
import { KerasAdam } from '../training/keras-adam';
import { saveModelDir, loadModelDir } from './model-dir';
import { saveCheckpoint, loadCheckpoint } from './checkpoint';

const LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
let tmp: string;

before(async () => {
  await initBackend({ prefer: 'wasm', log: () => {} });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-dir-'));
});

function predict(model: tf.LayersModel, inputs: tf.Tensor | tf.Tensor[]): number[] {
  return tf.tidy(() => Array.from((model.predict(inputs) as tf.Tensor).dataSync()));
}

test('a saved raw model (fused LSTM, bool mask) loads again with the same outputs, config and labels', async () => {
  const steps = 50;
  const model = buildRawModel({ steps, seed: 3 });
  const dir = path.join(tmp, 'raw');
  const config = { ...DEFAULT_FEATURE_CONFIG, length: steps };
  await saveModelDir(model, dir, { featureConfig: config, labels: LABELS, extra: { input: 'raw' } });
  assert.deepEqual(fs.readdirSync(dir).sort(), [
    'features.json',
    'labels.json',
    'meta.json',
    'model.json',
    'weights.bin',
  ]);
  const x = tf.randomNormal([2, steps, 1], 0, 1, 'float32', 1);
  const mask = tf.tensor2d(
    Array.from({ length: 2 * steps }, (_, i) => i % steps < 30 + (i >= steps ? 10 : 0)),
    [2, steps],
    'bool',
  );
  const before = predict(model, [x, mask]);
  const loaded = await loadModelDir(dir);
  assert.deepEqual(loaded.featureConfig, config);
  assert.deepEqual(loaded.labels, LABELS);
  assert.deepEqual(loaded.meta, { input: 'raw' });
  assert.equal(loaded.model.countParams(), 4510);
  assert.deepEqual(predict(loaded.model, [x, mask]), before);
  // Saving again over the folder replaces it atomically (no leftovers).
  await saveModelDir(loaded.model, dir, { featureConfig: config, labels: LABELS });
  assert.deepEqual(
    fs.readdirSync(tmp).filter((n) => n.startsWith('raw')),
    ['raw'],
  );
  tf.dispose([x, mask]);
});

test('missing, truncated or inconsistent model folders give errors naming the file', async () => {
  await assert.rejects(loadModelDir(path.join(tmp, 'nope')), /nope: no such folder/);
  const model = buildSpectrogramModel({ bands: 4, frames: 3, units: 4, denseUnits: 4 });
  const dir = path.join(tmp, 'spec');
  await saveModelDir(model, dir, { featureConfig: DEFAULT_FEATURE_CONFIG, labels: LABELS });
  const bin = path.join(dir, 'weights.bin');
  const weights = fs.readFileSync(bin);
  fs.writeFileSync(bin, weights.subarray(0, 10));
  await assert.rejects(loadModelDir(dir), /weights\.bin: 10 bytes, but model\.json describes/);
  fs.writeFileSync(bin, weights);
  fs.writeFileSync(path.join(dir, 'labels.json'), '["a","b"]');
  await assert.rejects(loadModelDir(dir), /labels\.json: 2 labels for a model with 10 outputs/);
  fs.writeFileSync(path.join(dir, 'features.json'), '{oops');
  await assert.rejects(loadModelDir(dir), /features\.json: not valid JSON/);
  fs.rmSync(path.join(dir, 'model.json'));
  await assert.rejects(loadModelDir(dir), /missing model\.json/);
});

test('a checkpoint restores weights, optimizer state and extra, so training continues identically', async () => {
  const build = () => buildSpectrogramModel({ bands: 5, frames: 4, units: 6, denseUnits: 8, seed: 1 });
  const x = tf.randomNormal([6, 5, 4], 0, 1, 'float32', 2);
  const y = tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32');
  const step = (m: tf.LayersModel, opt: tf.Optimizer) =>
    opt.minimize(() => tf.mean(tf.losses.softmaxCrossEntropy(tf.oneHot(y, 10), m.apply(x) as tf.Tensor)) as tf.Scalar);
  const a = build();
  const optA = new KerasAdam({ learningRate: 0.01 });
  step(a, optA);
  step(a, optA);
  const dir = path.join(tmp, 'ckpt');
  assert.equal(await loadCheckpoint(dir, a, optA), undefined);
  await saveCheckpoint(dir, a, optA, { epoch: 2, note: 'x' });
  step(a, optA);
  const b = build();
  const optB = new KerasAdam({ learningRate: 0.01 });
  const restored = await loadCheckpoint(dir, b, optB);
  assert.deepEqual(restored?.extra, { epoch: 2, note: 'x' });
  assert.equal(optB.iterations, 2);
  step(b, optB);
  const wa = a.getWeights().map((t) => Array.from(t.dataSync()));
  const wb = b.getWeights().map((t) => Array.from(t.dataSync()));
  assert.deepEqual(wb, wa);
  const other = buildSpectrogramModel({ bands: 5, frames: 4, units: 7, denseUnits: 8 });
  await assert.rejects(loadCheckpoint(dir, other, new KerasAdam()), /weight .* has shape/);
});

test('a features.json or meta.json that does not fit the model is refused at load, naming the file or field', async () => {
  const model = buildSpectrogramModel({ bands: 4, frames: 3, units: 4, denseUnits: 4 });
  const dir = path.join(tmp, 'fit');
  // 3 frames: 1 + floor(length / hop)
  const config = { ...DEFAULT_FEATURE_CONFIG, nMels: 4, length: 2 * DEFAULT_FEATURE_CONFIG.hopLength };
  await saveModelDir(model, dir, {
    featureConfig: config,
    labels: LABELS,
    extra: { input: 'logmel', unknownThreshold: 0.7 },
  });
  const loaded = await loadModelDir(dir);
  assert.equal(loaded.inputKind, 'logmel');
  assert.equal(loaded.meta.unknownThreshold, 0.7);
  const features = path.join(dir, 'features.json');
  fs.writeFileSync(features, JSON.stringify({ ...config, length: 1e9 }));
  await assert.rejects(
    loadModelDir(dir),
    /fit: a logmel model for features\.json \(nMels 4, length 1000000000\) must take \[null,4,\d+\], this one takes \[null,4,3\]/,
  );
  fs.writeFileSync(features, JSON.stringify({ ...config, nMels: 40 }));
  await assert.rejects(loadModelDir(dir), /nMels 40.*must take \[null,40,3\], this one takes \[null,4,3\]/);
  // A malformed features.json is refused by its schema, naming the file and the field.
  fs.writeFileSync(features, JSON.stringify({ ...config, nMels: '4' }));
  await assert.rejects(loadModelDir(dir), /fit\/features\.json: field "nMels" must be a positive number, got "4"/);
  fs.writeFileSync(features, JSON.stringify({ ...config, hop: 512 }));
  await assert.rejects(loadModelDir(dir), /fit\/features\.json: unknown field "hop"/);
  fs.writeFileSync(features, JSON.stringify(config));
  const meta = path.join(dir, 'meta.json');
  fs.writeFileSync(meta, JSON.stringify({ unknownThreshold: 'high' }));
  await assert.rejects(loadModelDir(dir), /fit\/meta\.json: field "unknownThreshold": Expected number/);
  fs.writeFileSync(meta, JSON.stringify({ input: 'wave' }));
  await assert.rejects(loadModelDir(dir), /fit\/meta\.json: field "input"/);
  fs.writeFileSync(meta, '{oops');
  await assert.rejects(loadModelDir(dir), /fit\/meta\.json: not valid JSON/);
  fs.writeFileSync(meta, JSON.stringify({ input: 'raw' }));
  await assert.rejects(loadModelDir(dir), /fit: a raw model for features\.json/);
  fs.rmSync(meta);
  assert.deepEqual((await loadModelDir(dir)).meta, {});
});
