import { it } from 'node:test';
import fc from 'fast-check';
import { ZIP_PROPERTIES } from './source-entries.properties';

// Bounded for `npm test`; the seed makes a failure repeatable. `nx run dataset:fuzz --runs N` runs many more.
const RUNS = { numRuns: 300, seed: 13 };

for (const p of ZIP_PROPERTIES) it(p.name, async () => fc.assert(p.property() as fc.IAsyncProperty<unknown>, RUNS));
