// Scoring `digits live` on a digit-string model: generated strings laid end to end as one stream, each
// string's digits messages found by stream time, scored by edit alignment as the offline benchmark scores them.
import type { DigitString } from '@digits/dataset';
import { seededUniform } from '@digits/dsp';
import type { DigitsMessage } from '@digits/protocol';

/** One spoken string of the stream: its digits and where its speech lies (ms). */
export interface TruthString {
  digits: number[];
  startMs: number;
  endMs: number;
}

/**
 * Generated strings (16 kHz) laid end to end, each with its own lead and edges. Make them without noise and
 * add it to the whole stream (addNoise): one noise level throughout, as a room has, where strings with noise
 * of their own would step the noise level at every join and the detector would take a step up for speech.
 */
export function layStrings(strings: readonly DigitString[]): {
  samples: Float32Array;
  truth: TruthString[];
  /** Every digit's speech, in samples of the stream. */
  speech: { start: number; end: number }[];
} {
  const total = strings.reduce((n, s) => n + s.samples.length, 0);
  const samples = new Float32Array(total);
  const truth: TruthString[] = [];
  const speech: { start: number; end: number }[] = [];
  let at = 0;
  for (const s of strings) {
    if (s.sampleRate !== 16000) throw new Error(`layStrings: a string at ${s.sampleRate} Hz (16000 expected)`);
    samples.set(s.samples, at);
    truth.push({
      digits: [...s.digits],
      startMs: ((at + s.spans[0].start) / 16) | 0,
      endMs: ((at + s.spans[s.spans.length - 1].end) / 16) | 0,
    });
    for (const d of s.spans) speech.push({ start: at + d.start, end: at + d.end });
    at += s.samples.length;
  }
  return { samples, truth, speech };
}

/** Adds seeded white noise `snrDb` under the mean power of the digits' speech, in place. */
export function addNoise(
  samples: Float32Array,
  speech: readonly { start: number; end: number }[],
  snrDb: number,
  seed: number,
): void {
  let power = 0;
  let n = 0;
  for (const s of speech) for (let i = s.start; i < s.end; i++, n++) power += samples[i] * samples[i];
  if (n === 0) throw new Error('addNoise: no speech to set the noise level by');
  const sigma = Math.sqrt(power / n / 10 ** (snrDb / 10));
  const rand = seededUniform(seed);
  for (let i = 0; i < samples.length; i++) {
    const u = 1 - rand();
    samples[i] += sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  }
}

/** Each truth string with what live said of it. */
export interface StringMatch {
  reference: number[];
  /** The digits of the digits messages given to this string, in order. */
  hypothesis: number[];
  messages: DigitsMessage[];
}

/**
 * Gives each digits message to the truth string its span overlaps most (widened by `slackMs`: a string's
 * speech as the detector saw it may start a little before the clip's and its digits end a little after).
 * Messages that overlap no string are `spurious` (their digits are insertions of no string).
 */
export function matchStrings(
  truth: readonly TruthString[],
  messages: readonly DigitsMessage[],
  slackMs = 150,
): { matches: StringMatch[]; spurious: DigitsMessage[] } {
  const matches: StringMatch[] = truth.map((t) => ({ reference: t.digits, hypothesis: [], messages: [] }));
  const spurious: DigitsMessage[] = [];
  for (const m of messages) {
    let best = -1;
    let bestOverlap = 0;
    truth.forEach((t, i) => {
      const overlap = Math.min(m.endMs, t.endMs + slackMs) - Math.max(m.startMs, t.startMs - slackMs);
      if (overlap > bestOverlap) {
        best = i;
        bestOverlap = overlap;
      }
    });
    if (best < 0) spurious.push(m);
    else {
      matches[best].messages.push(m);
      matches[best].hypothesis.push(...m.digits.map((d) => d.digit));
    }
  }
  return { matches, spurious };
}

/** Of the strings decoded exactly, those heard as one digits message with no space in `grouped`. */
export function groupedAsOne(matches: readonly StringMatch[]): { exact: number; asOne: number } {
  const exact = matches.filter((m) => m.hypothesis.join() === m.reference.join());
  return {
    exact: exact.length,
    asOne: exact.filter((m) => m.messages.length === 1 && !m.messages[0].grouped.includes(' ')).length,
  };
}
