/**
 * The masked LSTM recurrence of one sample, forward and backward, over plain typed arrays.
 *
 * Semantics are tf.keras's LSTM: gate order i, f, c, o in the 4·units columns of every weight; sigmoid
 * recurrent activation; tanh activation; z = x_t·W + h_{t-1}·U + b. A masked step (mask 0) leaves h and
 * c unchanged (Keras carries the state through it) and, with return_sequences, outputs the carried h -
 * so masked steps are skipped outright and the cost follows the clip's real length.
 *
 * Written for the raw-audio model (units 25, one input feature, 17,640 steps), where per-op overhead,
 * not arithmetic, dominates a tensor implementation: here everything is scalar loops over typed arrays,
 * with no allocation per step. All sums run in float64 (JS numbers); the trace stores float32 by default.
 */

export type Floats = Float32Array | Float64Array;

/** The shapes of one LSTM layer. */
export interface LstmDims {
  /** Features per time step (d). */
  inputSize: number;
  /** Hidden units (n); the gates span 4n columns. */
  units: number;
}

/** Offsets of W (d x 4n), U (n x 4n) and b (4n) in packed weights and packed gradients. */
export function weightLayout(d: number, n: number): { w: number; u: number; b: number; size: number } {
  const g = 4 * n;
  return { w: 0, u: d * g, b: d * g + n * g, size: d * g + n * g + g };
}

/**
 * Packs kernel (d x 4n), recurrent kernel (n x 4n) and bias (4n), each row-major, into one array laid
 * out as {@link weightLayout} says - the form weights travel in between threads.
 */
export function packWeights(
  kernel: Floats,
  recurrentKernel: Floats,
  bias: Floats,
  dims: LstmDims,
  out?: Floats,
): Floats {
  const { inputSize: d, units: n } = dims;
  const lay = weightLayout(d, n);
  if (kernel.length !== lay.u || recurrentKernel.length !== lay.b - lay.u || bias.length !== 4 * n) {
    throw new Error(
      `packWeights: expected kernel ${d}x${4 * n}, recurrent kernel ${n}x${4 * n} and bias ${4 * n} ` +
        `values; got ${kernel.length}, ${recurrentKernel.length} and ${bias.length}`,
    );
  }
  const data = out ?? new Float32Array(lay.size);
  data.set(kernel, lay.w);
  data.set(recurrentKernel, lay.u);
  data.set(bias, lay.b);
  return data;
}

/**
 * Weights in the forms the loops want, made once per call: float64 (no conversion in the inner loops),
 * and transposed copies so the forward pass computes each gate input as one dot product held in a
 * register.
 */
export class PreparedWeights implements LstmDims {
  readonly inputSize: number;
  readonly units: number;
  /** W, d x 4n. */
  readonly kernel: Float64Array;
  /** U, n x 4n. */
  readonly recurrent: Float64Array;
  readonly bias: Float64Array;
  /** W transposed, 4n x d. */
  readonly kernelT: Float64Array;
  /** U transposed, 4n x n. */
  readonly recurrentT: Float64Array;

  constructor(packed: Floats, dims: LstmDims) {
    const { inputSize: d, units: n } = dims;
    const G = 4 * n;
    const lay = weightLayout(d, n);
    if (packed.length !== lay.size)
      throw new Error(`PreparedWeights: expected ${lay.size} packed values, got ${packed.length}`);
    this.inputSize = d;
    this.units = n;
    this.kernel = Float64Array.from(packed.subarray(lay.w, lay.u));
    this.recurrent = Float64Array.from(packed.subarray(lay.u, lay.b));
    this.bias = Float64Array.from(packed.subarray(lay.b, lay.size));
    this.kernelT = transpose(this.kernel, d, G);
    this.recurrentT = transpose(this.recurrent, n, G);
  }
}

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

/**
 * What the forward pass keeps of one sample for the backward pass: the active step indices and, per
 * active step, the gate activations (i, f, g, o), the cell state, tanh of the cell state and the hidden
 * state. Reused across calls; it grows when a longer sample comes.
 */
export class SampleTrace {
  /** Active (unmasked) time steps, in order. */
  steps: Int32Array = new Int32Array(0);
  /** Number of active steps recorded. */
  count = 0;
  gates: Floats;
  cells: Floats;
  cellsTanh: Floats;
  hidden: Floats;
  /** Which forward call filled this trace, so a backward pass can tell it is its own. */
  callId = -1;

