import {
  lstmBackwardSample,
  lstmForwardSample,
  PreparedWeights,
  SampleTrace,
  scratchSize,
  weightLayout,
  type Floats,
  type LstmDims,
  type SampleSlot,
} from './lstm-sample-math';
import { WasmLstmKernel, WasmTrace, wasmLstmError, wasmLstmModule } from './wasm/wasm-lstm-kernel';

/** The batch arrays of one fused-LSTM call, as every thread sees them (SharedArrayBuffer-backed when threaded). */
export interface LstmBatchArrays extends LstmDims {
  /** Identifies the forward call, so a backward pass finds the traces its forward pass left. */
  callId: number;
  batch: number;
  /** Time steps (T). */
  steps: number;
  returnSequences: boolean;
  /** Packed weights, see weightLayout. */
  weights: Floats;
  /** (batch, T, d). */
  x: Floats;
  /** (batch, T), nonzero = real step; null: no mask. */
  mask: Uint8Array | null;
  /** Keep float64 traces (for gradient checks). */
  float64: boolean;
  /**
   * Forward calls: keep the traces for a backward pass. Default true; false (inference) reuses one
   * trace, so predicting holds no memory per sample. A backward pass recomputes what was not kept.
   */
  keepTraces?: boolean;
}

export interface LstmForwardTask extends LstmBatchArrays {
  /** Samples this thread computes. */
  samples: Int32Array;
  /** (batch, n) or (batch, T, n) with returnSequences; this thread writes its samples' rows. */
  out: Floats;
}

export interface LstmBackwardTask extends LstmBatchArrays {
  samples: Int32Array;
  /** Gradient w.r.t. the output, shaped like the forward output. */
  dOut: Floats;
  /** (batch, T, d); this thread writes its samples' rows. */
  dx: Floats;
  /** This thread's partial weight gradients (overwritten, not added to), laid out as weightLayout. */
  grads: Float64Array;
}

/** Forward calls whose traces a runner keeps: a training step's backward pass follows its forward pass. */
const KEPT_CALLS = 2;

type Trace = SampleTrace | WasmTrace;

export interface LstmSampleRunnerOptions {
  /**
   * Run float32 tasks on the WebAssembly SIMD kernel (wasm/lstm-kernel.wat) where the runtime has
   * WebAssembly SIMD; float64 tasks (gradient checks) always take the JS loops. Default: true, unless
   * the environment sets DIGITS_LSTM_WASM=0 when a task runs (workers inherit it).
   */
  wasm?: boolean;
}

let warnedNoWasm = false;

/**
 * Runs the per-sample LSTM for a share of a batch and keeps what the backward pass needs. One lives in
 * the main thread and one in each LSTM worker; both get the same tasks.
 *
 * Traces are kept for the last {@link KEPT_CALLS} forward calls and recycled after. A backward pass
 * that finds no trace (evicted, or computed by another thread) recomputes the forward pass for that
 * sample first, so results never depend on what was kept - only speed does.
 */
export class LstmSampleRunner {
  private readonly calls = new Map<number, Map<number, Trace>>();
  private readonly spare: SampleTrace[] = [];
  /** Wasm kernels by layer shape, each with its own memory (traces included). */
  private readonly kernels = new Map<string, WasmLstmKernel>();
  private readonly wasmOption: boolean | undefined;

  constructor(opts: LstmSampleRunnerOptions = {}) {
    this.wasmOption = opts.wasm;
  }

  private get useWasm(): boolean {
    return this.wasmOption ?? process.env.DIGITS_LSTM_WASM !== '0';
  }

  /** Whether float32 tasks run on the wasm kernel here (compiles it on first use). */
  get wasmActive(): boolean {
    return this.useWasm && wasmLstmModule() !== null;
  }

  forward(task: LstmForwardTask): void {
    const kept = task.keepTraces === false ? null : this.keep(task.callId);
    const outSize = task.returnSequences ? task.steps * task.units : task.units;
    const kernel = this.wasmKernel(task);
    if (kernel) {
      kernel.setWeights(task.weights);
      for (const b of task.samples) {
        const old = kept?.get(b);
        const trace = !kept
          ? kernel.scratchTrace
          : old instanceof WasmTrace && old.kernel === kernel
            ? old
            : kernel.newTrace();
        kernel.forward(slot(task, b), trace, task.returnSequences, task.out, b * outSize);
        trace.callId = task.callId;
        kept?.set(b, trace);
      }
      return;
    }
    const w = new PreparedWeights(task.weights, task);
    const scratch = new Float64Array(scratchSize(task.units));
    const unkept = kept ? null : this.takeTrace(task.float64);
    for (const b of task.samples) {
      const old = kept?.get(b);
      const trace =
        unkept ?? (old instanceof SampleTrace && old.float64 === task.float64 ? old : this.takeTrace(task.float64));
      lstmForwardSample(w, slot(task, b), trace, task.returnSequences, task.out, b * outSize, scratch);
      trace.callId = task.callId;
      kept?.set(b, trace);
    }
    if (unkept) this.spare.push(unkept);
  }

