import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from './backend/init-backend';
import { buildRawModel, buildSpectrogramModel } from './architectures';
import { buildModelForInput } from './model-inputs';
import { modelSummary } from './model-summary';
import { DEFAULT_FEATURE_CONFIG } from '@digits/features';

before(async () => {
  await initBackend({ prefer: 'wasm', log: () => {} });
});

function layerParams(model: ReturnType<typeof buildRawModel>): Record<string, number> {
  return Object.fromEntries(model.layers.map((l) => [l.name, l.countParams()]));
}

test("the raw model has Keras's shapes and 4,510 parameters (LSTM 2,700; Dense 1,300; Dense 510)", () => {
  const model = buildRawModel();
  assert.equal(model.countParams(), 4510);
  assert.deepEqual(layerParams(model), { input_1: 0, input_2: 0, lstm: 2700, dense: 1300, dense_1: 510 });
  assert.deepEqual(
    model.inputs.map((i) => i.shape),
    [
      [null, 17640, 1],
      [null, 17640],
    ],
  );
  assert.equal(model.inputs[1].dtype, 'bool');
  assert.deepEqual(model.outputs[0].shape, [null, 10]);
  const summary = modelSummary(model);
  assert.match(summary, /Total params: 4,510/);
  assert.match(summary, /lstm \(FusedLSTM\)\s+\(None, 25\)\s+2700/);
  model.dispose();
});

test("the spectrogram model has Keras's shapes and 318,218 parameters (LSTM 299,008; Dense 16,640; Dense 2,570)", () => {
  const model = buildSpectrogramModel();
  assert.equal(model.countParams(), 318218);
  assert.deepEqual(layerParams(model), {
    input_1: 0,
    lstm: 299008,
    'tf.math.reduce_mean': 0,
    dense: 16640,
    dense_1: 2570,
  });
  assert.deepEqual(model.inputs[0].shape, [null, 64, 35]);
  assert.deepEqual(model.layers[1].outputShape, [null, 64, 256]);
  assert.deepEqual(model.layers[2].outputShape, [null, 64]);
  assert.match(modelSummary(model), /Total params: 318,218/);
  model.dispose();
});

test('the same seed gives the same initial weights, another seed others', () => {
  const weights = (seed: number) => {
    const m = buildModelForInput('logmel', { ...DEFAULT_FEATURE_CONFIG, nMels: 8 }, { seed });
    const w = m.getWeights().map((t) => Array.from(t.dataSync()));
    m.dispose();
    return w;
  };
  const a = weights(5);
  assert.deepEqual(weights(5), a);
  assert.notDeepEqual(weights(6)[0], a[0]);
});
