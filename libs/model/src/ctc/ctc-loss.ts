// Connectionist temporal classification (Graves et al. 2006) for tfjs, which has none: the negative log
// probability of a label sequence summed over every frame alignment that collapses to it. The forward-backward
// recursions run in JavaScript in float64 log space (small T, L and C: a CTC head over 80 ms frames), and the
// gradient with respect to the logits comes from the same pass, wrapped as one op with tf.customGrad so that
// optimizer.minimize can train through it on any backend (the wasm backend included).
import * as tf from '@tensorflow/tfjs';

/** Options of {@link ctcLoss}. */
export interface CtcLossOptions {
  /**
   * The blank's class index: 0 (as in PyTorch and warp-ctc) or C - 1 (as in TensorFlow's ctc_loss); any index
   * in [0, C) works. Labels must never use it. Default 0.
   */
  blank?: number;
  /**
   * An item whose labels cannot fit its frames (fewer frames than labels plus the blanks that repeated labels
   * need) has probability 0: its loss is +Infinity, or 0 with zeroInfinity (PyTorch's option of that name).
   * Either way its gradient is 0, so one impossible item never turns a batch's gradient into NaN.
   * Default false.
   */
  zeroInfinity?: boolean;
}

/** Label sequences of a batch: padded rows (B x L, padding ignored) and each row's length. */
export interface CtcLabels {
  /** Row-major B x maxLabelLength class indices; entries past a row's length are ignored. */
  labels: ArrayLike<number>;
  labelLengths: ArrayLike<number>;
  /** Frames of each item (<= T); frames past it are padding, get no gradient and do not count. */
  inputLengths: ArrayLike<number>;
}

const NEG_INF = -Infinity;

