/**
 * Digit-string benchmark (issue 16): a string model on strings made only from a held-out speaker's clips
 * (16 kHz, 20 dB white noise): groups of 3-4 digits with 0-250 ms gaps, a digit repeated 2-4 times, and every
 * isolated clip; prints digit recall and accuracy, whole-group accuracy, repeat-count accuracy and isolated
 * accuracy beside the goals. With --compare DIR, a one-digit model folder (e.g. an eval-protocol --save-models
 * fold model of the same held-out speaker) classifies the same noisy isolated clips, for the isolated goal.
 *
 * Usage: node tools/run-ts.mjs tools/bench/bench-strings.ts --model DIR --held-out <speaker>
 *          [--data <folder|zip>] [--groups 300] [--repeats 100] [--isolated N] [--compare DIR] [--no-cache]
 * The held-out speaker must not be one the model was trained on (meta.json's trainingSpeakers).
 */
import {
  composeDigitString,
  prepareStringClips,
  readDataset,
  resolveDataSource,
  StringClipPool,
} from '@digits/dataset';
import { defaultCacheDir } from '@digits/features';
import {
  embedStringSet,
  formatStringFigures,
  heldOutStringSets,
  initBackend,
  loadRecognizer,
  loadStringRecognizer,
  scoreStringSet,
  type EmbeddedString,
} from '@digits/model';

/** `--name value` or `--name=value` (as nx forwards it). */
function arg(name: string): string | undefined {
  const eq = process.argv.find((a) => a.startsWith(`${name}=`));
  if (eq) return eq.slice(name.length + 1);
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function positive(name: string, fallback: number): number {
  const v = arg(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${v}"`);
  return n;
}

async function main() {
  const modelDir = arg('--model');
  const speaker = arg('--held-out');
  if (!modelDir || !speaker) throw new Error('usage: bench-strings.ts --model DIR --held-out <speaker> [--data ...]');
  await initBackend({ prefer: 'wasm', log: (l) => console.error(l) });
  const rec = await loadStringRecognizer(modelDir);
  const trained = rec.meta.trainingSpeakers;
  if (Array.isArray(trained) && trained.includes(speaker))
    throw new Error(`${modelDir}: trained on ${speaker} (meta.json trainingSpeakers): not a held-out speaker`);
  const dataset = await readDataset(await resolveDataSource({ flag: arg('--data') }));
  const clips = dataset.clips.filter((c) => c.speaker === speaker);
  if (clips.length === 0)
    throw new Error(`--held-out: no clips of "${speaker}" (the data has ${dataset.speakers.join(', ')})`);
  const prepared = prepareStringClips(clips);
  for (const f of prepared.failed) console.error(`skipped ${f.name}: ${f.reason}`);
  const pool = new StringClipPool(prepared.clips);
  const cacheDir = process.argv.includes('--no-cache') ? null : defaultCacheDir();
  const sets = heldOutStringSets(pool, {
    groups: positive('--groups', 300),
    repeats: positive('--repeats', 100),
    isolated: arg('--isolated') === undefined ? undefined : positive('--isolated', 1),
  });
  const t0 = performance.now();
  const embedded: EmbeddedString[][] = [];
  for (const spec of sets) embedded.push(await embedStringSet(rec.frontEnd, pool, spec, { cacheDir }));
  const embedSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const figures = {
    groups: scoreStringSet(rec.model, embedded[0]),
    repeats: scoreStringSet(rec.model, embedded[1]),
    isolated: scoreStringSet(rec.model, embedded[2]),
  };
  const decodeSeconds = (performance.now() - t1) / 1000;
  const audioSeconds = embedded.flat().reduce((s, e) => s + e.samples, 0) / 16000;
  let reference: string | undefined;
  const compare = arg('--compare');
  if (compare) {
    // The same isolated strings (same seeds, same noise) through the one-digit model.
    const one = await loadRecognizer(compare);
    const iso = sets[2];
    let right = 0;
    let rightKept = 0;
    for (let i = 0; i < iso.clips!.length; i++) {
      const s = composeDigitString(iso.clips![i], iso.seed + i, { ...iso.options, sampleRate: 16000 });
      const r = await one.classify(s.samples, 16000);
      if (r.label === String(s.digits[0])) {
        right++;
        if (!r.unknown) rightKept++;
      }
    }
    const n = iso.clips!.length;
    reference = `${compare}: top digit right ${(right / n).toFixed(3)}, ${(rightKept / n).toFixed(3)} counting its "unknown" answers as wrong, same clips and noise`;
    one.dispose();
  }
  console.log(`digit strings, held-out speaker ${speaker}, model ${modelDir} (${rec.model.countParams()} parameters)`);
  for (const line of formatStringFigures(figures, reference)) console.log(line);
  console.log(
    `front end: ${audioSeconds.toFixed(0)} s of audio embedded (or read from the cache) in ${embedSeconds.toFixed(1)} s; network + decoding ${decodeSeconds.toFixed(1)} s (shared machine: timings move with its load)`,
  );
  await rec.dispose();
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
