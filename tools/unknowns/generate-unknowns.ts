// Generates audio that is NOT a spoken digit, for measuring (and training) unknown rejection:
// non-digit words spoken by espeak-ng voices, and non-speech sounds made with sox (noise bursts, clicks,
// claps, coughs, knocks, hums, whistles, chirps). Everything is written in FSDD's own format (8 kHz,
// mono, 16-bit PCM WAV) so it goes through exactly the feature pipeline the digits go through.
//
//   node tools/run-ts.mjs tools/unknowns/generate-unknowns.ts [--out data/unknowns] [--seed 7] [--rhymes] [--vocabulary]
//
// Writes <out>/words/*.wav, <out>/sounds/*.wav and <out>/manifest.json ([{file, kind, what, group}]).
// Also writes the ten digits in every espeak-ng voice, named like FSDD ({digit}_espeak{voice}_{take}.wav),
// to --digits-out (default data/espeak-digits): ten synthetic voices no model has heard, readable by
// every `--data` option.
// `group` is 'a' or 'b': words are split by word (a word's every voice lands in one group) and sounds by
// recipe, so a model can be trained on group a and measured on the unseen group b.
// Needs the Debian packages espeak-ng and sox (tools/setup.sh installs them).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { seededUniform } from '@digits/dsp';

/** Non-digit words and phrases: everyday words, command words, numbers that are not single digits and
 * near-rhymes of digits ("heaven", "line", "tree") that a digit model is most tempted to accept. Digit
 * homophones ("won", "to", "for", "ate") are left out: they are acoustically digits. */
export const UNKNOWN_WORDS: readonly string[] = [
  'hello',
  'yes',
  'no',
  'stop',
  'go',
  'left',
  'right',
  'up',
  'down',
  'on',
  'off',
  'okay',
  'please',
  'thanks',
  'cat',
  'dog',
  'house',
  'bird',
  'bed',
  'happy',
  'wow',
  'marvin',
  'sheila',
  'wait',
  'water',
  'music',
  'ten',
  'eleven',
  'twelve',
  'twenty',
  'thirty',
  'fifty',
  'hundred',
  'nine hundred',
  'thousand',
  'million',
  'heaven',
  'line',
  'tree',
  'fire',
  'sticks',
  'hero',
  'gate',
  'done',
  'shoe',
  'drive',
  'mine',
  'free',
  'computer',
  'banana',
  'good morning',
  'what',
  'maybe',
  'again',
  'number',
  'digit',
  'open',
  'close',
];

/**
 * Training-only near-rhymes of each digit ("sun" ~ one, "tea" ~ three, "wine" ~ nine), with --rhymes:
 * always group a, so the unknown class learns where a digit ends. None is a group-b word (see the split
 * below). Measured with model 5 (random split): unknown rejection 0.797 -> 0.844, digits 0.9925 -> 0.9875.
 */
export const TRAIN_ONLY_WORDS: readonly string[] = [
  'sierra',
  'arrow',
  'zebra',
  'gun',
  'sun',
  'fun',
  'zoo',
  'blue',
  'moon',
  'tooth',
  'tea',
  'knee',
  'key',
  'sea',
  'door',
  'floor',
  'war',
  'dive',
  'hive',
  'wife',
  'fix',
  'mix',
  'sick',
  'kevin',
  'devon',
  'late',
  'bait',
  'great',
  'wine',
  'fine',
  'night',
  'knife',
  'pen',
  'hen',
  'shine',
  'tiger',
  'ninja',
  'twin',
  'sixty',
  'seventy',
];

/**
 * A training-only vocabulary of everyday words (--vocabulary, always group a): the unknown class otherwise
 * learns "not a digit" from 39 words. None is a digit, a digit homophone ("won", "to", "for", "ate"), a word
 * that starts like one ("forest", "today", "someone"), a word of UNKNOWN_WORDS or TRAIN_ONLY_WORDS, or a word holding a
 * group-b word or a word of a group-b phrase ("cats", "street", "morning"), so group b stays unseen (a test checks).
 */
