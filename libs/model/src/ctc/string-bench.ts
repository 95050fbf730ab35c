// How a digit-string model is measured on a held-out speaker (issue 16's goals): groups of 3-4 digits read with
// 0-250 ms gaps, runs of one repeated digit, and every isolated clip, all at 16 kHz in 20 dB white noise, made
// only from the held-out speaker's clips. The train-strings command and tools/bench/bench-strings.ts share it.
import type * as tf from '@tensorflow/tfjs';
import type { DigitStringOptions, StringClip, StringClipPool } from '@digits/dataset';
import { seededUniform } from '@digits/dsp';
import { FIRST_WINDOW_CHUNK, FRONT_END_RATE, windowEndSample } from '@digits/speech-embedding';
import { greedyDecode, prefixBeamDecode } from './ctc-decode';
import type { EmbeddedString, StringSetSpec } from './string-data';
import { STRING_BLANK, STRING_CLASSES, stringFrameProbs } from './string-model';
import { scoreStrings, type StringScores } from './string-metrics';

/** The issue's goals on held-out speakers. */
export const STRING_GOALS = {
  digitRecall: 0.97,
  digitAccuracy: 0.95,
  groupAccuracy: 0.85,
  repeatCountAccuracy: 0.95,
} as const;

/** The benchmark's recording conditions: 16 kHz, 20 dB white noise, the speaker's own level and pace. */
export const HELD_OUT_CONDITIONS: DigitStringOptions = {
  gapMs: [0, 250],
  snrDb: [20, 20],
  gainDb: [0, 0],
  digitGainDb: [0, 0],
  speed: [1, 1],
  // 0.8 s of lead fills the front end's first window, as a stream that was already listening has.
  leadMs: [800, 1200],
  edgeMs: [300, 500],
  mixedSpeakers: 0,
};

/** Sizes of the held-out sets. */
export interface HeldOutSetOptions {
  seed?: number;
  /** Groups of 3-4 digits. Default 300. */
  groups?: number;
  /** Runs of one digit said 2-4 times. Default 100. */
  repeats?: number;
  /** Isolated clips: every clip (default) or this many, spread evenly over the pool's clips. */
  isolated?: number;
}

/** The three held-out sets: groups, repeats (a digit said 2-4 times, different takes) and isolated clips. */
export function heldOutStringSets(pool: StringClipPool, opts: HeldOutSetOptions = {}): StringSetSpec[] {
  const seed = opts.seed ?? 7_000_000;
  const rand = seededUniform(seed);
  const repeats: StringClip[][] = [];
  for (let i = 0; i < (opts.repeats ?? 100); i++) {
    const speaker = pool.speakers[i % pool.speakers.length];
    const takes = pool.clipsOf(speaker, i % 10);
    const n = 2 + Math.floor(rand() * 3);
    repeats.push(Array.from({ length: n }, () => takes[Math.floor(rand() * takes.length)]));
  }
  return [
    {
      name: 'groups',
      count: opts.groups ?? 300,
      seed,
      options: { ...HELD_OUT_CONDITIONS, digits: [3, 4], repeatProbability: 0 },
    },
    { name: 'repeats', count: repeats.length, seed: seed + 100_000, options: HELD_OUT_CONDITIONS, clips: repeats },
    {
      name: 'isolated',
      count: Math.min(pool.clips.length, opts.isolated ?? pool.clips.length),
      seed: seed + 200_000,
      options: HELD_OUT_CONDITIONS,
      clips: spread(pool.clips, opts.isolated ?? pool.clips.length).map((c) => [c]),
    },
  ];
}

/** `n` items spread evenly over `xs` (all of them when n >= xs.length). */
function spread<T>(xs: readonly T[], n: number): T[] {
  if (n >= xs.length) return [...xs];
  return Array.from({ length: n }, (_, i) => xs[Math.floor((i * xs.length) / n)]);
}

/** Figures of one set, greedy and prefix-beam decoding. */
export interface StringSetFigures {
  greedy: StringScores;
  beam: StringScores;
  /**
   * When greedy decoding emits each digit (as a stream would), against the end of its speech: ms from the end of
   * the digit's audio to the end of the frame that emitted it, over the digits of exactly decoded strings.
   */
  latency: { digits: number; medianMs: number; p90Ms: number };
}

