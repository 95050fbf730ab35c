// Small statistics, formatting and a gated source shared by the live benchmarks.
import { defer, from, switchMap } from 'rxjs';
import type { AudioSource } from '../src/sources/audio-source';

/** Value at quantile q (0..1) of `values`, by linear interpolation between order statistics; NaN if empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}

export const ms = (v: number) => `${v.toFixed(1)} ms`;
export const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
export const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

/** The source held back until `open()` is called, so dashboards connect before the first chunk. */
export function gatedSource(source: AudioSource): { source: AudioSource; open: () => void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { source: { ...source, chunks$: defer(() => from(opened)).pipe(switchMap(() => source.chunks$)) }, open };
}