export const TRAIN_VOCABULARY: readonly string[] = [
  'apple',
  'orange',
  'lemon',
  'bread',
  'butter',
  'cheese',
  'coffee',
  'milk',
  'sugar',
  'salt',
  'pepper',
  'rice',
  'soup',
  'pizza',
  'cookie',
  'dinner',
  'lunch',
  'breakfast',
  'kitchen',
  'table',
  'chair',
  'window',
  'garden',
  'city',
  'village',
  'river',
  'mountain',
  'ocean',
  'island',
  'desert',
  'valley',
  'bridge',
  'castle',
  'school',
  'office',
  'market',
  'station',
  'airport',
  'hospital',
  'library',
  'doctor',
  'teacher',
  'student',
  'farmer',
  'driver',
  'pilot',
  'police',
  'sister',
  'brother',
  'mother',
  'father',
  'baby',
  'friend',
  'people',
  'children',
  'person',
  'woman',
  'man',
  'king',
  'queen',
  'prince',
  'lady',
  'horse',
  'mouse',
  'rabbit',
  'monkey',
  'lion',
  'bear',
  'duck',
  'chicken',
  'snake',
  'spider',
  'whale',
  'turtle',
  'frog',
  'sheep',
  'goat',
  'pig',
  'cow',
  'fish',
  'flower',
  'grass',
  'leaf',
  'rose',
  'rain',
  'snow',
  'wind',
  'cloud',
  'storm',
  'thunder',
  'summer',
  'winter',
  'spring',
  'autumn',
  'evening',
  'yesterday',
  'minute',
  'hour',
  'week',
  'month',
  'year',
  'moment',
  'always',
  'never',
  'sometimes',
  'later',
  'soon',
  'here',
  'there',
  'where',
  'when',
  'why',
  'how',
  'who',
  'which',
  'red',
  'green',
  'yellow',
  'purple',
  'black',
  'white',
  'brown',
  'pink',
  'silver',
  'golden',
  'big',
  'small',
  'tall',
  'short',
  'long',
  'little',
  'sad',
  'angry',
  'tired',
  'hungry',
  'quiet',
  'loud',
  'fast',
  'slow',
  'hot',
  'cold',
  'warm',
  'cool',
  'soft',
  'hard',
  'heavy',
  'light',
  'dark',
  'bright',
  'clean',
  'dirty',
  'easy',
  'simple',
  'strong',
  'weak',
  'young',
  'old',
  'new',
  'early',
  'ready',
  'sorry',
  'welcome',
  'listen',
  'look',
  'walk',
  'jump',
  'swim',
  'dance',
  'sing',
  'read',
  'write',
  'draw',
  'cook',
  'sleep',
  'dream',
  'laugh',
  'cry',
  'talk',
  'call',
  'play',
  'work',
  'learn',
  'teach',
  'help',
  'carry',
  'push',
  'pull',
  'throw',
  'build',
  'break',
  'find',
  'lose',
  'keep',
  'give',
  'take',
  'make',
  'bring',
  'buy',
  'sell',
  'pay',
  'send',
  'start',
  'finish',
  'begin',
  'answer',
  'question',
  'problem',
  'idea',
  'story',
  'letter',
  'picture',
  'movie',
  'game',
  'ball',
  'book',
  'paper',
  'pencil',
  'phone',
  'camera',
  'radio',
  'television',
  'guitar',
  'piano',
  'drum',
  'violin',
  'button',
  'pocket',
  'jacket',
  'hat',
  'glove',
  'boot',
  'sock',
  'ring',
  'watch',
  'clock',
  'lamp',
  'mirror',
  'pillow',
  'blanket',
  'bottle',
  'basket',
  'bucket',
  'candle',
  'hammer',
  'ladder',
  'rocket',
  'robot',
  'engine',
  'wheel',
  'bicycle',
  'train',
  'truck',
  'boat',
  'ship',
  'plane',
  'bus',
  'car',
  'taxi',
  'ticket',
  'money',
  'dollar',
  'euro',
  'price',
  'cheap',
  'expensive',
  'north',
  'south',
  'east',
  'west',
  'middle',
  'corner',
  'center',
  'edge',
  'bottom',
  'inside',
  'outside',
  'behind',
  'between',
  'under',
  'over',
  'across',
  'through',
  'perhaps',
  'probably',
  'exactly',
  'really',
  'very',
  'quite',
  'almost',
  'enough',
  'alone',
  'everything',
  'nothing',
  'something',
  'anything',
  'somebody',
  'london',
  'paris',
  'china',
  'canada',
  'mexico',
  'brazil',
  'egypt',
  'india',
  'africa',
  'europe',
  'america',
  'australia',
];

/** espeak-ng voices (language + variant) for words: male, female and odd variants, US and UK accents. */
const VOICES: readonly string[] = [
  'en-us',
  'en-us+f2',
  'en-gb+m3',
  'en-gb-scotland+f4',
  'en-us+m7',
  'en-029+klatt',
  'en-gb-x-rp+f3',
  'en-us+croak',
];

interface Entry {
  file: string;
  kind: 'word' | 'sound';
  what: string;
  group: 'a' | 'b';
}

const rng = seededUniform;

const FSDD_FORMAT = ['-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer'];

