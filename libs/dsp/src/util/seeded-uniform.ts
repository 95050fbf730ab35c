/**
 * A small seeded generator (mulberry32), uniform in [0, 1): test signals, noise and augmentation that
 * are the same on every run. Kept here (not pure-rand) because the project's fixed test streams were
 * made with exactly this sequence.
 */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
