import * as tf from '@tensorflow/tfjs';

/** What the engine hands a kernel function; tfjs types it loosely, so do we. */
interface KernelArgs {
  inputs: Record<string, tf.TensorInfo>;
  backend: tf.KernelBackend & { disposeData(dataId: object): void };
  attrs?: Record<string, unknown>;
}
type KernelFn = (args: KernelArgs) => tf.TensorInfo;

/** Marker on our replacement kernel, so applying the fix twice does not wrap it twice. */
const FIXED = Symbol('batchMatMulTransposeFix');

/**
 * Makes the wasm `BatchMatMul` kernel fast for transposed operands.
 *
 * On tfjs-backend-wasm 4.22 a product with `transposeA` or `transposeB` set runs 5-10x slower than the
 * same product with the operand transposed first (../shared/notes/tfjs-in-node.md), and every matMul
 * gradient sets one of those flags. The replacement kernel materialises a transposed operand with the
 * backend's own `Transpose` kernel (swapping the last two axes) and then calls the original kernel with
 * both flags false, so the arithmetic is still the original kernel's.
 *
 * Goes through the public kernel registry (`getKernel`, `unregisterKernel`, `registerKernel`) and keeps
 * the original `setupFunc`, so it works before or after the backend is initialised.
 *
 * @returns true when the kernel was replaced now, false when it already was (idempotent).
 * @throws when the backend has no `BatchMatMul` or `Transpose` kernel.
 */
export function applyBatchMatMulTransposeFix(backendName = 'wasm'): boolean {
  const original = tf.getKernel('BatchMatMul', backendName);
  if (!original) throw new Error(`applyBatchMatMulTransposeFix: no BatchMatMul kernel registered for "${backendName}"`);
  if ((original as unknown as Record<symbol, unknown>)[FIXED]) return false;
  const transposeKernel = tf.getKernel('Transpose', backendName);
  if (!transposeKernel)
    throw new Error(`applyBatchMatMulTransposeFix: no Transpose kernel registered for "${backendName}"`);
  const matMul = original.kernelFunc as unknown as KernelFn;
  const transpose = transposeKernel.kernelFunc as unknown as KernelFn;

  const fixed: KernelFn = (args) => {
    const { inputs, backend, attrs = {} } = args;
    const transposeA = Boolean(attrs.transposeA);
    const transposeB = Boolean(attrs.transposeB);
    if (!transposeA && !transposeB) return matMul(args);
    const swapLastTwo = (x: tf.TensorInfo): tf.TensorInfo => {
      const r = x.shape.length;
      const perm = [...Array(r).keys()];
      perm[r - 2] = r - 1;
      perm[r - 1] = r - 2;
      return transpose({ inputs: { x }, backend, attrs: { perm } });
    };
    const a = transposeA ? swapLastTwo(inputs.a) : inputs.a;
    const b = transposeB ? swapLastTwo(inputs.b) : inputs.b;
    try {
      return matMul({
        inputs: { ...inputs, a, b },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      // The transposed copies are ours; the engine never saw them, so we free them.
      if (transposeA) backend.disposeData(a.dataId);
      if (transposeB) backend.disposeData(b.dataId);
    }
  };

  const replacement = { ...original, kernelFunc: fixed as unknown as tf.KernelFunc, [FIXED]: original };
  tf.unregisterKernel('BatchMatMul', backendName);
  tf.registerKernel(replacement);
  return true;
}

/**
 * Undoes {@link applyBatchMatMulTransposeFix} (for tests and benchmarks that compare both kernels).
 * @returns true when the original kernel was restored.
 */
export function removeBatchMatMulTransposeFix(backendName = 'wasm'): boolean {
  const current = tf.getKernel('BatchMatMul', backendName) as unknown as Record<symbol, unknown> | undefined;
  const original = current?.[FIXED] as tf.KernelConfig | undefined;
  if (!original) return false;
  tf.unregisterKernel('BatchMatMul', backendName);
  tf.registerKernel(original);
  return true;
}

/** Whether the fix is in place for the backend. */
export function hasBatchMatMulTransposeFix(backendName = 'wasm'): boolean {
  const current = tf.getKernel('BatchMatMul', backendName) as unknown as Record<symbol, unknown> | undefined;
  return Boolean(current?.[FIXED]);
}
