import * as tf from '@tensorflow/tfjs';
import { KerasAdam, type KerasAdamConfig } from './keras-adam';

/** Keras's backend epsilon, where it clips probabilities before the log. */
export const KERAS_EPSILON = 1e-7;

export interface ExperimentCompileOptions extends KerasAdamConfig {
  /** Adam step size (the notebook: 1e-3 for the raw models, 5e-4 for the spectrogram models). */
  learningRate: number;
}

/**
 * Compiles a model as the notebook does: `compile(optimizer=Adam(lr), loss='sparse_categorical_crossentropy')`
 * - Adam with Keras's update and defaults (β1 0.9, β2 0.999, ε 1e-7; see KerasAdam), and sparse
 * categorical cross-entropy on probabilities clipped to [1e-7, 1 - 1e-7], which is how tfjs's
 * 'sparseCategoricalCrossentropy' and Keras's non-logits path compute it (see
 * {@link sparseCategoricalCrossentropy}). Labels are class indices, shape (batch) or (batch, 1).
 * @returns the optimizer (its state is what a checkpoint saves).
 */
export function compileForExperiment(model: tf.LayersModel, opts: ExperimentCompileOptions): KerasAdam {
  const optimizer = new KerasAdam(opts);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
  return optimizer;
}

/**
 * Per-sample sparse categorical cross-entropy as Keras's backend computes it from probabilities:
 * p clipped to [ε, 1-ε], then -log(p_y / Σ_k p_k) (Keras takes a softmax of log p, which renormalises).
 *
 * Keras 2.x's fit() actually reads the logits cached on a softmax output and skips the clipping; the
 * two agree to float32 rounding whenever 1e-7 < p_y < 1 - 1e-7, and differ only for saturated outputs.
 *
 * @param yTrue class indices, (batch) or (batch, 1).
 * @param yPred probabilities, (batch, classes).
 * @returns (batch) losses.
 */
export function sparseCategoricalCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const classes = yPred.shape[yPred.shape.length - 1]!;
    const labels = tf.cast(tf.reshape(yTrue, [-1]), 'int32');
    const p = tf.clipByValue(yPred, KERAS_EPSILON, 1 - KERAS_EPSILON);
    const logNormalised = tf.sub(tf.log(p), tf.log(tf.sum(p, -1, true)));
    return tf.neg(tf.sum(tf.mul(tf.oneHot(labels, classes), logNormalised), -1));
  });
}

/**
 * Mean sparse categorical cross-entropy of predicted probabilities, in float64 JS - the figure Keras
 * reports as `loss` / `val_loss`, computed from {@link predictProbs}' output without more tensors.
 * @param probs (n, classes) row-major.
 * @param labels n class indices.
 */
export function meanSparseCategoricalCrossentropy(
  probs: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes: number,
): number {
  const n = labels.length;
  if (probs.length !== n * classes)
    throw new Error(
      `meanSparseCategoricalCrossentropy: ${probs.length} probabilities for ${n} labels x ${classes} classes`,
    );
  if (n === 0) return NaN;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += clip(probs[i * classes + k]);
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= classes)
      throw new Error(`meanSparseCategoricalCrossentropy: label ${y} at ${i} is not a class index below ${classes}`);
    total -= Math.log(clip(probs[i * classes + y]) / sum);
  }
  return total / n;
}

function clip(p: number): number {
  return Math.min(1 - KERAS_EPSILON, Math.max(KERAS_EPSILON, p));
}
