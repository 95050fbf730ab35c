import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  lstmBackwardSample,
  lstmForwardSample,
  PreparedWeights,
  SampleTrace,
  scratchSize,
  weightLayout,
  type SampleSlot,
} from '../lstm-sample-math';
import { relativeError, seededUniform } from '../../testing/numeric';
import { BLOCK_STEPS, WasmLstmKernel, wasmLstmError, wasmLstmModule } from './wasm-lstm-kernel';

// Errors are relativeError's: max |wasm - JS| / max |JS| over each array (output, dx, dW, dU, db).
const TOLERANCE = 1e-5;

function kernel(d: number, n: number): WasmLstmKernel {
  const module = wasmLstmModule();
  assert.ok(module, `the wasm kernel compiles: ${wasmLstmError()?.message}`);
  return new WasmLstmKernel(module, { inputSize: d, units: n });
}

interface Case {
  steps: number;
  inputSize: number;
  units: number;
  returnSequences: boolean;
  mask: 'none' | 'trailing' | 'holes' | 'empty';
  seed: number;
}

/** One sample: inputs like audio (|x| < 0.5), weights in ±0.5 like the layer tests, mask as asked. */
function sample(c: Case) {
  const rnd = seededUniform(c.seed);
  const { steps: T, inputSize: d, units: n } = c;
  const weights = Float32Array.from({ length: weightLayout(d, n).size }, () => rnd() - 0.5);
  const x = Float32Array.from({ length: T * d }, () => rnd() - 0.5);
  let mask: Uint8Array | null = null;
  if (c.mask === 'trailing') mask = Uint8Array.from({ length: T }, (_, t) => (t < Math.floor(0.6 * T) ? 1 : 0));
  if (c.mask === 'holes') mask = Uint8Array.from({ length: T }, () => (rnd() > 0.3 ? 1 : 0));
  if (c.mask === 'empty') mask = new Uint8Array(T);
  const outSize = (c.returnSequences ? T : 1) * n;
  const dOut = Float32Array.from({ length: outSize }, () => 2 * rnd() - 1);
  const slot: SampleSlot = { steps: T, x, xOffset: 0, mask, maskOffset: 0 };
  return { weights, slot, dOut, outSize };
}

function runJs(c: Case) {
  const { weights, slot, dOut, outSize } = sample(c);
  const w = new PreparedWeights(weights, c);
  const scratch = new Float64Array(scratchSize(c.units));
  const trace = new SampleTrace(); // float32 trace: the path the wasm kernel replaces
  const out = new Float32Array(outSize);
  lstmForwardSample(w, slot, trace, c.returnSequences, out, 0, scratch);
  const dx = new Float32Array(c.steps * c.inputSize);
  const grads = new Float64Array(weights.length);
  lstmBackwardSample(w, slot, trace, c.returnSequences, dOut, 0, dx, 0, grads, scratch);
  return { out, dx, grads };
}

function runWasm(c: Case, k = kernel(c.inputSize, c.units)) {
  const { weights, slot, dOut, outSize } = sample(c);
  k.setWeights(weights);
  const trace = k.newTrace();
  const out = new Float32Array(outSize).fill(NaN);
  k.forward(slot, trace, c.returnSequences, out, 0);
  const dx = new Float32Array(c.steps * c.inputSize).fill(NaN);
  const grads = new Float64Array(weights.length);
  k.zeroGrads();
  k.backward(slot, trace, c.returnSequences, dOut, 0, dx, 0);
  k.addGradsTo(grads);
  trace.release();
  return { out, dx, grads };
}

function assertClose(c: Case, tolerance = TOLERANCE): void {
  const js = runJs(c);
  const wasm = runWasm(c);
  const lay = weightLayout(c.inputSize, c.units);
  const parts: [string, ArrayLike<number>, ArrayLike<number>][] = [
    ['output', wasm.out, js.out],
    ['dx', wasm.dx, js.dx],
    ['dW', wasm.grads.subarray(lay.w, lay.u), js.grads.subarray(lay.w, lay.u)],
    ['dU', wasm.grads.subarray(lay.u, lay.b), js.grads.subarray(lay.u, lay.b)],
    ['db', wasm.grads.subarray(lay.b), js.grads.subarray(lay.b)],
  ];
  for (const [name, a, e] of parts) {
    const err = relativeError(a, e);
    assert.ok(err <= tolerance, `${name}: relative error ${err}`);
  }
  if (c.mask === 'holes') {
    const mask = sample(c).slot.mask!;
    for (let t = 0; t < c.steps; t++) {
      if (mask[t] === 0) for (let q = 0; q < c.inputSize; q++) assert.equal(wasm.dx[t * c.inputSize + q], 0);
    }
  }
}