/** Everything the benchmark prints. */
export interface StringBenchFigures {
  groups: StringSetFigures;
  /** Exact decoding of the repeat strings: the digit, as many times as said, nothing else. */
  repeats: StringSetFigures;
  /** Isolated clips decoded exactly as their one digit. */
  isolated: StringSetFigures;
}

/** Decodes every string of a set and scores it. */
export function scoreStringSet(model: tf.LayersModel, set: readonly EmbeddedString[]): StringSetFigures {
  const greedy: { reference: number[]; hypothesis: number[] }[] = [];
  const beam: { reference: number[]; hypothesis: number[] }[] = [];
  const latencies: number[] = [];
  for (const s of set) {
    const probs = stringFrameProbs(model, s.x, s.frames);
    const reference = [...s.labels];
    const emitted = greedyDecode(probs, STRING_CLASSES, STRING_BLANK);
    const hypothesis = emitted.map((e) => e.label);
    greedy.push({ reference, hypothesis });
    beam.push({ reference, hypothesis: prefixBeamDecode(probs, STRING_CLASSES, { blank: STRING_BLANK }).labels });
    if (hypothesis.join() === reference.join())
      emitted.forEach((e, i) =>
        latencies.push(((windowEndSample(FIRST_WINDOW_CHUNK + e.frame) - s.spans[i].end) / FRONT_END_RATE) * 1000),
      );
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : NaN;
  return {
    greedy: scoreStrings(greedy),
    beam: scoreStrings(beam),
    latency: { digits: latencies.length, medianMs: Math.round(at(0.5)), p90Ms: Math.round(at(0.9)) },
  };
}

/** Lines of a table: each figure beside its goal. */
export function formatStringFigures(f: StringBenchFigures, isolatedReference?: string): string[] {
  const pct = (x: number) => x.toFixed(3);
  const row = (name: string, g: number, b: number, goal: string) =>
    `${name.padEnd(34)} ${pct(g).padStart(7)} ${pct(b).padStart(7)}   ${goal}`;
  const ok = (x: number, goal: number) => (x >= goal ? 'met' : 'not met');
  return [
    `${'figure (held-out speaker, 16 kHz, 20 dB)'.padEnd(34)} ${'greedy'.padStart(7)} ${'beam'.padStart(7)}   goal`,
    row(
      'groups of 3-4: digit recall',
      f.groups.greedy.digitRecall,
      f.groups.beam.digitRecall,
      `>= ${STRING_GOALS.digitRecall} (${ok(f.groups.greedy.digitRecall, STRING_GOALS.digitRecall)})`,
    ),
    row(
      'groups of 3-4: digit accuracy',
      f.groups.greedy.digitAccuracy,
      f.groups.beam.digitAccuracy,
      `>= ${STRING_GOALS.digitAccuracy} (${ok(f.groups.greedy.digitAccuracy, STRING_GOALS.digitAccuracy)})`,
    ),
    row(
      'groups of 3-4: whole group right',
      f.groups.greedy.stringAccuracy,
      f.groups.beam.stringAccuracy,
      `>= ${STRING_GOALS.groupAccuracy} (${ok(f.groups.greedy.stringAccuracy, STRING_GOALS.groupAccuracy)})`,
    ),
    row(
      'repeated runs (2-4 x): count right',
      f.repeats.greedy.stringAccuracy,
      f.repeats.beam.stringAccuracy,
      `>= ${STRING_GOALS.repeatCountAccuracy} (${ok(f.repeats.greedy.stringAccuracy, STRING_GOALS.repeatCountAccuracy)})`,
    ),
    row(
      'isolated digits: exactly right',
      f.isolated.greedy.stringAccuracy,
      f.isolated.beam.stringAccuracy,
      `no worse than the isolated default model${isolatedReference ? ` (${isolatedReference})` : ''}`,
    ),
    `groups: each digit emitted (greedy, as a stream would) a median ${f.groups.latency.medianMs} ms after its speech ends (negative: before; 90% within ${f.groups.latency.p90Ms} ms; ${f.groups.latency.digits} digits of exactly decoded groups)`,
    `groups: ${f.groups.greedy.digits} digits in ${f.groups.greedy.strings} groups; greedy errors: ${f.groups.greedy.substitutions} substituted, ${f.groups.greedy.deletions} missed, ${f.groups.greedy.insertions} inserted`,
  ];
}