  /** @param float64 store activations in float64 (gradient checks); default float32, half the memory. */
  constructor(readonly float64 = false) {
    this.gates = this.alloc(0);
    this.cells = this.alloc(0);
    this.cellsTanh = this.alloc(0);
    this.hidden = this.alloc(0);
  }

  private alloc(n: number): Floats {
    return this.float64 ? new Float64Array(n) : new Float32Array(n);
  }

  /** Makes room for `steps` active steps of `units` units. */
  reserve(steps: number, units: number): void {
    if (this.steps.length < steps) this.steps = new Int32Array(steps);
    if (this.cells.length < steps * units) {
      this.gates = this.alloc(steps * units * 4);
      this.cells = this.alloc(steps * units);
      this.cellsTanh = this.alloc(steps * units);
      this.hidden = this.alloc(steps * units);
    }
  }

  /** Bytes held by the trace's arrays. */
  get bytes(): number {
    return (
      this.steps.byteLength +
      this.gates.byteLength +
      this.cells.byteLength +
      this.cellsTanh.byteLength +
      this.hidden.byteLength
    );
  }
}

/** One sample's place in the batch arrays. */
export interface SampleSlot {
  /** Time steps (T). */
  steps: number;
  /** Inputs, (.., T, d); the sample starts at xOffset. */
  x: Floats;
  xOffset: number;
  /** Nonzero = real step, 0 = masked; (.., T) starting at maskOffset. Null: every step is real. */
  mask: Uint8Array | null;
  maskOffset: number;
}

/** The logistic function. */
function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

/** tanh through one exp (V8's Math.tanh is slower); exact at both tails: no Infinity/Infinity. */
function tanh(v: number): number {
  return 1 - 2 / (1 + Math.exp(2 * v));
}

/** Float64 scratch values the two functions below need for `units` units. */
export function scratchSize(units: number): number {
  return 7 * units;
}

/**
 * Runs the recurrence of one sample. Writes the last hidden state (n values) or, with returnSequences,
 * every step's hidden state (T x n; a masked step repeats the carried state) to `out` at `outOffset`.
 */
export function lstmForwardSample(
  w: PreparedWeights,
  s: SampleSlot,
  trace: SampleTrace,
  returnSequences: boolean,
  out: Floats,
  outOffset: number,
  scratch: Float64Array,
): void {
  const d = w.inputSize;
  const n = w.units;
  const G = 4 * n;
  const T = s.steps;
  const WT = w.kernelT;
  const UT = w.recurrentT;
  const bias = w.bias;
  const x = s.x;
  const mask = s.mask;

  // Active steps first, so storage and the backward loop only see real steps.
  trace.reserve(T, n);
  const steps = trace.steps;
  let K = 0;
  for (let t = 0; t < T; t++) if (mask === null || mask[s.maskOffset + t] !== 0) steps[K++] = t;
  trace.count = K;

  const z = scratch.subarray(0, G);
  const h = scratch.subarray(G, G + n);
  const c = scratch.subarray(G + n, G + 2 * n);
  h.fill(0);
  c.fill(0);
  const gates = trace.gates;
  const cells = trace.cells;
  const cellsTanh = trace.cellsTanh;
  const hidden = trace.hidden;

  let nextOut = 0; // with returnSequences: the first time step whose output is not yet written
  for (let kk = 0; kk < K; kk++) {
    const t = steps[kk];
    if (returnSequences) {
      for (; nextOut < t; nextOut++) out.set(h, outOffset + nextOut * n); // masked: the carried state
    }
    const xBase = s.xOffset + t * d;
    for (let j = 0; j < G; j++) {
      let acc = bias[j];
      const wr = j * d;
      for (let q = 0; q < d; q++) acc += x[xBase + q] * WT[wr + q];
      const ur = j * n;
      for (let k = 0; k < n; k++) acc += h[k] * UT[ur + k];
      z[j] = acc;
    }
    const gBase = kk * G;
    const sBase = kk * n;
    for (let j = 0; j < n; j++) {
      const ig = sigmoid(z[j]);
      const fg = sigmoid(z[n + j]);
      const gg = tanh(z[2 * n + j]);
      const og = sigmoid(z[3 * n + j]);
      const cNew = fg * c[j] + ig * gg;
      const th = tanh(cNew);
      const hNew = og * th;
      c[j] = cNew;
      h[j] = hNew;
      gates[gBase + j] = ig;
      gates[gBase + n + j] = fg;
      gates[gBase + 2 * n + j] = gg;
      gates[gBase + 3 * n + j] = og;
      cells[sBase + j] = cNew;
      cellsTanh[sBase + j] = th;
      hidden[sBase + j] = hNew;
    }
    if (returnSequences) {
      out.set(h, outOffset + t * n);
      nextOut = t + 1;
    }
  }
  if (returnSequences) {
    for (; nextOut < T; nextOut++) out.set(h, outOffset + nextOut * n);
  } else {
    out.set(h, outOffset);
  }
}