test("the wasm kernel's exp, sigmoid and tanh match Math.* from -100 to 100, tails and tiny values included", () => {
  const k = kernel(1, 4);
  const xs: number[] = [0, -0, 1e-30, -1e-30, 1e-7, -1e-7, 87, -87, 88, -88, 100, -100];
  for (let v = -100; v <= 100; v += 0.01) xs.push(v);
  const f32 = Float32Array.from(xs); // compare at the f32 arguments the kernel sees
  const exp = k.activate(f32, 'exp');
  const sig = k.activate(f32, 'sigmoid');
  const tanh = k.activate(f32, 'tanh');
  let expErr = 0,
    sigErr = 0,
    tanhErr = 0;
  for (let i = 0; i < f32.length; i++) {
    const v = f32[i];
    // exp: relative error in [-87, 87]; beyond, the argument is clamped (finite, tiny or huge).
    if (Math.abs(v) <= 87) expErr = Math.max(expErr, Math.abs(exp[i] - Math.exp(v)) / Math.exp(v));
    else assert.ok(Number.isFinite(exp[i]) && (v > 0 ? exp[i] > 6e37 : exp[i] < 2e-38), `exp(${v}) = ${exp[i]}`);
    // sigmoid and tanh: absolute error (their values are at most 1; f32's ulp at 1 is 1.2e-7).
    sigErr = Math.max(sigErr, Math.abs(sig[i] - 1 / (1 + Math.exp(-v))));
    tanhErr = Math.max(tanhErr, Math.abs(tanh[i] - Math.tanh(v)));
  }
  assert.ok(expErr <= 3e-7, `exp: max relative error ${expErr} (f32 epsilon 1.19e-7)`);
  assert.ok(sigErr <= 1.2e-7, `sigmoid: max absolute error ${sigErr}`);
  assert.ok(tanhErr <= 2.4e-7, `tanh: max absolute error ${tanhErr}`);
  // Exact saturation at the tails.
  assert.equal(sig[xs.indexOf(100)], 1);
  assert.ok(sig[xs.indexOf(-100)] < 1e-37);
  assert.equal(tanh[xs.indexOf(100)], 1);
  assert.equal(tanh[xs.indexOf(-100)], -1);
  assert.equal(sig[0], 0.5);
  assert.equal(tanh[0], 0);
  // NaN propagates, as with Math.* (a diverged model shows up).
  for (const kind of ['exp', 'sigmoid', 'tanh'] as const) assert.ok(Number.isNaN(k.activate([NaN], kind)[0]), kind);
});

for (const mask of ['none', 'trailing', 'holes'] as const) {
  test(`the wasm kernel matches the JS kernel at the raw model's shape (25 units, 1 feature, 3,000 steps, mask ${mask})`, () => {
    assertClose({ steps: 3000, inputSize: 1, units: 25, returnSequences: false, mask, seed: 11 });
  });
}

for (const returnSequences of [false, true]) {
  test(`the wasm kernel matches the JS kernel over a whole clip (17,640 steps, returnSequences=${returnSequences})`, () => {
    // With an output gradient at every step, every step adds comparable terms to the weight gradients:
    // one f32 sum over all 17,640 steps is off by ~4e-6 here; f32 blocks of BLOCK_STEPS steps summed in
    // f64 stay near 2e-7.
    assert.ok(BLOCK_STEPS <= 64);
    assertClose(
      { steps: 17640, inputSize: 1, units: 25, returnSequences, mask: 'none', seed: 12 },
      returnSequences ? 1e-6 : TOLERANCE,
    );
  });
}

for (const returnSequences of [false, true]) {
  for (const units of [8, 6]) {
    // 6: padded to 8 inside the kernel
    test(`the wasm kernel matches the JS kernel at 3 features, ${units} units (returnSequences=${returnSequences})`, () => {
      for (const mask of ['none', 'trailing', 'holes'] as const) {
        assertClose({ steps: 300, inputSize: 3, units, returnSequences, mask, seed: 21 + units });
      }
    });
  }
}

test('a fully masked sample gives a zero output and zero gradients', () => {
  for (const returnSequences of [false, true]) {
    const r = runWasm({ steps: 20, inputSize: 2, units: 5, returnSequences, mask: 'empty', seed: 3 });
    assert.ok(r.out.every((v) => v === 0));
    assert.ok(r.dx.every((v) => v === 0));
    assert.ok(r.grads.every((v) => v === 0));
  }
});

test('a kernel reuses trace blocks and runs the same sample to the same bits', () => {
  const c: Case = { steps: 500, inputSize: 1, units: 25, returnSequences: false, mask: 'holes', seed: 5 };
  const k = kernel(1, 25);
  const first = runWasm(c, k);
  const bytes = k.memoryBytes;
  for (let i = 0; i < 3; i++) {
    const again = runWasm(c, k);
    assert.deepEqual(again.out, first.out);
    assert.deepEqual(again.dx, first.dx);
    assert.deepEqual(again.grads, first.grads);
  }
  assert.equal(k.memoryBytes, bytes, 'no growth once blocks exist');
});
