import * as tf from '@tensorflow/tfjs';

/**
 * tfjs-layers warns on every orthogonal initialisation of more than 2,000 elements. The warning is about
 * speed, not correctness, and our own initializer (FastOrthogonal) avoids the slow path anyway; only
 * that exact message is dropped, every other warning still reaches the console.
 */
const ORTHOGONAL_SLOWNESS = 'Orthogonal initializer is being called on a matrix with more than';

let filterInstalled = false;

/** Drops tfjs's orthogonal-initializer slowness warning from console.warn (once per process). */
export function silenceOrthogonalWarning(): void {
  if (filterInstalled) return;
  filterInstalled = true;
  const warn = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith(ORTHOGONAL_SLOWNESS)) return;
    warn(...args);
  };
}

/**
 * The cpu backend prints a banner recommending tfjs-node on its first tensor write. We already chose
 * and printed the backend, so we mark that first write as done. This is the backend's own one-shot
 * flag; warnings from kernels stay on (unlike `tf.enableProdMode()`, which would hide them all).
 */
export function silenceCpuBanner(): void {
  const backend = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (backend && 'firstUse' in backend) backend.firstUse = false;
}
