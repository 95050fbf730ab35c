import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { fusedLstmOp } from '../lstm/fused-lstm-op';
import { FastOrthogonal, kerasGlorotUniform, type Initializer } from './keras-initializers';
import { resolveInitializer, serializeInitializer, type InitializerSpec } from './serialize-initializer';

/**
 * How the fused LSTM runs its time loop (both split a batch over the LSTM worker threads):
 * - 'samples': per sample, all in JS - for narrow layers over long sequences (the raw-audio LSTM(25)),
 *   where tensor-op overhead would dominate;
 * - 'steps': one backend matMul per step with the gate arithmetic in JS - for wide layers (LSTM(256)),
 *   where the products dominate;
 * - 'auto': 'samples' below 64 units, else 'steps'.
 */
export type FusedLstmStrategy = 'auto' | 'samples' | 'steps';

export interface FusedLstmArgs extends LayerArgs {
  /** Hidden units (n). */
  units: number;
  /** Output every step's hidden state (batch, T, n) instead of the last one (batch, n). Default false. */
  returnSequences?: boolean;
  /** Default glorot_uniform (tf.keras's; tfjs's LSTM default is glorotNormal). */
  kernelInitializer?: InitializerSpec;
  /** Default orthogonal (FastOrthogonal: Keras's recipe, computed in JS). */
  recurrentInitializer?: InitializerSpec;
  /** Default zeros. */
  biasInitializer?: InitializerSpec;
  /** Initialise the forget gate's bias to 1 (tf.keras's default; tfjs's is false). Default true. */
  unitForgetBias?: boolean;
  /** Default 'auto'. Both strategies compute the same function. */
  strategy?: FusedLstmStrategy;
}

/** Units from which 'auto' runs the 'steps' strategy. */
const STEPS_FROM_UNITS = 64;

/**
 * An LSTM layer with tf.keras semantics whose whole masked time loop, forward and backward, is one
 * tfjs op (tf.customGrad) - see lstm/fused-lstm-op.ts.
 *
 * Input: x (batch, T, d), or [x, mask] with mask (batch, T) bool or 0/1 - the way the notebook calls
 * `LSTM(25)(inp, mask=x_mask)`; a masked step carries the state, as in Keras. Weights and their names
 * match tfjs's LSTM (`kernel` d x 4n, `recurrent_kernel` n x 4n, `bias` 4n; gate order i, f, c, o), so
 * weights copy over one to one. Registered with tfjs's serialization, so saved models load again.
 */
export class FusedLstm extends tf.layers.Layer {
  static readonly className = 'FusedLSTM';
  readonly units: number;
  readonly returnSequences: boolean;
  readonly unitForgetBias: boolean;
  readonly strategy: FusedLstmStrategy;
  private readonly kernelInitializer: Initializer;
  private readonly recurrentInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private kernel: tf.LayerVariable | null = null;
  private recurrentKernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: FusedLstmArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units < 1)
      throw new Error(`FusedLstm: units must be a positive integer, got ${args.units}`);
    this.units = args.units;
    this.returnSequences = args.returnSequences ?? false;
    this.unitForgetBias = args.unitForgetBias ?? true;
    this.strategy = args.strategy ?? 'auto';
    this.kernelInitializer = resolveInitializer(args.kernelInitializer, () => kerasGlorotUniform());
    this.recurrentInitializer = resolveInitializer(
      args.recurrentInitializer,
      () => new FastOrthogonal() as unknown as Initializer,
    );
    this.biasInitializer = resolveInitializer(args.biasInitializer, () => tf.initializers.zeros());
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const xShape = splitShapes(inputShape).x;
    const d = xShape[xShape.length - 1];
    if (d == null) throw new Error(`FusedLstm: the input's last dimension must be known, got [${xShape}]`);
    const n = this.units;
    this.kernel = this.addWeight('kernel', [d, 4 * n], 'float32', this.kernelInitializer);
    this.recurrentKernel = this.addWeight('recurrent_kernel', [n, 4 * n], 'float32', this.recurrentInitializer);
    const biasInit = this.unitForgetBias ? unitForgetBiasInitializer(this.biasInitializer, n) : this.biasInitializer;
    this.bias = this.addWeight('bias', [4 * n], 'float32', biasInit);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const x = splitShapes(inputShape).x;
    return this.returnSequences ? [x[0], x[1], this.units] : [x[0], this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const [x, maskInput] = Array.isArray(inputs) ? inputs : [inputs, undefined];
    const mask = maskInput ?? (kwargs.mask as tf.Tensor | undefined) ?? null;
    if (x.rank !== 3) throw new Error(`FusedLstm: expected input (batch, steps, features), got shape [${x.shape}]`);
    const k = this.kernel!.read();
    const r = this.recurrentKernel!.read();
    const b = this.bias!.read();
    return fusedLstmOp(x, k, r, b, mask, {
      units: this.units,
      returnSequences: this.returnSequences,
      kernel: this.resolvedStrategy(),
    });
  }

  /** The strategy 'auto' resolves to for this layer. */
  resolvedStrategy(): 'samples' | 'steps' {
    if (this.strategy !== 'auto') return this.strategy;
    return this.units < STEPS_FROM_UNITS ? 'samples' : 'steps';
  }

  /** The output carries no mask: the mask is consumed here, as in Keras with return_sequences=False. */
  override computeMask(): tf.Tensor {
    return null as unknown as tf.Tensor;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      returnSequences: this.returnSequences,
      kernelInitializer: serializeInitializer(this.kernelInitializer) as unknown as tf.serialization.ConfigDict,
      recurrentInitializer: serializeInitializer(this.recurrentInitializer) as unknown as tf.serialization.ConfigDict,
      biasInitializer: serializeInitializer(this.biasInitializer) as unknown as tf.serialization.ConfigDict,
      unitForgetBias: this.unitForgetBias,
      strategy: this.strategy,
    };
  }
}
tf.serialization.registerClass(FusedLstm);

/** The x shape of a layer input given as x or [x, mask]. */
function splitShapes(inputShape: tf.Shape | tf.Shape[]): { x: tf.Shape } {
  const nested = Array.isArray(inputShape[0]) || inputShape[0] === undefined;
  const x = (nested ? (inputShape as tf.Shape[])[0] : inputShape) as tf.Shape;
  if (!x || x.length !== 3) throw new Error(`FusedLstm: expected input (batch, steps, features), got [${String(x)}]`);
  return { x };
}

/** Bias initializer of Keras's unit_forget_bias: [init(n), ones(n), init(2n)]. */
function unitForgetBiasInitializer(base: Initializer, n: number): Initializer {
  return {
    apply: (_shape: number[], dtype?: tf.DataType) =>
      tf.tidy(() => tf.concat([base.apply([n], dtype), tf.ones([n], dtype), base.apply([2 * n], dtype)])),
    getConfig: () => base.getConfig(),
    getClassName: () => base.getClassName(),
    fromConfigUsesCustomObjects: () => false,
  } as unknown as Initializer;
}
