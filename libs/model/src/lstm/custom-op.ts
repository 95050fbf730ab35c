import * as tf from '@tensorflow/tfjs';

/** A forward pass that also hands back its gradient function, as tf.customGrad wants. */
export type CustomOpForward = (inputs: tf.Tensor[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor) => tf.Tensor[] };

/**
 * Runs `forward` as one tfjs op with a hand-written gradient (tf.customGrad): the ops inside are not
 * recorded on the gradient tape, and back-propagation calls `gradFunc`, which must return one gradient
 * per input, shaped like it.
 */
export function runCustomOp(forward: CustomOpForward, inputs: tf.Tensor[]): tf.Tensor {
  const f = (...args: unknown[]) => forward(args.slice(0, inputs.length) as tf.Tensor[]);
  const op = tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(...inputs) as tf.Tensor;
}
