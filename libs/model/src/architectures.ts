import * as tf from '@tensorflow/tfjs';
import { FusedLstm, type FusedLstmStrategy } from './layers/fused-lstm';
import {
  FastOrthogonal,
  kerasGlorotNormal,
  kerasGlorotUniform,
  kerasHeNormal,
  type Initializer,
} from './layers/keras-initializers';
import { ReduceMean } from './layers/reduce-mean';

/** Classes the models predict (the digits 0-9). */
export const NUM_CLASSES = 10;

export interface RawModelOptions {
  /** Samples per clip (LSTM time steps). Default 17,640 (0.8 s at 22,050 Hz). */
  steps?: number;
  /** LSTM units. Default 25. */
  units?: number;
  /** dtype of the mask input: Keras's 'bool' (default) or 'float32' 0/1. */
  maskDtype?: 'bool' | 'float32';
  /** Fused-LSTM strategy; default 'auto' (the per-sample JS loop, threaded, for 25 units). */
  strategy?: FusedLstmStrategy;
  /** Model name, shown by modelSummary. Default 'model' (as Keras names it). */
  name?: string;
  /** Seed for the weight initialisers (same seed, same initial weights). Default: unseeded. */
  seed?: number;
}

/**
 * Models 1 and 3 of the notebook: inputs `x` (steps, 1) float32 and `mask` (steps) bool;
 * LSTM(25) applied with that mask -> Dense(50, relu, he_normal) -> Dense(10, softmax, glorot_normal).
 * 4,510 parameters (LSTM 2,700; Dense 1,300; Dense 510). The LSTM is the fused one (one op over the
 * whole masked time loop); layer names are Keras's (input_1, input_2, lstm, dense, dense_1).
 */
export function buildRawModel(opts: RawModelOptions = {}): tf.LayersModel {
  const steps = opts.steps ?? 17640;
  const x = tf.input({ shape: [steps, 1], name: 'input_1', dtype: 'float32' });
  const mask = tf.input({ shape: [steps], name: 'input_2', dtype: opts.maskDtype ?? 'bool' });
  const lstm = new FusedLstm({
    units: opts.units ?? 25,
    name: 'lstm',
    strategy: opts.strategy,
    ...lstmInitializers(opts.seed),
  }).apply([x, mask]) as tf.SymbolicTensor;
  return tf.model({ inputs: [x, mask], outputs: classifierHead(lstm, 50, opts.seed), name: opts.name ?? 'model' });
}

export interface SpectrogramModelOptions {
  /** Mel bands = LSTM time steps. Default 64. */
  bands?: number;
  /** Frames per band = features per step. Default 35. */
  frames?: number;
  /** LSTM units. Default 256. */
  units?: number;
  /** Dense units after the mean. Default 256. */
  denseUnits?: number;
  /**
   * 'fused' (default): our FusedLstm; 'stock': tfjs's tf.layers.lstm with tf.keras's settings (for
   * comparison and benchmarks; the same function, slower).
   */
  lstm?: 'fused' | 'stock';
  strategy?: FusedLstmStrategy;
  name?: string;
  /** Seed for the weight initialisers (same seed, same initial weights). Default: unseeded. */
  seed?: number;
}

/**
 * Models 2 and 4 of the notebook: input (64, 35) - the mel bands are the time steps, the frames the
 * features; LSTM(256, return_sequences) -> mean over the last axis (the units), giving (64) ->
 * Dense(256, relu, he_normal) -> Dense(10, softmax, glorot_normal). 318,218 parameters
 * (LSTM 299,008; Dense 16,640; Dense 2,570).
 */
export function buildSpectrogramModel(opts: SpectrogramModelOptions = {}): tf.LayersModel {
  const bands = opts.bands ?? 64;
  const frames = opts.frames ?? 35;
  const units = opts.units ?? 256;
  const x = tf.input({ shape: [bands, frames], name: 'input_1' });
  const lstmLayer =
    opts.lstm === 'stock'
      ? tf.layers.lstm({
          units,
          returnSequences: true,
          name: 'lstm',
          recurrentActivation: 'sigmoid',
          unitForgetBias: true,
          ...lstmInitializers(opts.seed),
        })
      : new FusedLstm({
          units,
          returnSequences: true,
          name: 'lstm',
          strategy: opts.strategy,
          ...lstmInitializers(opts.seed),
        });
  const seq = lstmLayer.apply(x) as tf.SymbolicTensor;
  const mean = new ReduceMean({ axis: -1, name: 'tf.math.reduce_mean' }).apply(seq) as tf.SymbolicTensor;
  return tf.model({
    inputs: x,
    outputs: classifierHead(mean, opts.denseUnits ?? 256, opts.seed),
    name: opts.name ?? 'model',
  });
}

/** Dense(hidden, relu, he_normal) -> Dense(10, softmax, glorot_normal), Keras initialisers. */
function classifierHead(input: tf.SymbolicTensor, hidden: number, seed?: number): tf.SymbolicTensor {
  const h = tf.layers
    .dense({ units: hidden, activation: 'relu', kernelInitializer: kerasHeNormal(offset(seed, 2)), name: 'dense' })
    .apply(input);
  return tf.layers
    .dense({
      units: NUM_CLASSES,
      activation: 'softmax',
      kernelInitializer: kerasGlorotNormal(offset(seed, 3)),
      name: 'dense_1',
    })
    .apply(h) as tf.SymbolicTensor;
}

/** tf.keras's LSTM initialisers (glorot_uniform kernel, orthogonal recurrent kernel), seeded if asked. */
function lstmInitializers(seed?: number): { kernelInitializer: Initializer; recurrentInitializer: Initializer } {
  return {
    kernelInitializer: kerasGlorotUniform(offset(seed, 0)),
    recurrentInitializer: new FastOrthogonal({ seed: offset(seed, 1) }) as unknown as Initializer,
  };
}

/** A distinct seed per layer, so layers of one model do not share random streams. */
function offset(seed: number | undefined, k: number): number | undefined {
  return seed === undefined ? undefined : seed * 10 + k;
}
