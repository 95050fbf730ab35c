import * as tf from '@tensorflow/tfjs';

/**
 * Computes a tensor with `f` (intermediates freed) and reads it back, disposing it. Not
 * `tf.tidy(() => t.dataSync())`: tidy walks whatever it returns looking for tensors, element by
 * element for a typed array, which costs seconds for a million values.
 */
export function readTensor(f: () => tf.Tensor): Float32Array {
  const t = tf.tidy(f);
  try {
    return t.dataSync() as Float32Array;
  } finally {
    t.dispose();
  }
}
