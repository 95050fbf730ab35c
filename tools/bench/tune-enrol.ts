/**
 * Chooses enrolment settings on validation voices, never on a benchmark's test speaker: synthetic TTS voices
 * (data/espeak-train-digits, speakers tts<k>, 2 takes per digit) that the LOSO fold models did not train on
 * (they trained on their three FSDD speakers only). Each fold model enrols some TTS voices with take 0 of every
 * digit and is tested on take 1 of that voice; other TTS voices and the fold's own training speakers measure
 * what the enrolment costs everyone else. bench-enrol then reports the chosen settings on the held-out FSDD speaker.
 *
 * Usage: node tools/run-ts.mjs tools/bench/tune-enrol.ts --models <folder of loso-<speaker>/> [--tts data/espeak-train-digits]
 *          [--data data/recordings] [--voices 6] [--grid pull=0.003,0.03,0.3] [--folds 2]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readClips } from '@digits/dataset';
import { decodeWav } from '@digits/dsp';
import { initBackend } from '@digits/model';
import { accuracy, arg } from './enrol-bench-support';
import { enrolVoice, type EnrolSettings, type EnrolTake } from '@digits/voice';

async function main(): Promise<void> {
  const modelsDir = arg('--models');
  if (!modelsDir) throw new Error('--models is required');
  const tts = (await readClips([arg('--tts', 'data/espeak-train-digits')!])).clips.filter((c) => c.digit !== null);
  const fsdd = (await readClips([arg('--data', 'data/recordings')!])).clips.filter((c) => c.digit !== null);
  const nVoices = Number(arg('--voices', '6'));
  const [key, values] = arg('--grid', 'pull=0.003,0.03,0.3')!.split('=');
  const grid = values.split(',').map(Number);
  const folds = fs
    .readdirSync(modelsDir)
    .filter((f) => /^loso-/.test(f))
    .sort()
    .slice(0, Number(arg('--folds', '2')));
  await initBackend({ log: () => {} });
  const speakers = [...new Set(tts.map((c) => c.speaker!))].sort();
  const enrolled = speakers.slice(0, nVoices);
  const othersTts = tts.filter((c) => speakers.slice(-20).includes(c.speaker!));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tune-enrol-'));
  console.log(
    `tune-enrol: folds ${folds.join(', ')}; enrolled voices ${enrolled.join(', ')}; ${key} in ${grid.join(', ')}`,
  );
  try {
    for (const fold of folds) {
      const base = path.join(modelsDir, fold);
      const trained = fsdd.filter((c) => `loso-${c.speaker}` !== fold && c.take! < 5);
      const before = { others: await accuracy(base, othersTts), trained: await accuracy(base, trained) };
      let ownBase = 0;
      for (const v of enrolled)
        ownBase += await accuracy(
          base,
          tts.filter((c) => c.speaker === v && c.take === 1),
        );
      console.log(
        `${fold} base: enrolled voices' take 1 ${((100 * ownBase) / enrolled.length).toFixed(1)}, other tts ${(100 * before.others).toFixed(1)}, training speakers ${(100 * before.trained).toFixed(1)}`,
      );
      for (const value of grid) {
        let own = 0;
        let others = 0;
        let trainedAcc = 0;
        let seconds = 0;
        for (const v of enrolled) {
          const takes: EnrolTake[] = tts
            .filter((c) => c.speaker === v && c.take === 0)
            .map((c) => {
              const w = decodeWav(c.bytes, c.name);
              return { digit: c.digit!, name: c.name, samples: w.samples, sampleRate: w.sampleRate };
            });
          const out = path.join(work, `${fold}-${v}`);
          const r = await enrolVoice({
            baseModelDir: base,
            takes,
            outDir: out,
            overwrite: true,
            settings: { [key]: value } as Partial<EnrolSettings>,
          });
          seconds += r.seconds;
          own += await accuracy(
            out,
            tts.filter((c) => c.speaker === v && c.take === 1),
          );
          others += await accuracy(out, othersTts);
          trainedAcc += await accuracy(out, trained);
        }
        const k = enrolled.length;
        console.log(
          `${fold} ${key}=${value}: enrolled voices' take 1 ${((100 * own) / k).toFixed(1)}, other tts ${((100 * others) / k).toFixed(1)}, training speakers ${((100 * trainedAcc) / k).toFixed(1)}, ${(seconds / k).toFixed(1)} s/enrol`,
        );
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`tune-enrol: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
