import * as tf from '@tensorflow/tfjs';

/** A named tensor as optimizers exchange their state (tfjs does not export the type by name). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

export interface KerasAdamConfig {
  /** Step size. Default 0.001 (Keras). */
  learningRate?: number;
  /** Decay of the first-moment estimate. Default 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate. Default 0.999. */
  beta2?: number;
  /** Added to √v. Default 1e-7 (Keras; tfjs's Adam defaults to the backend epsilon). */
  epsilon?: number;
}

/**
 * Adam exactly as tf.keras (TF 2.x) updates a variable at step t = iterations + 1:
 *
 *   m ← β1·m + (1-β1)·g;  v ← β2·v + (1-β2)·g²;  lr_t = lr·√(1-β2^t)/(1-β1^t);  θ ← θ - lr_t·m/(√v + ε)
 *
 * tfjs's AdamOptimizer divides the bias-corrected moments instead (θ ← θ - lr·m̂/(√v̂ + ε)), which is the
 * same update with ε scaled by √(1-β2^t): a 30x larger effective ε on the first step. The difference
 * only shows for tiny gradients, but this class removes it.
 *
 * State layout follows tfjs's Adam (and Keras's): getWeights() = [iterations, m..., v...] in the order
 * the variables were first updated, so a resumed training continues exactly (setWeights()).
 */
export class KerasAdam extends tf.Optimizer {
  static get className(): string {
    return 'KerasAdam';
  }

  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private m: Slot[] = [];
  private v: Slot[] = [];

  constructor(config: KerasAdamConfig = {}) {
    super();
    this.learningRate = config.learningRate ?? 0.001;
    this.beta1 = config.beta1 ?? 0.9;
    this.beta2 = config.beta2 ?? 0.999;
    this.epsilon = config.epsilon ?? 1e-7;
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries: [string, tf.Tensor | undefined][] = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor])
      : Object.entries(variableGradients);
    const t = this.iterations + 1;
    // Scalars in float64 here, as Keras computes them once per step.
    const lrT = (this.learningRate * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    tf.tidy(() => {
      entries.forEach(([name, gradient], i) => {
        const value = tf.engine().registeredVariables[name];
        if (!value) throw new Error(`KerasAdam: no variable named "${name}"`);
        this.m[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        this.v[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        if (gradient == null) return;
        const m = this.m[i].variable;
        const v = this.v[i].variable;
        const mNew = tf.add(tf.mul(m, this.beta1), tf.mul(gradient, 1 - this.beta1));
        const vNew = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2));
        m.assign(mNew);
        v.assign(vNew);
        value.assign(tf.sub(value, tf.mul(tf.div(mNew, tf.add(tf.sqrt(vNew), this.epsilon)), lrT)));
      });
    });
    this.incrementIterations();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const slots = [...this.m, ...this.v];
    return [await this.saveIterations(), ...slots.map((s) => ({ name: s.originalName, tensor: s.variable }))];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    if (rest.length % 2 !== 0)
      throw new Error(
        `KerasAdam.setWeights: expected iterations then m and v pairs, got ${weightValues.length} tensors`,
      );
    this.disposeSlots();
    const half = rest.length / 2;
    this.m = rest.slice(0, half).map((w) => ({ originalName: w.name, variable: w.tensor.variable(false) }));
    this.v = rest.slice(half).map((w) => ({ originalName: w.name, variable: w.tensor.variable(false) }));
  }

  override dispose(): void {
    super.dispose();
    this.disposeSlots();
  }

  private disposeSlots(): void {
    tf.dispose([...this.m, ...this.v].map((s) => s.variable));
    this.m = [];
    this.v = [];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }
}
tf.serialization.registerClass(KerasAdam);
