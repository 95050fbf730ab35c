import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LstmSampleRunner, type LstmBatchArrays } from './lstm-sample-runner';
import { weightLayout } from './lstm-sample-math';
import { relativeError, seededUniform } from '../testing/numeric';

/** A float32 batch with trailing padding and holes, as the raw model's batches have. */
function batch(returnSequences: boolean, seed: number): LstmBatchArrays & { dOut: Float32Array } {
  const rnd = seededUniform(seed);
  const b = 4,
    steps = 400,
    inputSize = 2,
    units = 7;
  const weights = Float32Array.from({ length: weightLayout(inputSize, units).size }, () => rnd() - 0.5);
  const x = Float32Array.from({ length: b * steps * inputSize }, () => rnd() - 0.5);
  const mask = Uint8Array.from({ length: b * steps }, () => (rnd() > 0.2 ? 1 : 0));
  mask.fill(0, steps + 250, 2 * steps);
  const dOut = Float32Array.from({ length: b * (returnSequences ? steps : 1) * units }, () => 2 * rnd() - 1);
  return { callId: 1, batch: b, steps, inputSize, units, returnSequences, weights, x, mask, float64: false, dOut };
}

const ALL = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

function run(runner: LstmSampleRunner, p: ReturnType<typeof batch>, forwardFirst = true) {
  const out = new Float32Array(p.dOut.length);
  if (forwardFirst) runner.forward({ ...p, samples: ALL(p.batch), out });
  const dx = new Float32Array(p.x.length);
  const grads = new Float64Array(p.weights.length);
  runner.backward({ ...p, samples: ALL(p.batch), dOut: p.dOut, dx, grads });
  return { out, dx, grads };
}

for (const returnSequences of [false, true]) {
  test(`float32 batches on the wasm kernel match the JS loops within 1e-5 (returnSequences=${returnSequences})`, () => {
    const wasm = new LstmSampleRunner();
    assert.ok(wasm.wasmActive, 'WebAssembly SIMD kernel available');
    const p = batch(returnSequences, 31);
    const a = run(wasm, p);
    const b = run(new LstmSampleRunner({ wasm: false }), p);
    for (const [name, x, y] of [
      ['output', a.out, b.out],
      ['dx', a.dx, b.dx],
      ['weights', a.grads, b.grads],
    ] as const) {
      const err = relativeError(x, y);
      assert.ok(err <= 1e-5, `${name}: relative error ${err}`);
    }
  });
}

test('the wasm path recomputes a missing trace to the same bits, and survives trace eviction', () => {
  const p = batch(true, 32);
  const runner = new LstmSampleRunner();
  const kept = run(runner, p);
  const recomputed = run(new LstmSampleRunner(), p, false);
  assert.deepEqual(recomputed.grads, kept.grads);
  assert.deepEqual(recomputed.dx, kept.dx);
  // Three forward calls evict the first one's traces; its backward pass recomputes them.
  const out = new Float32Array(p.dOut.length);
  for (const callId of [10, 11, 12]) runner.forward({ ...p, callId, samples: ALL(p.batch), out });
  const dx = new Float32Array(p.x.length);
  const grads = new Float64Array(p.weights.length);
  runner.backward({ ...p, callId: 10, samples: ALL(p.batch), dOut: p.dOut, dx, grads });
  assert.deepEqual(grads, kept.grads);
  assert.deepEqual(dx, kept.dx);
  assert.ok(runner.traceBytes > 0);
  runner.clear();
  assert.equal(runner.traceBytes, 0);
});

for (const wasm of [true, false]) {
  test(`inference keeps no traces, and a backward pass after it recomputes them (${wasm ? 'wasm' : 'JS'})`, () => {
    const p = batch(false, 33);
    const reference = run(new LstmSampleRunner({ wasm }), p);
    const runner = new LstmSampleRunner({ wasm });
    const out = new Float32Array(p.dOut.length);
    runner.forward({ ...p, keepTraces: false, samples: ALL(p.batch), out });
    const oneTrace = runner.traceBytes;
    const other = batch(false, 34);
    runner.forward({
      ...other,
      callId: 2,
      keepTraces: false,
      samples: ALL(other.batch),
      out: new Float32Array(p.dOut.length),
    });
    assert.equal(runner.traceBytes, oneTrace, 'one trace, reused by every sample and call');
    assert.deepEqual(out, reference.out);
    const dx = new Float32Array(p.x.length);
    const grads = new Float64Array(p.weights.length);
    runner.backward({ ...p, samples: ALL(p.batch), dOut: p.dOut, dx, grads });
    assert.deepEqual(grads, reference.grads);
    assert.deepEqual(dx, reference.dx);
  });
}
