// The streams bench-rooms plays through `digits live` (with apps/live/bench/live-scoring's player and
// matcher): one held-out speaker's isolated digits, segment by segment under each held-out condition (a 3 s
// lead-in of the segment's background first, so the noise floor has settled); and backgrounds alone or
// non-digit words, for predictions per minute.
import {
  applyCondition,
  deriveSeed,
  makeNoise,
  mixAtSnr,
  seededRng,
  type Condition,
  type NoiseKind,
  type NoisePools,
} from '@digits/acoustics';
import type { DigitStream } from '../../apps/live/src/testing/digit-stream';

/** Speech level of the streams' digits (RMS of the dry clip), dBFS; backgrounds are set against it. */
export const SPEECH_DBFS = -22;
const LEAD_IN_MS = 3000;
const GAP_MS = 1000;
/** A white floor this far under the speech everywhere (a real microphone's self-noise). */
const FLOOR_DB = 40;

/** A stream (live-scoring's DigitStream: every clip with its span) and where each condition's segment lies. */
export interface RoomStream extends DigitStream {
  segments: { name: string; startMs: number; endMs: number; clips: DigitStream['clips'] }[];
}

export interface StreamClip {
  file: string;
  digit: number;
  /** At the stream's rate. */
  samples: Float32Array;
}

/**
 * For each condition, a segment of LEAD_IN_MS of its background, then the clips GAP_MS apart, each scaled to
 * SPEECH_DBFS and heard in the condition's room (one room per segment), under its background at the
 * condition's SNR (against the speech level) and the floor. A clip's span is its dry length.
 */
export function roomStream(
  clips: readonly StreamClip[],
  rate: number,
  conditions: readonly { name: string; condition: Condition }[],
  pools: NoisePools,
  seed: number,
): RoomStream {
  const parts: Float32Array[] = [];
  const segments: RoomStream['segments'] = [];
  let offset = 0;
  const gap = Math.round((GAP_MS / 1000) * rate);
  const lead = Math.round((LEAD_IN_MS / 1000) * rate);
  const speechPower = 10 ** (SPEECH_DBFS / 10);
  const ms = (samples: number) => (samples * 1000) / rate;
  for (const { name, condition } of conditions) {
    const dry = clips.map((c) => {
      const p = c.samples.reduce((s, v) => s + v * v, 0) / c.samples.length;
      return c.samples.map((v) => v * Math.sqrt(speechPower / p));
    });
    const roomOnly: Condition = { ...condition, noise: null };
    const heard = dry.map((x) => applyCondition(x, rate, roomOnly));
    const length = lead + dry.reduce((s, x) => s + x.length + gap, 0) + gap;
    let seg: Float32Array = new Float32Array(length);
    const spans: DigitStream['clips'] = [];
    let pos = lead;
    heard.forEach((h, i) => {
      for (let j = 0; j < h.length && pos + j < length; j++) seg[pos + j] += h[j];
      spans.push({
        file: clips[i].file,
        digit: clips[i].digit,
        startMs: ms(offset + pos),
        endMs: ms(offset + pos + dry[i].length),
        speechDbfs: SPEECH_DBFS,
      });
      pos += dry[i].length + gap;
    });
    const rand = seededRng(deriveSeed(seed, name, 'noise'));
    seg = mixAtSnr(seg, makeNoise('white', length, rate, rand), FLOOR_DB, { signalPower: speechPower }).mixed;
    if (condition.noise) {
      const noise = makeNoise(condition.noise.kind, length, rate, rand, pools);
      seg = mixAtSnr(seg, noise, condition.noise.snrDb, { signalPower: speechPower }).mixed;
    }
    segments.push({ name, startMs: ms(offset), endMs: ms(offset + length), clips: spans });
    parts.push(seg);
    offset += length;
  }
  const samples = new Float32Array(offset);
  let at = 0;
  for (const p of parts) {
    samples.set(p, at);
    at += p.length;
  }
  return { samples, sampleRate: rate, clips: segments.flatMap((s) => s.clips), segments };
}

/** A background alone (`kind`) or non-digit words GAP_MS apart, `seconds` long, at the speech level. */
export function nonDigitStream(
  what: NoiseKind | 'words',
  seconds: number,
  rate: number,
  pools: NoisePools,
  seed: number,
): DigitStream {
  const n = Math.round(seconds * rate);
  const rand = seededRng(deriveSeed(seed, what));
  const speechPower = 10 ** (SPEECH_DBFS / 10);
  let x: Float32Array = new Float32Array(n);
  if (what === 'words') {
    const words = pools.babble ?? [];
    if (words.length === 0) throw new RangeError('nonDigitStream: no words in the pool');
    const gap = Math.round(rate * (GAP_MS / 1000));
    for (let pos = gap; pos < n;) {
      const w = rand.pick(words);
      const p = w.reduce((s, v) => s + v * v, 0) / w.length;
      for (let j = 0; j < w.length && pos + j < n; j++) x[pos + j] = w[j] * Math.sqrt(speechPower / p);
      pos += w.length + gap;
    }
  } else {
    x = makeNoise(what, n, rate, rand, pools).map((v) => v * Math.sqrt(speechPower));
  }
  x = mixAtSnr(x, makeNoise('white', n, rate, rand), FLOOR_DB, { signalPower: speechPower }).mixed;
  return { samples: x, sampleRate: rate, clips: [] };
}