/**
 * Back-propagates one sample through the recurrence recorded in `trace`.
 *
 * @param dOut gradient of the loss w.r.t. the layer output: (n) at dOutOffset, or (T x n) with
 *   returnSequences. A masked step's output is the carried state, so its gradient flows to the last
 *   active step before it.
 * @param dx receives the gradient w.r.t. this sample's inputs, (T x d) at dxOffset; masked steps get 0.
 * @param grads accumulates (adds) the gradients w.r.t. the weights, laid out as {@link weightLayout}.
 */
export function lstmBackwardSample(
  w: PreparedWeights,
  s: SampleSlot,
  trace: SampleTrace,
  returnSequences: boolean,
  dOut: Floats,
  dOutOffset: number,
  dx: Floats,
  dxOffset: number,
  grads: Float64Array,
  scratch: Float64Array,
): void {
  const d = w.inputSize;
  const n = w.units;
  const G = 4 * n;
  const T = s.steps;
  const lay = weightLayout(d, n);
  const W = w.kernel;
  const U = w.recurrent;
  const x = s.x;
  const K = trace.count;
  const steps = trace.steps;
  const gates = trace.gates;
  const cells = trace.cells;
  const cellsTanh = trace.cellsTanh;
  const hidden = trace.hidden;

  const dz = scratch.subarray(0, G);
  const dh = scratch.subarray(G, G + n);
  const dcNext = scratch.subarray(G + n, G + 2 * n);
  const dhNext = scratch.subarray(G + 2 * n, G + 3 * n);
  dcNext.fill(0);
  dhNext.fill(0);
  dx.fill(0, dxOffset, dxOffset + T * d);

  for (let kk = K - 1; kk >= 0; kk--) {
    const t = steps[kk];
    // Output gradient reaching this step's h: its own step's, plus that of the masked steps repeating it.
    for (let j = 0; j < n; j++) dh[j] = dhNext[j];
    if (returnSequences) {
      const end = kk + 1 < K ? steps[kk + 1] : T;
      for (let u = t; u < end; u++) {
        const base = dOutOffset + u * n;
        for (let j = 0; j < n; j++) dh[j] += dOut[base + j];
      }
    } else if (kk === K - 1) {
      for (let j = 0; j < n; j++) dh[j] += dOut[dOutOffset + j];
    }
    const gBase = kk * G;
    const sBase = kk * n;
    const pBase = sBase - n; // the previous active step's states (when kk > 0)
    for (let j = 0; j < n; j++) {
      const ig = gates[gBase + j];
      const fg = gates[gBase + n + j];
      const gg = gates[gBase + 2 * n + j];
      const og = gates[gBase + 3 * n + j];
      const th = cellsTanh[sBase + j];
      const cPrev = kk > 0 ? cells[pBase + j] : 0;
      const dhj = dh[j];
      const dc = dcNext[j] + dhj * og * (1 - th * th);
      dcNext[j] = dc * fg;
      dz[j] = dc * gg * ig * (1 - ig);
      dz[n + j] = dc * cPrev * fg * (1 - fg);
      dz[2 * n + j] = dc * ig * (1 - gg * gg);
      dz[3 * n + j] = dhj * th * og * (1 - og);
    }
    for (let j = 0; j < G; j++) grads[lay.b + j] += dz[j];
    const xBase = s.xOffset + t * d;
    for (let q = 0; q < d; q++) {
      const xv = x[xBase + q];
      const row = q * G;
      const gRow = lay.w + row;
      let acc = 0;
      for (let j = 0; j < G; j++) {
        grads[gRow + j] += xv * dz[j];
        acc += dz[j] * W[row + j];
      }
      dx[dxOffset + t * d + q] = acc;
    }
    if (kk > 0) {
      for (let k = 0; k < n; k++) {
        const hp = hidden[pBase + k];
        const row = k * G;
        const gRow = lay.u + row;
        let acc = 0;
        for (let j = 0; j < G; j++) {
          grads[gRow + j] += hp * dz[j];
          acc += dz[j] * U[row + j];
        }
        dhNext[k] = acc;
      }
    }
    // kk === 0: h before the first active step is the zero initial state; nothing flows further back.
  }
}
