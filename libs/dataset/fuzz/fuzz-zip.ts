// `nx run dataset:fuzz [--runs N] [--seed S]`: the decoder's properties (decode-wav.properties.ts) with many
// more cases than `npm test` runs. Prints, per property, the cases run and any failure (shrunk
// counterexample), then the peak RSS; exits 1 if a property failed. A figure, never a timed test.
import fc from 'fast-check';
import { ZIP_PROPERTIES } from '../src/source-entries.properties';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 0)
    throw new Error(`--${name}: expected a non-negative integer, got ${process.argv[i + 1]}`);
  return v;
}

const runs = arg('runs', 20_000);
const seed = arg('seed', Date.now() % 2 ** 31);
async function main(): Promise<void> {
  let cases = 0;
  let failures = 0;
  console.log(`dataset:fuzz: ${ZIP_PROPERTIES.length} properties, ${runs} cases each, seed ${seed}`);
  for (const p of ZIP_PROPERTIES) {
    const details = await fc.check(p.property() as fc.IAsyncProperty<unknown>, { numRuns: runs, seed });
    cases += details.numRuns;
    if (details.failed) {
      failures++;
      console.log(
        `FAIL  ${p.name}\n      counterexample ${fc.stringify(details.counterexample)}: ${String(details.errorInstance)}`,
      );
    } else {
      console.log(`ok    ${p.name} (${details.numRuns} cases)`);
    }
  }
  const peakMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`cases run ${cases}, failures ${failures}, peak RSS ${peakMiB} MiB`);
  process.exitCode = failures > 0 ? 1 : 0;
}

void main();
