// Seeded draws for every generator of this lib: one mulberry32 stream (dsp's seededUniform) per seed, so a
// room, a noise or a condition is the same on every run and machine.
import { seededUniform } from '@digits/dsp';

export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
}

export function seededRng(seed: number): Rng {
  const u = seededUniform(seed);
  let spare: number | null = null;
  return {
    uniform: u,
    range: (lo, hi) => lo + (hi - lo) * u(),
    normal: () => {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      const r = Math.sqrt(-2 * Math.log(1 - u()));
      const t = 2 * Math.PI * u();
      spare = r * Math.sin(t);
      return r * Math.cos(t);
    },
    int: (n) => Math.floor(u() * n),
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick: no items to choose from');
      return items[Math.floor(u() * items.length)];
    },
  };
}

/** A 32-bit seed from a seed and any salts (FNV-1a over their text): independent streams per purpose. */
export function deriveSeed(seed: number, ...salts: (string | number)[]): number {
  let h = 2166136261 ^ (seed >>> 0);
  for (const s of salts.join('\u0000') + '|') h = Math.imul(h ^ s.charCodeAt(0), 16777619);
  return h >>> 0;
}
