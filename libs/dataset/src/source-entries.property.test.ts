import { it } from 'node:test';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { DataSourceError, listZip } from './source-entries';
import { syntheticWav } from './test-support';

const RUNS = { numRuns: 300, seed: 13 };
const valid = zipSync({ 'a.wav': syntheticWav(40), 'b/c.wav': syntheticWav(30) }, { level: 6 });

it('corrupted zips: listing throws only DataSourceError, reading never throws', async () => {
  const mutation = fc.record({
    edits: fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
    cut: fc.nat({ max: valid.length }),
  });
  await fc.assert(fc.asyncProperty(mutation, async ({ edits, cut }) => {
    const bytes = valid.slice(0, Math.max(cut, 4));
    for (const [at, b] of edits) if (at < bytes.length) bytes[at] = b;
    let listing;
    try {
      listing = listZip('fuzz.zip', bytes);
    } catch (e) {
      if (e instanceof DataSourceError) return;
      throw e;
    }
    await listing.read(listing.files);
  }), RUNS);
});
