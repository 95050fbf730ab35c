import {
  lstmBackwardSample, lstmForwardSample, PreparedWeights, SampleTrace, scratchSize, weightLayout,
  type Floats, type LstmDims, type SampleSlot,
} from './lstm-sample-math';

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

/**
 * Runs the per-sample LSTM for a share of a batch and keeps what the backward pass needs. One lives in
 * the main thread and one in each LSTM worker; both get the same tasks.
 *
 * Traces are kept for the last {@link KEPT_CALLS} forward calls and recycled after. A backward pass
 * that finds no trace (evicted, or computed by another thread) recomputes the forward pass for that
 * sample first, so results never depend on what was kept - only speed does.
 */
export class LstmSampleRunner {
  private readonly calls = new Map<number, Map<number, SampleTrace>>();
  private readonly spare: SampleTrace[] = [];

  forward(task: LstmForwardTask): void {
    const w = new PreparedWeights(task.weights, task);
    const scratch = new Float64Array(scratchSize(task.units));
    const kept = this.keep(task.callId);
    const outSize = task.returnSequences ? task.steps * task.units : task.units;
    for (const b of task.samples) {
      const trace = kept.get(b) ?? this.takeTrace(task.float64);
      lstmForwardSample(w, slot(task, b), trace, task.returnSequences, task.out, b * outSize, scratch);
      trace.callId = task.callId;
      kept.set(b, trace);
    }
  }

  backward(task: LstmBackwardTask): void {
    const w = new PreparedWeights(task.weights, task);
    const scratch = new Float64Array(scratchSize(task.units));
    const kept = this.calls.get(task.callId);
    const outSize = task.returnSequences ? task.steps * task.units : task.units;
    const grads = task.grads;
    grads.fill(0, 0, weightLayout(task.inputSize, task.units).size);
    let spareOut: Floats | null = null;
    for (const b of task.samples) {
      let trace = kept?.get(b);
      if (!trace || trace.callId !== task.callId) {
        trace = this.takeTrace(task.float64);
        spareOut ??= task.float64 ? new Float64Array(outSize) : new Float32Array(outSize);
        lstmForwardSample(w, slot(task, b), trace, task.returnSequences, spareOut, 0, scratch);
        trace.callId = task.callId;
      }
      lstmBackwardSample(w, slot(task, b), trace, task.returnSequences, task.dOut, b * outSize,
        task.dx, b * task.steps * task.inputSize, grads, scratch);
      this.spare.push(trace);
      kept?.delete(b);
    }
    if (kept && kept.size === 0) this.calls.delete(task.callId);
  }

  /** Bytes held in traces (kept and spare). */
  get traceBytes(): number {
    let bytes = 0;
    for (const kept of this.calls.values()) for (const t of kept.values()) bytes += t.bytes;
    for (const t of this.spare) bytes += t.bytes;
    return bytes;
  }

  /** Drops every trace. */
  clear(): void {
    this.calls.clear();
    this.spare.length = 0;
  }

  private keep(callId: number): Map<number, SampleTrace> {
    let kept = this.calls.get(callId);
    if (!kept) {
      kept = new Map();
      this.calls.set(callId, kept);
      while (this.calls.size > KEPT_CALLS) {
        const oldest = this.calls.keys().next().value as number;
        for (const t of this.calls.get(oldest)!.values()) this.spare.push(t);
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
