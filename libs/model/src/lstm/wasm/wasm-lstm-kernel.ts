import { readFileSync } from 'node:fs';
import path from 'node:path';
import { weightLayout, type Floats, type LstmDims, type SampleSlot } from '../lstm-sample-math';

/**
 * The float32 per-sample LSTM (lstm-sample-math.ts semantics) as a WebAssembly SIMD kernel
 * (lstm-kernel.wat): 4-lane vectors over the gate columns, ~8x faster than the scalar JS loops at the
 * raw model's shape (tools/bench/bench-lstm-kernel.ts). It ships compiled, as lstm-kernel.wasm beside the
 * text: `npx nx run tools:build-lstm-wasm` rebuilds it, and tools/wasm/build-lstm-wasm.test.ts fails while
 * the committed binary is not what the text compiles to. The JS loops stay the float64 path and the
 * reference this is tested against.
 *
 * Precision: sums and activations in f32 (as tf.layers.lstm computes); the weight gradients are summed
 * in f32 over blocks of {@link BLOCK_STEPS} steps and the block sums in f64, since a plain f32 sum over
 * 17,640 steps would lose digits.
 */

/** Active steps whose weight gradients are summed in f32 before they join the f64 totals. */
export const BLOCK_STEPS = 64;

const PAGE = 65536;

/** The compiled kernel, beside this file (built from lstm-kernel.wat by tools/wasm/build-lstm-wasm.ts). */
const LSTM_WASM_PATH = path.join(__dirname, 'lstm-kernel.wasm');

interface KernelExports {
  forward(
    K: number,
    d: number,
    n: number,
    n4: number,
    w: number,
    u: number,
    b: number,
    act: number,
    zero: number,
    xs: number,
    gates: number,
    cells: number,
    ths: number,
    hid: number,
  ): void;
  backward(
    K: number,
    d: number,
    n: number,
    n4: number,
    w: number,
    u: number,
    zero: number,
    xs: number,
    gates: number,
    cells: number,
    ths: number,
    hid: number,
    dhs: number,
    dxs: number,
    dz: number,
    dcn: number,
    dhn: number,
    gblk: number,
    gacc: number,
    size: number,
    blockSteps: number,
  ): void;
  activate(p: number, count: number, kind: number): void;
}

let compiled: WebAssembly.Module | null | undefined;
let compileError: Error | null = null;

/** The kernel module, compiled once per thread; null where WebAssembly SIMD is missing. */
export function wasmLstmModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(readFileSync(LSTM_WASM_PATH));
    } catch (err) {
      compiled = null;
      compileError = new Error(`${LSTM_WASM_PATH}: ${(err as Error).message}`, { cause: err });
    }
  }
  return compiled;
}

/** Why {@link wasmLstmModule} is null, if it is. */
export function wasmLstmError(): Error | null {
  wasmLstmModule();
  return compileError;
}

