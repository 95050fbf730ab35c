import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { mersenne } from 'pure-rand/generator/mersenne';

/**
 * Checks that a seed is an integer in [0, 2^32 - 1]. The generator takes 32 bits, so larger seeds would
 * silently alias smaller ones; refusing them keeps "same seed, same split" honest.
 */
export function assertSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`Seed must be an integer from 0 to 4294967295, got ${seed}`);
  }
}

/**
 * A copy of `items` in a random order fixed by `seed`: a Fisher-Yates shuffle driven by pure-rand's
 * Mersenne Twister (MT19937, seeded like numpy's `RandomState(seed)`) and its unbiased `uniformInt`.
 * MT rather than xoroshiro because pure-rand seeds xoroshiro by copying the seed into its state, so its
 * first outputs for nearby seeds are nearly equal; MT's seeding mixes it. pure-rand is pinned
 * (package.json has an exact version), so a seed gives the same order on every machine.
 *
 * @param seed integer in [0, 2^32 - 1]
 */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  assertSeed(seed);
  const rng = mersenne(seed);
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}
