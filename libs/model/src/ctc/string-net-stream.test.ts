import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { seededUniform } from '@digits/dsp';
import { initBackend } from '../backend/init-backend';
import { buildStringModel, STRING_CLASSES, stringFrameProbs } from './string-model';
import { StringNetStream, stringNetWeights } from './string-net-stream';

before(async () => {
  await initBackend();
});

it('StringNetStream gives, frame by frame, the probabilities the tfjs model gives on the whole sequence', () => {
  for (const opts of [{ seed: 3 }, { seed: 5, widths: [32, 48], dilations: [1, 3], projection: 40 }]) {
    const { model } = buildStringModel({ ...opts, dropout: 0 });
    const weights = stringNetWeights(model);
    assert.ok(weights, 'the network built by buildStringModel steps in JS');
    const rnd = seededUniform(opts.seed);
    const frames = 40;
    const x = Float32Array.from({ length: frames * 96 }, () => 2 * rnd() - 1);
    const batch = stringFrameProbs(model, x, frames);
    const stream = new StringNetStream(weights);
    let worst = 0;
    for (let t = 0; t < frames; t++) {
      const p = stream.push(x.subarray(t * 96, (t + 1) * 96));
      assert.equal(p.length, STRING_CLASSES);
      for (let c = 0; c < STRING_CLASSES; c++) worst = Math.max(worst, Math.abs(p[c] - batch[t * STRING_CLASSES + c]));
    }
    assert.ok(worst < 1e-5, `largest difference ${worst}`);
    model.dispose();
  }
});

it('stringNetWeights refuses a network of other layers (the stream then runs tfjs over the window)', () => {
  const input = tf.input({ shape: [null, 96] });
  const out = tf.layers.lstm({ units: 4, returnSequences: true }).apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  assert.equal(stringNetWeights(model), undefined);
  model.dispose();
});
