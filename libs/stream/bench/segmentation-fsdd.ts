// Measures the speech detector on long FSDD streams: for N clips separated by silence with white noise,
// how many clips give exactly one utterance, how far its boundaries are from the clip's, and how many
// utterances appear in the silences. Prints numbers; not a test.
//
//   npx tsx libs/stream/bench/segmentation-fsdd.ts [--clips 200] [--seeds 1,2,3] [--rate 8000] [--snr 30]
//        [--normalize -26|none] [--detector '{"hangoverMs":250}'] [--cut '{"trimTopDb":40}'] [--verbose]
import { readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { from, lastValueFrom, toArray } from 'rxjs';
import { cutUtterances, detectSpeech, frameAudio } from '../src/index';
import {
  buildFsddStream,
  chunksOf,
  FSDD_RECORDINGS,
  pickFsddFiles,
  scoreSegmentation,
} from '../src/testing/fsdd-stream';
import { seededRandom } from '../src/testing/synthetic-audio';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clips: { type: 'string', default: '200' },
      seeds: { type: 'string', default: '1,2,3' },
      rate: { type: 'string', default: '8000' },
      snr: { type: 'string', default: '30' },
      normalize: { type: 'string', default: '-26' },
      detector: { type: 'string', default: '{}' },
      cut: { type: 'string', default: '{}' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const all = readdirSync(FSDD_RECORDINGS)
    .filter((f) => f.endsWith('.wav'))
    .sort();
  const sampleRate = Number(values.rate);
  for (const seed of values.seeds.split(',').map(Number)) {
    const files = pickFsddFiles(all, Number(values.clips), seededRandom(seed));
    const stream = buildFsddStream(files, {
      seed,
      sampleRate,
      snrDb: Number(values.snr),
      normalizeDbfs: values.normalize === 'none' ? undefined : Number(values.normalize),
    });
    const t0 = performance.now();
    const utterances = await lastValueFrom(
      from(chunksOf(stream, 1024)).pipe(
        frameAudio(10),
        detectSpeech(JSON.parse(values.detector)),
        cutUtterances({ ...JSON.parse(values.cut), targetSampleRate: sampleRate, bandSampleRate: sampleRate }),
        toArray(),
      ),
    );
    const ms = performance.now() - t0;
    const s = scoreSegmentation(stream, utterances);
    const q = (p: number) => (s.errorsMs[Math.floor(p * (s.errorsMs.length - 1))] ?? NaN).toFixed(0);
    console.log(
      `seed ${seed}: ${s.exactlyOne}/${s.clips} exactly one utterance (${((100 * s.exactlyOne) / s.clips).toFixed(1)}%), ` +
        `${s.within100Ms} within 100 ms of the clip, ${s.speechWithin100Ms} of its speech, ${s.spurious} spurious; boundary error median ${q(0.5)}, p95 ${q(0.95)}, max ${q(1)} ms; ` +
        `noise ${stream.noiseDbfs.toFixed(1)} dBFS; ${(stream.samples.length / stream.sampleRate).toFixed(0)} s of audio in ${ms.toFixed(0)} ms`,
    );
    if (values.verbose) for (const p of s.problems) console.log(`  ${p}`);
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