/** sox with -R (repeatable: fixed seeds for dither and noise), so the same seed writes the same bytes. */
function sox(args: string[]): void {
  execFileSync('sox', ['-R', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

function slug(s: string): string {
  return s.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
}

/** One word in one voice: espeak-ng to a temporary 22 kHz WAV, then sox to 8 kHz with a random gain. */
function speakWord(word: string, voice: string, file: string, rand: () => number, tmp: string): void {
  const speed = Math.round(120 + rand() * 80); // words per minute
  const pitch = Math.round(25 + rand() * 50); // espeak 0-99
  execFileSync('espeak-ng', ['-v', voice, '-s', String(speed), '-p', String(pitch), '-w', tmp, word], {
    stdio: 'ignore',
  });
  const gainDb = -(3 + rand() * 15);
  // FSDD clips are trimmed tightly: drop espeak's leading/trailing silence the same way.
  sox([
    tmp,
    ...FSDD_FORMAT,
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
    gainDb.toFixed(1),
  ]);
}

/** Non-speech recipes: each returns sox arguments (after `-n <format> <file>`) for one random instance. */
const SOUND_RECIPES: Record<string, (r: () => number) => string[]> = {
  'white-burst': (r) => ['synth', (0.1 + r() * 0.6).toFixed(2), 'whitenoise', 'fade', 'q', '0.01', '-0', '0.05'],
  'pink-burst': (r) => ['synth', (0.1 + r() * 0.6).toFixed(2), 'pinknoise', 'fade', 'q', '0.02', '-0', '0.1'],
  'brown-burst': (r) => ['synth', (0.2 + r() * 0.5).toFixed(2), 'brownnoise', 'fade', 'h', '0.05', '-0', '0.1'],
  clap: (r) => [
    'synth',
    '0.12',
    'whitenoise',
    'sinc',
    `${Math.round(600 + r() * 600)}-${Math.round(2500 + r() * 1200)}`,
    'fade',
    'l',
    '0.001',
    '-0',
    '0.11',
    'pad',
    '0',
    (r() * 0.3).toFixed(2),
  ],
  'double-clap': (r) => [
    'synth',
    '0.1',
    'whitenoise',
    'sinc',
    '700-3500',
    'fade',
    'l',
    '0.001',
    '-0',
    '0.09',
    'pad',
    '0',
    (0.1 + r() * 0.2).toFixed(2),
    'repeat',
    '1',
  ],
  click: (r) => [
    'synth',
    '0.004',
    'square',
    String(Math.round(400 + r() * 2000)),
    'pad',
    (r() * 0.1).toFixed(2),
    (0.05 + r() * 0.2).toFixed(2),
    'repeat',
    String(Math.floor(r() * 4)),
  ],
  cough: (r) => [
    'synth',
    (0.2 + r() * 0.2).toFixed(2),
    'pinknoise',
    'bandpass',
    String(Math.round(400 + r() * 500)),
    '1.5q',
    'fade',
    'q',
    '0.01',
    '-0',
    '0.15',
    'pad',
    '0',
    (r() * 0.15).toFixed(2),
    'repeat',
    String(Math.floor(r() * 2)),
  ],
  knock: (r) => [
    'synth',
    '0.06',
    'brownnoise',
    'lowpass',
    String(Math.round(200 + r() * 300)),
    'fade',
    'l',
    '0.001',
    '-0',
    '0.05',
    'pad',
    '0',
    (0.1 + r() * 0.1).toFixed(2),
    'repeat',
    String(1 + Math.floor(r() * 2)),
  ],
  hum: (r) => [
    'synth',
    (0.3 + r() * 0.5).toFixed(2),
    'sine',
    String([50, 60, 100, 120][Math.floor(r() * 4)]),
    'sine',
    String(Math.round(150 + r() * 200)),
    'remix',
    '-',
    'fade',
    'q',
    '0.05',
    '-0',
    '0.05',
  ],
  whistle: (r) => [
    'synth',
    (0.2 + r() * 0.5).toFixed(2),
    'sine',
    `${Math.round(1000 + r() * 1500)}-${Math.round(1000 + r() * 2000)}`,
    'fade',
    'h',
    '0.03',
    '-0',
    '0.05',
  ],
  chirp: (r) => [
    'synth',
    (0.1 + r() * 0.4).toFixed(2),
    r() < 0.5 ? 'sawtooth' : 'triangle',
    `${Math.round(100 + r() * 300)}:${Math.round(500 + r() * 2500)}`,
    'fade',
    'q',
    '0.01',
    '-0',
    '0.03',
  ],
  'mic-noise': (r) => ['synth', (0.3 + r() * 0.5).toFixed(2), 'whitenoise', 'vol', (0.01 + r() * 0.05).toFixed(3)],
  breath: (r) => [
    'synth',
    (0.3 + r() * 0.4).toFixed(2),
    'pinknoise',
    'highpass',
    '1000',
    'fade',
    'h',
    '0.15',
    '-0',
    '0.15',
  ],
};
/** Recipes in group b (the rest are a), so a trained unknown class can be measured on unseen kinds. */
const SOUND_GROUP_B = new Set(['pink-burst', 'double-clap', 'cough', 'whistle', 'breath']);

function main(): void {
  const argv = process.argv.slice(2);
  const flag = (name: string, dflt: string) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] ? argv[i + 1] : dflt;
  };
  const out = path.resolve(flag('--out', 'data/unknowns'));
  const seed = Number(flag('--seed', '7'));
  const soundsPerRecipe = Number(flag('--sounds-per-kind', '12'));
  const rand = rng(seed);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.join(out, 'words'), { recursive: true });
  mkdirSync(path.join(out, 'sounds'), { recursive: true });
  const tmp = path.join(out, 'tmp-espeak.wav');
  const manifest: Entry[] = [];

  UNKNOWN_WORDS.forEach((word, w) => {
    // Every third word is in group b: the split is by word, never by voice.
    const group = w % 3 === 2 ? 'b' : 'a';
    VOICES.forEach((voice, v) => {
      const file = path.join('words', `${slug(word)}_${slug(voice)}_${v}.wav`);
      speakWord(word, voice, path.join(out, file), rand, tmp);
      manifest.push({ file, kind: 'word', what: word, group });
    });
  });
  rmSync(tmp, { force: true });

  for (const [recipe, make] of Object.entries(SOUND_RECIPES)) {
    for (let k = 0; k < soundsPerRecipe; k++) {
      const file = path.join('sounds', `${recipe}_${k}.wav`);
      const gainDb = -(1 + rand() * 20);
      sox(['-n', ...FSDD_FORMAT, path.join(out, file), ...make(rand), 'norm', gainDb.toFixed(1)]);
      manifest.push({ file, kind: 'sound', what: recipe, group: SOUND_GROUP_B.has(recipe) ? 'b' : 'a' });
    }
  }
  const digitsOut = path.resolve(flag('--digits-out', 'data/espeak-digits'));
  rmSync(digitsOut, { recursive: true, force: true });
  mkdirSync(digitsOut, { recursive: true });
  const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
  DIGIT_WORDS.forEach((word, d) => {
    VOICES.forEach((voice, v) => {
      for (let take = 0; take < 2; take++) {
        speakWord(
          word,
          voice,
          path.join(digitsOut, `${d}_espeak${String.fromCharCode(97 + v)}_${take}.wav`),
          rand,
          tmp,
        );
      }
    });
  });
  // Opt-in (--rhymes), last and from a generator of their own, so they leave every other clip unchanged.
  const rhymeRand = rng(seed + 1);
  (argv.includes('--rhymes') ? TRAIN_ONLY_WORDS : []).forEach((word) => {
    VOICES.forEach((voice, v) => {
      const file = path.join('words', `${slug(word)}_${slug(voice)}_${v}.wav`);
      speakWord(word, voice, path.join(out, file), rhymeRand, tmp);
      manifest.push({ file, kind: 'word', what: word, group: 'a' });
    });
  });
  // Opt-in (--vocabulary), after the rhymes and from a generator of its own, for the same reason.
  const vocabRand = rng(seed + 2);
  const vocabulary = argv.includes('--vocabulary');
  (vocabulary ? TRAIN_VOCABULARY : []).forEach((word) => {
    VOICES.forEach((voice, v) => {
      const file = path.join('words', `${slug(word)}_${slug(voice)}_${v}.wav`);
      speakWord(word, voice, path.join(out, file), vocabRand, tmp);
      manifest.push({ file, kind: 'word', what: word, group: 'a' });
    });
  });
  rmSync(tmp, { force: true });
  // With the vocabulary, group a's sounds grow as much as its words, so the unknown class still hears
  // sounds as often as before (measured: without this, sounds rejected fell from 0.99 to 0.53).
  const wordsA = (all: boolean) =>
    manifest.filter((e) => e.kind === 'word' && e.group === 'a' && (all || UNKNOWN_WORDS.includes(e.what))).length;
  const perRecipe = Math.round((soundsPerRecipe * wordsA(true)) / wordsA(false));
  for (const [recipe, make] of vocabulary ? Object.entries(SOUND_RECIPES) : []) {
    if (SOUND_GROUP_B.has(recipe)) continue;
    for (let k = soundsPerRecipe; k < perRecipe; k++) {
      const file = path.join('sounds', `${recipe}_${k}.wav`);
      const gainDb = -(1 + vocabRand() * 20);
      sox(['-n', ...FSDD_FORMAT, path.join(out, file), ...make(vocabRand), 'norm', gainDb.toFixed(1)]);
      manifest.push({ file, kind: 'sound', what: recipe, group: 'a' });
    }
  }
  writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  const words = manifest.filter((e) => e.kind === 'word').length;
  process.stdout.write(`wrote ${words} words and ${manifest.length - words} sounds to ${out}\n`);
}

if (require.main === module) main();