function align16(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

/** One sample's forward trace, held in its kernel's wasm memory until the backward pass. */
export class WasmTrace {
  /** Active (unmasked) time steps, in order. */
  steps: Int32Array = new Int32Array(0);
  count = 0;
  /** Which forward call filled this trace. */
  callId = -1;
  /** Byte offset of the trace block in the kernel's memory, and the active steps it has room for. */
  ptr = 0;
  capacity = 0;

  constructor(readonly kernel: WasmLstmKernel) {}

  /** Bytes held (wasm memory included). */
  get bytes(): number {
    return this.steps.byteLength + this.kernel.traceBytes(this.capacity);
  }

  /** Hands the wasm block back to the kernel (the trace stays usable: it takes a block again). */
  release(): void {
    if (this.capacity > 0) this.kernel.freeBlock(this.ptr, this.kernel.traceBytes(this.capacity));
    this.ptr = 0;
    this.capacity = 0;
    this.count = 0;
    this.callId = -1;
  }
}

/**
 * A kernel instance for one layer shape, with its own wasm memory:
 *
 *   fixed part   W, U, b (padded, see lstm-kernel.wat), activation constants, a zero row, scratch
 *                (dz, dc, dh), the f32 gradient block sums and their f64 totals
 *   blocks       trace blocks (per sample: xs, gates, cells, tanh(cells), hidden - K rows each) and one
 *                work block (dhs, dxs for the backward pass), from a simple free list; the memory grows
 *                when they do not fit and never shrinks (drop the kernel to free it)
 */
export class WasmLstmKernel implements LstmDims {
  readonly inputSize: number;
  readonly units: number;
  /** Units padded to whole vectors, and gate columns (4·n4). */
  readonly n4: number;
  readonly gates: number;
  private readonly memory: WebAssembly.Memory;
  private readonly exports: KernelExports;
  private f32!: Float32Array;
  private f64!: Float64Array;
  // Byte offsets of the fixed part.
  private readonly wOff: number;
  private readonly uOff: number;
  private readonly bOff: number;
  private readonly actOff: number;
  private readonly zeroOff: number;
  private readonly dzOff: number;
  private readonly dcOff: number;
  private readonly dhOff: number;
  private readonly gblkOff: number;
  private readonly gaccOff: number;
  /** Floats in the gradient layout (W, U, b padded). */
  private readonly gradSize: number;
  private top: number;
  private readonly free: { ptr: number; bytes: number }[] = [];
  private work = { ptr: 0, capacity: 0 };
  private scratch: WasmTrace | null = null;

  constructor(module: WebAssembly.Module, dims: LstmDims) {
    const d = dims.inputSize;
    const n = dims.units;
    this.inputSize = d;
    this.units = n;
    this.n4 = Math.ceil(n / 4) * 4;
    const G = 4 * this.n4;
    this.gates = G;
    const rowG = 4 * G;
    let at = 64;
    const take = (bytes: number) => {
      const p = at;
      at = align16(at + bytes);
      return p;
    };
    this.wOff = take(d * rowG);
    this.uOff = take(n * rowG);
    this.bOff = take(rowG);
    this.actOff = take(3 * rowG);
    this.zeroOff = take(4 * this.n4);
    this.dzOff = take(rowG);
    this.dcOff = take(4 * this.n4);
    this.dhOff = take(4 * this.n4);
    this.gradSize = (d + n + 1) * G;
    this.gblkOff = take(4 * this.gradSize);
    this.gaccOff = take(8 * this.gradSize);
    this.top = at;
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(at / PAGE) + 1 });
    this.exports = new WebAssembly.Instance(module, { env: { memory: this.memory } })
      .exports as unknown as KernelExports;
    this.views();
    // Activation constants per column (see lstm-kernel.wat): sigmoid for i, f, o; tanh for g.
    const act = this.actOff / 4;
    for (let j = 0; j < G; j++) {
      const isG = j >= 2 * this.n4 && j < 3 * this.n4;
      this.f32[act + j] = isG ? -2 : -1;
      this.f32[act + G + j] = isG ? 2 : 1;
      this.f32[act + 2 * G + j] = isG ? -1 : 0;
    }
  }

  private views(): void {
    this.f32 = new Float32Array(this.memory.buffer);
    this.f64 = new Float64Array(this.memory.buffer);
  }

  /** Bytes of a trace block with room for `steps` active steps. */
  traceBytes(steps: number): number {
    return align16(4 * steps * this.inputSize) + 4 * steps * (this.gates + 3 * this.n4);
  }

  /** Bytes of the kernel's wasm memory. */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** A block of `bytes` (16-byte aligned) from the free list or the end of memory, growing it. */
  private allocBlock(bytes: number): number {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      if (this.free[i].bytes >= bytes && (best < 0 || this.free[i].bytes < this.free[best].bytes)) best = i;
    }
    if (best >= 0) return this.free.splice(best, 1)[0].ptr;
    const ptr = this.top;
    this.top = align16(this.top + bytes);
    const have = this.memory.buffer.byteLength;
    if (this.top > have) {
      this.memory.grow(Math.ceil((this.top - have) / PAGE));
      this.views();
    }
    return ptr;
  }

  /** Returns a block to the free list. */
  freeBlock(ptr: number, bytes: number): void {
    this.free.push({ ptr, bytes });
  }

  /** Writes packed weights (weightLayout order, unpadded) into the padded W, U, b. */
  setWeights(packed: Floats): void {
    const { inputSize: d, units: n, n4, gates: G } = this;
    const lay = weightLayout(d, n);
    if (packed.length !== lay.size)
      throw new Error(`WasmLstmKernel: expected ${lay.size} packed values, got ${packed.length}`);
    const f32 = this.f32;
    const put = (src: number, rows: number, dst: number) => {
      for (let r = 0; r < rows; r++) {
        for (let gi = 0; gi < 4; gi++) {
          for (let u = 0; u < n; u++) f32[dst + r * G + gi * n4 + u] = packed[src + r * 4 * n + gi * n + u];
        }
      }
    };
    put(lay.w, d, this.wOff / 4);
    put(lay.u, n, this.uOff / 4);
    put(lay.b, 1, this.bOff / 4);
  }

  /** A new, empty trace of this kernel. */
  newTrace(): WasmTrace {
    return new WasmTrace(this);
  }

  /** The trace forward passes that keep none write to (inference). */
  get scratchTrace(): WasmTrace {
    this.scratch ??= this.newTrace();
    return this.scratch;
  }

  /** Offsets of a trace's parts (bytes). */
  private traceParts(t: WasmTrace): { xs: number; gates: number; cells: number; ths: number; hid: number } {
    const C = t.capacity;
    const xs = t.ptr;
    const gates = xs + align16(4 * C * this.inputSize);
    const cells = gates + 4 * C * this.gates;
    const ths = cells + 4 * C * this.n4;
    return { xs, gates, cells, ths, hid: ths + 4 * C * this.n4 };
  }

  /**
   * Runs one sample (setWeights first) and records its trace. Writes the last hidden state (n) or,
   * with returnSequences, every step's (T x n; masked steps repeat the carried state) at `outOffset`.
   */
  forward(s: SampleSlot, trace: WasmTrace, returnSequences: boolean, out: Floats, outOffset: number): void {
    const { inputSize: d, units: n, n4 } = this;
    const T = s.steps;
    if (trace.steps.length < T) trace.steps = new Int32Array(T);
    const steps = trace.steps;
    let K = 0;
    for (let t = 0; t < T; t++) if (s.mask === null || s.mask[s.maskOffset + t] !== 0) steps[K++] = t;
    if (trace.capacity < K) {
      trace.release();
      trace.capacity = Math.max(K, T); // room for any sample of this length: blocks get reused
      trace.ptr = this.allocBlock(this.traceBytes(trace.capacity));
    }
    trace.count = K;
    const p = this.traceParts(trace);
    const f32 = this.f32;
    const xs = p.xs / 4;
    for (let kk = 0; kk < K; kk++) {
      const src = s.xOffset + steps[kk] * d;
      for (let q = 0; q < d; q++) f32[xs + kk * d + q] = s.x[src + q];
    }
    this.exports.forward(
      K,
      d,
      n,
      n4,
      this.wOff,
      this.uOff,
      this.bOff,
      this.actOff,
      this.zeroOff,
      p.xs,
      p.gates,
      p.cells,
      p.ths,
      p.hid,
    );

    const hid = p.hid / 4;
    if (!returnSequences) {
      const base = hid + (K - 1) * n4;
      for (let j = 0; j < n; j++) out[outOffset + j] = K > 0 ? f32[base + j] : 0;
      return;
    }
    let kk = -1; // the last active step at or before t
    for (let t = 0; t < T; t++) {
      if (kk + 1 < K && steps[kk + 1] === t) kk++;
      const o = outOffset + t * n;
      if (kk < 0) {
        out.fill(0, o, o + n);
      } else {
        const base = hid + kk * n4;
        for (let j = 0; j < n; j++) out[o + j] = f32[base + j];
      }
    }
  }

  /** Zeroes the weight-gradient totals that {@link backward} adds to. */
  zeroGrads(): void {
    this.f64.fill(0, this.gaccOff / 8, this.gaccOff / 8 + this.gradSize);
  }

  /** Adds the weight-gradient totals to `grads` (weightLayout order, unpadded). */
  addGradsTo(grads: Float64Array): void {
    const { inputSize: d, units: n, n4, gates: G } = this;
    const lay = weightLayout(d, n);
    const f64 = this.f64;
    const acc = this.gaccOff / 8;
    for (let r = 0; r < d + n + 1; r++) {
      for (let gi = 0; gi < 4; gi++) {
        for (let u = 0; u < n; u++) grads[lay.w + r * 4 * n + gi * n + u] += f64[acc + r * G + gi * n4 + u];
      }
    }
  }

  /**
   * Back-propagates one sample through its trace (same arguments as lstmBackwardSample): writes dx
   * (T x d, zero at masked steps) and adds the weight gradients to the totals (see addGradsTo).
   */
  backward(
    s: SampleSlot,
    trace: WasmTrace,
    returnSequences: boolean,
    dOut: Floats,
    dOutOffset: number,
    dx: Floats,
    dxOffset: number,
  ): void {
    const { inputSize: d, units: n, n4 } = this;
    const T = s.steps;
    const K = trace.count;
    const steps = trace.steps;
    dx.fill(0, dxOffset, dxOffset + T * d);
    if (K === 0) return;
    if (this.work.capacity < K) {
      if (this.work.capacity > 0) this.freeBlock(this.work.ptr, this.workBytes(this.work.capacity));
      const capacity = Math.max(K, T);
      this.work = { ptr: this.allocBlock(this.workBytes(capacity)), capacity };
    }
    const dhsOff = this.work.ptr;
    const dxsOff = dhsOff + 4 * this.work.capacity * n4;
    const f32 = this.f32;
    const dhs = dhsOff / 4;
    f32.fill(0, dhs, dhs + K * n4);
    // The output gradient reaching each active step's h: its own step's plus that of the masked steps
    // after it, which repeat it.
    if (returnSequences) {
      for (let kk = 0; kk < K; kk++) {
        const end = kk + 1 < K ? steps[kk + 1] : T;
        for (let j = 0; j < n; j++) {
          let acc = 0;
          for (let u = steps[kk]; u < end; u++) acc += dOut[dOutOffset + u * n + j];
          f32[dhs + kk * n4 + j] = acc;
        }
      }
    } else {
      for (let j = 0; j < n; j++) f32[dhs + (K - 1) * n4 + j] = dOut[dOutOffset + j];
    }
    f32.fill(0, this.dcOff / 4, this.dcOff / 4 + n4);
    f32.fill(0, this.dhOff / 4, this.dhOff / 4 + n4);
    const p = this.traceParts(trace);
    this.exports.backward(
      K,
      d,
      n,
      n4,
      this.wOff,
      this.uOff,
      this.zeroOff,
      p.xs,
      p.gates,
      p.cells,
      p.ths,
      p.hid,
      dhsOff,
      dxsOff,
      this.dzOff,
      this.dcOff,
      this.dhOff,
      this.gblkOff,
      this.gaccOff,
      this.gradSize,
      BLOCK_STEPS,
    );
    const dxs = dxsOff / 4;
    for (let kk = 0; kk < K; kk++) {
      const dst = dxOffset + steps[kk] * d;
      for (let q = 0; q < d; q++) dx[dst + q] = f32[dxs + kk * d + q];
    }
  }

  private workBytes(steps: number): number {
    return 4 * steps * (this.n4 + this.inputSize);
  }

  /**
   * For tests: applies the kernel's vector exp (kind 'exp'), sigmoid or tanh to `values` (any length)
   * and returns the results.
   */
  activate(values: ArrayLike<number>, kind: 'exp' | 'sigmoid' | 'tanh'): Float32Array {
    const count = align16(4 * values.length) / 4;
    const ptr = this.allocBlock(4 * count);
    const at = ptr / 4;
    this.f32.fill(0, at, at + count);
    this.f32.set(values, at);
    this.exports.activate(ptr, count, kind === 'exp' ? 0 : kind === 'sigmoid' ? 1 : 2);
    const result = this.f32.slice(at, at + values.length);
    this.freeBlock(ptr, 4 * count);
    return result;
  }
}
