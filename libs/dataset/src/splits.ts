import { compareClips } from './clip-name';
import { seededShuffle } from './seeded-shuffle';
import { assertKnownSpeakers, distinctSpeakers } from './speakers';
import type { Digit, Split } from './types';

/** What the splits need of a clip; {@link Clip} has it. */
export interface SplitItem {
  name: string;
  digit: Digit;
  speaker: string;
  take: number;
}

/**
 * The default seed of {@link stratifiedSplit}: 33, the `random_state` of the notebook's
 * `shuffle(df_audio, random_state=33)`. The split itself cannot equal the notebook's (that began from
 * `os.listdir` order, and sklearn's generator and split differ), only be as reproducible.
 */
export const DEFAULT_SPLIT_SEED = 33;

/** The default test share of {@link stratifiedSplit}: 0.2, the notebook's `test_size`. */
export const DEFAULT_TEST_FRACTION = 0.2;

/** Options of {@link stratifiedSplit}. */
export interface StratifiedSplitOptions {
  /** Share of the clips for the test set, in (0, 1). Default {@link DEFAULT_TEST_FRACTION} (0.2). */
  testFraction?: number;
  /** Shuffle seed, an integer in [0, 2^32 - 1]. Default {@link DEFAULT_SPLIT_SEED} (33). */
  seed?: number;
}

/**
 * A seeded, stratified train/test split by digit, like the notebook's shuffle then
 * `train_test_split(test_size=0.2, stratify=label)`. The clips are first put in the canonical
 * {@link compareClips} order (so the caller's order does not matter), shuffled with the seed, and from
 * each digit the first clips in shuffled order go to the test set. The test set has round(n * testFraction)
 * clips; each digit gets floor(n_digit * testFraction) and the rest go to the digits with the largest
 * remainders (ties: lower digit first). 2,000 clips, 200 per digit: 1,600 train / 400 test, 40 per digit.
 *
 * @returns train and test in shuffled order; the same clips and seed always give the same split
 */
export function stratifiedSplit<T extends SplitItem>(
  clips: readonly T[],
  options: StratifiedSplitOptions = {},
): Split<T> {
  const testFraction = options.testFraction ?? DEFAULT_TEST_FRACTION;
  const seed = options.seed ?? DEFAULT_SPLIT_SEED;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`testFraction must be between 0 and 1 (exclusive), got ${testFraction}`);
  }
  const shuffled = seededShuffle([...clips].sort(compareClips), seed);

  const perDigit = new Map<Digit, number>();
  for (const c of shuffled) perDigit.set(c.digit, (perDigit.get(c.digit) ?? 0) + 1);
  const digits = [...perDigit.keys()].sort((a, b) => a - b);
  const quota = new Map<Digit, number>();
  let assigned = 0;
  for (const d of digits) {
    const q = Math.floor(perDigit.get(d)! * testFraction);
    quota.set(d, q);
    assigned += q;
  }
  const byRemainder = [...digits].sort((a, b) => {
    const ra = perDigit.get(a)! * testFraction - quota.get(a)!;
    const rb = perDigit.get(b)! * testFraction - quota.get(b)!;
    return rb - ra || a - b;
  });
  const testTotal = Math.round(clips.length * testFraction);
  for (let i = 0; assigned < testTotal && i < byRemainder.length; i++, assigned++) {
    const d = byRemainder[i];
    quota.set(d, quota.get(d)! + 1);
  }

  const train: T[] = [];
  const test: T[] = [];
  const taken = new Map<Digit, number>();
  for (const c of shuffled) {
    const n = taken.get(c.digit) ?? 0;
    if (n < quota.get(c.digit)!) {
      test.push(c);
      taken.set(c.digit, n + 1);
    } else {
      train.push(c);
    }
  }
  return { train, test };
}

/** The highest take index in FSDD's own fixed test set. */
export const OFFICIAL_TEST_MAX_TAKE = 4;

/**
 * FSDD's own fixed split: takes 0-4 of every digit and speaker are the test set, 5 and up the training set
 * (on the 4-speaker set: 1,800 / 200). Keeps the input order.
 */
export function officialSplit<T extends SplitItem>(clips: readonly T[]): Split<T> {
  const train: T[] = [];
  const test: T[] = [];
  for (const c of clips) (c.take <= OFFICIAL_TEST_MAX_TAKE ? test : train).push(c);
  return { train, test };
}

/**
 * Held-out speakers: every clip of `testSpeakers` is test, the rest train. Keeps the input order.
 * @throws UnknownSpeakerError (listing the known speakers) for a name not among the clips' speakers;
 *   Error when the list is empty or holds every speaker (no training data would remain)
 */
export function speakerSplit<T extends SplitItem>(clips: readonly T[], testSpeakers: readonly string[]): Split<T> {
  const known = distinctSpeakers(clips.map((c) => c.speaker));
  if (testSpeakers.length === 0) throw new Error(`Name at least one test speaker; the data has ${known.join(', ')}`);
  assertKnownSpeakers(testSpeakers, known);
  const held = new Set(testSpeakers);
  if (known.every((s) => held.has(s))) {
    throw new Error(`Holding out every speaker (${known.join(', ')}) leaves no training clips`);
  }
  const train: T[] = [];
  const test: T[] = [];
  for (const c of clips) (held.has(c.speaker) ? test : train).push(c);
  return { train, test };
}
