import { it } from 'node:test';
import fc from 'fast-check';
import { WAV_PROPERTIES } from './decode-wav.properties';

// Bounded for `npm test`; the seed makes a failure repeatable. `nx run dsp:fuzz --runs N` runs many more.
const RUNS = { numRuns: 300, seed: 13 };

for (const p of WAV_PROPERTIES) it(p.name, () => fc.assert(p.property(), RUNS));
