import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';

export interface ReduceMeanArgs extends LayerArgs {
  /** Axis to average over; negative counts from the end. Default -1 (the last). */
  axis?: number;
}

/**
 * Mean over one axis, as the notebook's `tf.math.reduce_mean(x, axis=-1)` between the LSTM and the
 * first Dense layer (Keras shows it as a TFOpLambda layer). Registered, so saved models load again.
 */
export class ReduceMean extends tf.layers.Layer {
  static readonly className = 'ReduceMean';
  readonly axis: number;

  constructor(args: ReduceMeanArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const axis = this.axis < 0 ? shape.length + this.axis : this.axis;
    if (axis < 1 || axis >= shape.length)
      throw new Error(`ReduceMean: axis ${this.axis} is not a non-batch axis of [${shape}]`);
    return shape.filter((_, i) => i !== axis);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.mean(x, this.axis);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), axis: this.axis };
  }
}
tf.serialization.registerClass(ReduceMean);
