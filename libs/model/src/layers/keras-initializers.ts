import * as tf from '@tensorflow/tfjs';
import { readTensor } from '../lstm/read-tensor';

/** tfjs's initializer type (its class is not exported by name). */
export type Initializer = ReturnType<typeof tf.initializers.zeros>;

/**
 * tfjs's Initializer base class, reached through an instance because tfjs exports only factories.
 * Subclassing it matters: tfjs layers accept an initializer object only if it is an instance.
 */
const InitializerBase = Object.getPrototypeOf(
  tf.initializers.zeros().constructor,
) as new () => tf.serialization.Serializable;

/**
 * Keras draws its "normal" variance-scaling initializers (he_normal, glorot_normal) from a normal
 * truncated at two standard deviations and widens the standard deviation by 1/0.8796 so the truncated
 * draw keeps the intended variance. tfjs truncates too but without the correction; scaling the variance
 * by 1/0.8796² gives exactly Keras's distribution through tfjs's own, serialisable VarianceScaling.
 */
const TRUNCATION_STDDEV_CORRECTION = 0.87962566103423978;
const TRUNCATED_SCALE = 1 / (TRUNCATION_STDDEV_CORRECTION * TRUNCATION_STDDEV_CORRECTION);

/** Keras `he_normal`: truncated normal, stddev sqrt(2 / fan_in) (after the truncation correction). */
export function kerasHeNormal(seed?: number): Initializer {
  return tf.initializers.varianceScaling({ scale: 2 * TRUNCATED_SCALE, mode: 'fanIn', distribution: 'normal', seed });
}

/** Keras `glorot_normal`: truncated normal, stddev sqrt(2 / (fan_in + fan_out)). */
export function kerasGlorotNormal(seed?: number): Initializer {
  return tf.initializers.varianceScaling({ scale: TRUNCATED_SCALE, mode: 'fanAvg', distribution: 'normal', seed });
}

/** Keras `glorot_uniform` (the Dense and LSTM kernel default): uniform in ±sqrt(6 / (fan_in + fan_out)). */
export function kerasGlorotUniform(seed?: number): Initializer {
  return tf.initializers.glorotUniform({ seed });
}

/**
 * Keras's `orthogonal` initializer (the LSTM recurrent-kernel default), computed in JS.
 *
 * Same recipe as Keras: a standard-normal matrix of shape (max(rows, cols), min(rows, cols)), its thin
 * QR factorisation, Q's columns multiplied by the signs of R's diagonal (which makes Q unique), Q
 * transposed when rows < cols, times `gain`. tfjs's own Orthogonal does the QR with tensor ops, which
 * takes ~2 s on wasm and ~90 s on cpu for an LSTM(256) recurrent kernel (and warns every time); a
 * Householder QR over a Float64Array takes a few hundred ms.
 */
export class FastOrthogonal extends InitializerBase {
  static readonly className = 'FastOrthogonal';
  readonly gain: number;
  readonly seed?: number;

  constructor(args: { gain?: number; seed?: number } = {}) {
    super();
    this.gain = args.gain ?? 1;
    this.seed = args.seed;
  }

  apply(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    if (shape.length < 2) throw new Error(`FastOrthogonal: shape must be at least 2-D, got [${shape}]`);
    const rows = shape.slice(0, -1).reduce((p, q) => p * q, 1);
    const cols = shape[shape.length - 1];
    const m = Math.max(rows, cols);
    const k = Math.min(rows, cols);
    const normal = readTensor(() => tf.randomNormal([m, k], 0, 1, 'float32', this.seed));
    const q = orthonormalColumns(Float64Array.from(normal), m, k);
    const out = new Float32Array(rows * cols);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < k; j++) {
        const v = this.gain * q[i * k + j];
        if (rows >= cols) out[i * cols + j] = v;
        else out[j * cols + i] = v; // Q transposed: (k x m) = (rows x cols)
      }
    }
    return tf.tensor(out, shape, dtype);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { gain: this.gain, seed: this.seed ?? null };
  }

  static fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls({ gain: config.gain ?? 1, seed: config.seed ?? undefined });
  }
}
tf.serialization.registerClass(FastOrthogonal);

/**
 * Q of the thin QR factorisation of A (m x k, m >= k, row-major), with each column's sign chosen so
 * that R's diagonal is positive. Householder reflections in float64.
 */
export function orthonormalColumns(a: Float64Array, m: number, k: number): Float64Array {
  if (m < k) throw new Error(`orthonormalColumns: needs rows >= columns, got ${m} x ${k}`);
  const vs: Float64Array[] = [];
  const rDiagSign = new Float64Array(k);
  const w = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = j; i < m; i++) norm += a[i * k + j] * a[i * k + j];
    norm = Math.sqrt(norm);
    const x0 = a[j * k + j];
    const alpha = x0 >= 0 ? -norm : norm; // R[j][j]; the sign avoids cancellation in v
    rDiagSign[j] = alpha >= 0 ? 1 : -1;
    const v = new Float64Array(m - j);
    for (let i = j; i < m; i++) v[i - j] = a[i * k + j];
    v[0] -= alpha;
    let vNorm = 0;
    for (let i = 0; i < v.length; i++) vNorm += v[i] * v[i];
    vNorm = Math.sqrt(vNorm);
    if (vNorm > 0) for (let i = 0; i < v.length; i++) v[i] /= vNorm;
    vs.push(v);
    applyReflector(a, m, k, j, v, w);
  }
  // Q = H_0 ... H_{k-1} applied to the first k columns of the identity.
  const q = new Float64Array(m * k);
  for (let j = 0; j < k; j++) q[j * k + j] = 1;
  for (let j = k - 1; j >= 0; j--) applyReflector(q, m, k, j, vs[j], w);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) q[i * k + j] *= rDiagSign[j];
  return q;
}

/** A[j:, j:] -= 2 v (vᵀ A[j:, j:]) for a unit vector v of length m - j. */
function applyReflector(a: Float64Array, m: number, k: number, j: number, v: Float64Array, w: Float64Array): void {
  w.fill(0, j, k);
  for (let i = j; i < m; i++) {
    const vi = v[i - j];
    if (vi === 0) continue;
    const row = i * k;
    for (let c = j; c < k; c++) w[c] += vi * a[row + c];
  }
  for (let i = j; i < m; i++) {
    const vi2 = 2 * v[i - j];
    if (vi2 === 0) continue;
    const row = i * k;
    for (let c = j; c < k; c++) a[row + c] -= vi2 * w[c];
  }
}
