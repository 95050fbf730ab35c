import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LstmSampleRunner, type LstmBatchArrays } from './lstm-sample-runner';
import { weightLayout } from './lstm-sample-math';
import { splitSamples } from './split-samples';
import { relativeError, seededUniform } from '../testing/numeric';

/** A small float64 problem with holes in the mask (so masked steps are crossed both ways). */
function problem(
  returnSequences: boolean,
  seed: number,
): LstmBatchArrays & { r: Float64Array; weights: Float64Array; x: Float64Array } {
  const rnd = seededUniform(seed);
  const batch = 3,
    steps = 13,
    inputSize = 2,
    units = 3;
  const lay = weightLayout(inputSize, units);
  const weights = Float64Array.from({ length: lay.size }, () => rnd() - 0.5);
  const x = Float64Array.from({ length: batch * steps * inputSize }, () => 2 * rnd() - 1);
  const mask = Uint8Array.from({ length: batch * steps }, (_, i) => (i % steps === 0 || rnd() > 0.3 ? 1 : 0));
  mask.fill(0, 2 * steps + 9, 3 * steps); // the last sample ends in padding
  const outSize = batch * (returnSequences ? steps : 1) * units;
  const r = Float64Array.from({ length: outSize }, () => 2 * rnd() - 1);
  return { callId: 1, batch, steps, inputSize, units, returnSequences, weights, x, mask, float64: true, r };
}

const ALL = (batch: number) => Int32Array.from({ length: batch }, (_, i) => i);

/** L = sum(output * r), computed with a fresh runner. */
function loss(p: ReturnType<typeof problem>): number {
  const out = new Float64Array(p.r.length);
  new LstmSampleRunner().forward({ ...p, samples: ALL(p.batch), out });
  let s = 0;
  for (let i = 0; i < out.length; i++) s += out[i] * p.r[i];
  return s;
}

function analyticGrads(p: ReturnType<typeof problem>, runner = new LstmSampleRunner(), forwardFirst = true) {
  const out = new Float64Array(p.r.length);
  if (forwardFirst) runner.forward({ ...p, samples: ALL(p.batch), out });
  const dx = new Float64Array(p.x.length);
  const grads = new Float64Array(p.weights.length);
  runner.backward({ ...p, samples: ALL(p.batch), dOut: p.r, dx, grads });
  return { dx, grads };
}

for (const returnSequences of [false, true]) {
  test(`per-sample LSTM gradients match central finite differences in float64 (returnSequences=${returnSequences})`, () => {
    const p = problem(returnSequences, returnSequences ? 5 : 6);
    const { dx, grads } = analyticGrads(p);
    const h = 1e-6;
    const fd = (arr: Float64Array, i: number): number => {
      const keep = arr[i];
      arr[i] = keep + h;
      const up = loss(p);
      arr[i] = keep - h;
      const down = loss(p);
      arr[i] = keep;
      return (up - down) / (2 * h);
    };
    const numericW = Float64Array.from(p.weights, (_, i) => fd(p.weights, i));
    const numericX = Float64Array.from(p.x, (_, i) => fd(p.x, i));
    const errW = relativeError(grads, numericW);
    const errX = relativeError(dx, numericX);
    assert.ok(errW < 1e-7, `weights: relative error ${errW}`);
    assert.ok(errX < 1e-7, `inputs: relative error ${errX}`);
    // Masked steps get no input gradient at all.
    for (let i = 0; i < p.mask!.length; i++) {
      if (p.mask![i] === 0) for (let q = 0; q < p.inputSize; q++) assert.equal(dx[i * p.inputSize + q], 0);
    }
  });
}

test('a backward pass without its forward trace recomputes it and gives the same gradients', () => {
  const p = problem(true, 9);
  const kept = analyticGrads(p);
  const recomputed = analyticGrads(p, new LstmSampleRunner(), false);
  assert.deepEqual(recomputed.grads, kept.grads);
  assert.deepEqual(recomputed.dx, kept.dx);
});

test('splitSamples balances summed costs, keeps every sample once, and drops empty bins', () => {
  const costs = [17640, 9000, 8800, 300, 12000, 5000, 4000, 100];
  const bins = splitSamples(costs, 2);
  assert.equal(bins.length, 2);
  const all = [...bins[0], ...bins[1]].sort((a, b) => a - b);
  assert.deepEqual(all, [0, 1, 2, 3, 4, 5, 6, 7]);
  const load = bins.map((b) => Array.from(b).reduce((s, i) => s + costs[i], 0));
  // Longest-first greedy is within 4/3 of the best split.
  const ideal = costs.reduce((s, c) => s + c, 0) / 2;
  assert.ok(Math.max(...load) <= (4 / 3) * ideal, `loads ${load}`);
  assert.deepEqual(
    splitSamples([5], 4).map((b) => Array.from(b)),
    [[0]],
  );
});
