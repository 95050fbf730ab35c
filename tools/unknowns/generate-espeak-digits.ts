// Synthetic training digits: "zero" ... "nine" spoken by many espeak-ng voices (accent x voice variant,
// random speed and pitch), in FSDD's format and naming ({digit}_{speaker}_{take}.wav, speaker "tts<k>"),
// so they can be added to a model's training set to widen the range of voices it has heard.
//
//   node tools/run-ts.mjs tools/unknowns/generate-espeak-digits.ts [--out data/espeak-train-digits] [--voices 60] [--takes 2]
//
// The voices here are disjoint from the eight of generate-unknowns.ts (its data/espeak-digits is the
// synthetic test set). Needs espeak-ng and sox.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { seededUniform } from '@digits/dsp';

const ACCENTS = [
  'en-us',
  'en-gb',
  'en-gb-scotland',
  'en-gb-x-gbclan',
  'en-gb-x-rp',
  'en-gb-x-gbcwmd',
  'en-029',
  'en-us-nyc',
];
const VARIANTS = [
  'm1',
  'm2',
  'm4',
  'm5',
  'm6',
  'm8',
  'f1',
  'f5',
  'klatt2',
  'klatt3',
  'klatt4',
  'Alex',
  'Alicia',
  'Andy',
  'Annie',
  'adam',
  'anika',
  'aunty',
  'belinda',
  'benjamin',
  'boris',
  'caleb',
  'david',
  'ed',
  'edward',
  'grandma',
  'grandpa',
  'iven',
  'john',
  'linda',
  'max',
  'michel',
  'norbert',
  'paul',
  'quincy',
  'rob',
  'robert',
  'shelby',
  'steph',
  'travis',
  'victor',
  'zac',
];
const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

const rng = seededUniform;

function main(): void {
  const argv = process.argv.slice(2);
  const flag = (name: string, dflt: string) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] ? argv[i + 1] : dflt;
  };
  const out = path.resolve(flag('--out', 'data/espeak-train-digits'));
  const voices = Number(flag('--voices', '60'));
  const takes = Number(flag('--takes', '2'));
  const rand = rng(Number(flag('--seed', '11')));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const tmp = path.join(out, 'tmp-espeak.wav');
  for (let v = 0; v < voices; v++) {
    const voice = `${ACCENTS[Math.floor(rand() * ACCENTS.length)]}+${VARIANTS[v % VARIANTS.length]}`;
    const basePitch = 20 + rand() * 60;
    const baseSpeed = 120 + rand() * 90;
    DIGIT_WORDS.forEach((word, d) => {
      for (let take = 0; take < takes; take++) {
        const pitch = Math.round(Math.min(99, Math.max(0, basePitch + (rand() - 0.5) * 16)));
        const speed = Math.round(baseSpeed * (0.85 + rand() * 0.3));
        execFileSync('espeak-ng', ['-v', voice, '-s', String(speed), '-p', String(pitch), '-w', tmp, word], {
          stdio: 'ignore',
        });
        const file = path.join(out, `${d}_tts${v}_${take}.wav`);
        execFileSync(
          'sox',
          [
            '-R',
            tmp,
            '-r',
            '8000',
            '-c',
            '1',
            '-b',
            '16',
            '-e',
            'signed-integer',
            file,
            'silence',
            '1',
            '0.01',
            '0.5%',
            'reverse',
            'silence',
            '1',
            '0.01',
            '0.5%',
            'reverse',
            'norm',
            (-(3 + rand() * 12)).toFixed(1),
          ],
          { stdio: ['ignore', 'ignore', 'pipe'] },
        );
      }
    });
  }
  rmSync(tmp, { force: true });
  process.stdout.write(`wrote ${voices * 10 * takes} synthetic digits (${voices} voices) to ${out}\n`);
}

if (require.main === module) main();