function logAdd(a: number, b: number): number {
  if (a === NEG_INF) return b;
  if (b === NEG_INF) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** Result of {@link ctcForwardBackward} for one item. */
export interface CtcItemResult {
  /** -log p(labels | logits); +Infinity when no alignment exists. */
  loss: number;
  /** d loss / d logits (T x C, row-major; zero past inputLength and for an impossible item). */
  grad: Float64Array;
}

/**
 * One item's CTC loss and its gradient with respect to unnormalised logits (T x C, row-major; the softmax over C
 * is part of the loss). The extended sequence l' is the labels with a blank before, between and after them
 * (length S = 2L + 1); alpha_t(s) is the log probability of the frames 0..t ending in l'_s, beta_t(s) that of
 * frames t+1..T-1 given l'_s at t. A step may skip a blank only between two different labels: the blank rule
 * that keeps "1 1" apart from "1".
 */
export function ctcForwardBackward(
  logits: ArrayLike<number>,
  frames: number,
  classes: number,
  labels: ArrayLike<number>,
  blank = 0,
): CtcItemResult {
  const T = frames;
  const C = classes;
  const L = labels.length;
  const S = 2 * L + 1;
  const grad = new Float64Array(T * C);
  // Log-softmax per frame.
  const logp = new Float64Array(T * C);
  for (let t = 0; t < T; t++) {
    let max = NEG_INF;
    for (let c = 0; c < C; c++) max = Math.max(max, logits[t * C + c]);
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp(logits[t * C + c] - max);
    const lse = max + Math.log(sum);
    for (let c = 0; c < C; c++) logp[t * C + c] = logits[t * C + c] - lse;
  }
  const ext = new Int32Array(S);
  for (let s = 0; s < S; s++) ext[s] = s % 2 === 0 ? blank : labels[(s - 1) / 2];
  // May s be reached from s - 2 (skipping the blank between)? Only for a label differing from the one before.
  const skip = (s: number) => s >= 2 && ext[s] !== blank && ext[s] !== ext[s - 2];
  if (T === 0) return { loss: L === 0 ? 0 : Infinity, grad };
  const alpha = new Float64Array(T * S).fill(NEG_INF);
  alpha[0] = logp[ext[0]];
  if (S > 1) alpha[1] = logp[ext[1]];
  for (let t = 1; t < T; t++) {
    for (let s = 0; s < S; s++) {
      let a = alpha[(t - 1) * S + s];
      if (s >= 1) a = logAdd(a, alpha[(t - 1) * S + s - 1]);
      if (skip(s)) a = logAdd(a, alpha[(t - 1) * S + s - 2]);
      alpha[t * S + s] = a === NEG_INF ? NEG_INF : a + logp[t * C + ext[s]];
    }
  }
  const logProb = S > 1 ? logAdd(alpha[(T - 1) * S + S - 1], alpha[(T - 1) * S + S - 2]) : alpha[(T - 1) * S];
  if (logProb === NEG_INF) return { loss: Infinity, grad };
  const beta = new Float64Array(T * S).fill(NEG_INF);
  beta[(T - 1) * S + S - 1] = 0;
  if (S > 1) beta[(T - 1) * S + S - 2] = 0;
  for (let t = T - 2; t >= 0; t--) {
    for (let s = 0; s < S; s++) {
      // Next state s' in {s, s+1, s+2 (if s+2 may skip s+1)}, each emitting at t+1.
      let b = beta[(t + 1) * S + s] + logp[(t + 1) * C + ext[s]];
      if (s + 1 < S) b = logAdd(b, beta[(t + 1) * S + s + 1] + logp[(t + 1) * C + ext[s + 1]]);
      if (s + 2 < S && skip(s + 2)) b = logAdd(b, beta[(t + 1) * S + s + 2] + logp[(t + 1) * C + ext[s + 2]]);
      beta[t * S + s] = b;
    }
  }
  // d(-log p)/d u_tk = y_tk - (1/p) sum_{s: l'_s = k} alpha_t(s) beta_t(s).
  const occupancy = new Float64Array(C);
  for (let t = 0; t < T; t++) {
    occupancy.fill(0);
    for (let s = 0; s < S; s++) {
      const ab = alpha[t * S + s] + beta[t * S + s];
      if (ab !== NEG_INF) occupancy[ext[s]] += Math.exp(ab - logProb);
    }
    for (let c = 0; c < C; c++) grad[t * C + c] = Math.exp(logp[t * C + c]) - occupancy[c];
  }
  return { loss: -logProb, grad };
}

function checkInputs(shape: number[], l: CtcLabels, blank: number): void {
  const [B, T, C] = shape;
  if (shape.length !== 3) throw new Error(`ctcLoss: logits must be (batch, frames, classes), got [${shape}]`);
  if (!Number.isInteger(blank) || blank < 0 || blank >= C)
    throw new Error(`ctcLoss: blank ${blank} is not a class index in [0, ${C})`);
  if (l.labelLengths.length !== B || l.inputLengths.length !== B)
    throw new Error(
      `ctcLoss: ${l.labelLengths.length} label lengths and ${l.inputLengths.length} input lengths for a batch of ${B}`,
    );
  const maxL = B === 0 ? 0 : l.labels.length / B;
  if (!Number.isInteger(maxL)) throw new Error(`ctcLoss: ${l.labels.length} labels do not make ${B} padded rows`);
  for (let b = 0; b < B; b++) {
    const n = l.labelLengths[b];
    const f = l.inputLengths[b];
    if (!Number.isInteger(n) || n < 0 || n > maxL)
      throw new Error(`ctcLoss: item ${b}: label length ${n} not in [0, ${maxL}]`);
    if (!Number.isInteger(f) || f < 0 || f > T)
      throw new Error(`ctcLoss: item ${b}: input length ${f} not in [0, ${T}]`);
    for (let i = 0; i < n; i++) {
      const y = l.labels[b * maxL + i];
      if (!Number.isInteger(y) || y < 0 || y >= C || y === blank)
        throw new Error(`ctcLoss: item ${b}: label ${i} is ${y}, not a non-blank class in [0, ${C})`);
    }
  }
}

/**
 * CTC loss per batch item: logits (B, T, C) unnormalised (a log-softmax over C is applied inside; feeding
 * log-probabilities gives the same result, since log-softmax is idempotent), labels padded (B x L) with their
 * lengths, and each item's frame count. Returns a (B) tensor of -log p(labels | frames); take its mean (or divide
 * by label lengths) for a training loss. Differentiable in the logits only.
 */
export function ctcLoss(logits: tf.Tensor3D, labels: CtcLabels, opts: CtcLossOptions = {}): tf.Tensor1D {
  const blank = opts.blank ?? 0;
  checkInputs(logits.shape, labels, blank);
  const [B, T, C] = logits.shape;
  const maxL = B === 0 ? 0 : labels.labels.length / B;
  // customGrad's callback takes its tensors (and a save function) as rest arguments.
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const data = (args[0] as tf.Tensor).dataSync();
    const losses = new Float32Array(B);
    const grads = new Float32Array(B * T * C);
    for (let b = 0; b < B; b++) {
      const frames = labels.inputLengths[b];
      const ys = Array.from({ length: labels.labelLengths[b] }, (_, i) => labels.labels[b * maxL + i]);
      const r = ctcForwardBackward(data.subarray(b * T * C, b * T * C + frames * C), frames, C, ys, blank);
      losses[b] = r.loss === Infinity && opts.zeroInfinity ? 0 : r.loss;
      if (r.loss !== Infinity) grads.set(r.grad, b * T * C);
    }
    const value = tf.tensor1d(losses);
    return {
      value,
      gradFunc: (dy: tf.Tensor) => tf.mul(tf.reshape(dy, [B, 1, 1]), tf.tensor3d(grads, [B, T, C])),
    };
  });
  return op(logits) as tf.Tensor1D;
}