  backward(task: LstmBackwardTask): void {
    const kept = this.calls.get(task.callId);
    const outSize = task.returnSequences ? task.steps * task.units : task.units;
    const grads = task.grads;
    grads.fill(0, 0, weightLayout(task.inputSize, task.units).size);
    let spareOut: Floats | null = null;
    const kernel = this.wasmKernel(task);
    if (kernel) {
      kernel.setWeights(task.weights);
      kernel.zeroGrads();
      for (const b of task.samples) {
        let trace = kept?.get(b);
        if (!(trace instanceof WasmTrace) || trace.kernel !== kernel || trace.callId !== task.callId) {
          trace = kernel.newTrace();
          spareOut ??= new Float32Array(outSize);
          kernel.forward(slot(task, b), trace, task.returnSequences, spareOut, 0);
          trace.callId = task.callId;
        }
        kernel.backward(
          slot(task, b),
          trace,
          task.returnSequences,
          task.dOut,
          b * outSize,
          task.dx,
          b * task.steps * task.inputSize,
        );
        this.recycle(trace);
        kept?.delete(b);
      }
      kernel.addGradsTo(grads);
    } else {
      const w = new PreparedWeights(task.weights, task);
      const scratch = new Float64Array(scratchSize(task.units));
      for (const b of task.samples) {
        let trace = kept?.get(b);
        if (!(trace instanceof SampleTrace) || trace.float64 !== task.float64 || trace.callId !== task.callId) {
          trace = this.takeTrace(task.float64);
          spareOut ??= task.float64 ? new Float64Array(outSize) : new Float32Array(outSize);
          lstmForwardSample(w, slot(task, b), trace, task.returnSequences, spareOut, 0, scratch);
          trace.callId = task.callId;
        }
        lstmBackwardSample(
          w,
          slot(task, b),
          trace,
          task.returnSequences,
          task.dOut,
          b * outSize,
          task.dx,
          b * task.steps * task.inputSize,
          grads,
          scratch,
        );
        this.recycle(trace);
        kept?.delete(b);
      }
    }
    if (kept && kept.size === 0) this.calls.delete(task.callId);
  }

  /** Bytes held in traces (kept and spare; for the wasm kernels, their whole memories). */
  get traceBytes(): number {
    let bytes = 0;
    for (const kept of this.calls.values())
      for (const t of kept.values()) if (t instanceof SampleTrace) bytes += t.bytes;
    for (const t of this.spare) bytes += t.bytes;
    for (const k of this.kernels.values()) bytes += k.memoryBytes;
    return bytes;
  }

  /** Drops every trace (and the wasm kernels' memories). */
  clear(): void {
    this.calls.clear();
    this.spare.length = 0;
    this.kernels.clear();
  }

  /** The wasm kernel for a task's layer shape, or null where the JS loops run it. */
  private wasmKernel(task: LstmBatchArrays): WasmLstmKernel | null {
    if (task.float64 || !this.useWasm) return null;
    const module = wasmLstmModule();
    if (!module) {
      if (!warnedNoWasm) {
        warnedNoWasm = true;
        console.warn(`fused LSTM: no WebAssembly SIMD kernel (${wasmLstmError()?.message}); using the JS loops`);
      }
      return null;
    }
    const key = `${task.inputSize}x${task.units}`;
    let kernel = this.kernels.get(key);
    if (!kernel) {
      kernel = new WasmLstmKernel(module, task);
      this.kernels.set(key, kernel);
    }
    return kernel;
  }

  private recycle(trace: Trace): void {
    if (trace instanceof SampleTrace) this.spare.push(trace);
    else trace.release();
  }

  private keep(callId: number): Map<number, Trace> {
    let kept = this.calls.get(callId);
    if (!kept) {
      kept = new Map();
      this.calls.set(callId, kept);
      while (this.calls.size > KEPT_CALLS) {
        const oldest = this.calls.keys().next().value as number;
        for (const t of this.calls.get(oldest)!.values()) this.recycle(t);
        this.calls.delete(oldest);
      }
    }
    return kept;
  }

  private takeTrace(float64: boolean): SampleTrace {
    const i = this.spare.findIndex((t) => t.float64 === float64);
    if (i >= 0) return this.spare.splice(i, 1)[0];
    return new SampleTrace(float64);
  }
}

function slot(a: LstmBatchArrays, b: number): SampleSlot {
  return {
    steps: a.steps,
    x: a.x,
    xOffset: b * a.steps * a.inputSize,
    mask: a.mask,
    maskOffset: b * a.steps,
  };
}
