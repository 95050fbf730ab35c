// Test helper: a continuous stream built from FSDD recordings with known boundaries.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeWav, resample } from '@digits/dsp';
import { FSDD_RECORDINGS as SHARED_RECORDINGS } from '@digits/dsp/testing';
import type { Utterance } from '../types';
import { gaussianNoise } from './synthetic-audio';

/** FSDD recordings folder: env FSDD_DATA, else ../shared/fsdd/recordings beside the repo. */
export const FSDD_RECORDINGS = SHARED_RECORDINGS;

export interface FsddStream {
  samples: Float32Array;
  sampleRate: number;
  /**
   * Where each clip lies in the stream, in ms, and where the speech in it lies: some FSDD clips carry up
   * to ~0.4 s of their own recording noise, so the speech span is the clean clip's first to last 10 ms
   * frame within SPEECH_SPAN_TOP_DB of its loudest frame.
   */
  truth: { file: string; startMs: number; endMs: number; speechStartMs: number; speechEndMs: number }[];
  /** RMS of the added noise, in dBFS. */
  noiseDbfs: number;
}

export interface FsddStreamOptions {
  /** Silence (noise only) before, between and after the clips, in ms. Default 700. */
  gapMs?: number;
  /** Noise RMS this far below the speech, in dB: below the mean power of all clips, or below
   * `normalizeDbfs` when given. Default 30. */
  snrDb?: number;
  /** Scale every clip to this RMS, in dBFS (a microphone with AGC); default: leave the recorded levels. */
  normalizeDbfs?: number;
  /** Stream rate in Hz; clips (8 kHz) are resampled with dsp's resample when different. Default 8,000. */
  sampleRate?: number;
  /** Noise seed. Default 1. */
  seed?: number;
}

/** Frames quieter than this below a clean clip's loudest 10 ms frame are not speech, in dB. */
export const SPEECH_SPAN_TOP_DB = 40;

/** First and last sample (end exclusive) of the clean clip's speech span (see FsddStream.truth). */
function speechSpan(x: Float32Array, sampleRate: number): [number, number] {
  const n = Math.round(sampleRate / 100);
  const db: number[] = [];
  for (let i = 0; i < x.length; i += n) {
    const f = x.subarray(i, i + n);
    db.push(10 * Math.log10(f.reduce((s, v) => s + v * v, 0) / f.length + 1e-20));
  }
  const threshold = Math.max(...db) - SPEECH_SPAN_TOP_DB;
  const first = db.findIndex((d) => d >= threshold);
  const last = db.length - 1 - [...db].reverse().findIndex((d) => d >= threshold);
  return [first * n, Math.min(x.length, (last + 1) * n)];
}

/** Decodes FSDD clips and lays them out with gaps of seeded white noise. */
export function buildFsddStream(files: string[], options: FsddStreamOptions = {}): FsddStream {
  const { gapMs = 700, snrDb = 30, normalizeDbfs, sampleRate = 8000, seed = 1 } = options;
  const clips = files.map((file) => {
    const wav = decodeWav(readFileSync(path.join(FSDD_RECORDINGS, file)), file);
    let x = wav.sampleRate === sampleRate ? wav.samples : resample(wav.samples, wav.sampleRate, sampleRate);
    if (normalizeDbfs !== undefined) {
      const rms = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
      const gain = 10 ** (normalizeDbfs / 20) / rms;
      x = x.map((v) => v * gain);
    }
    return { file, x };
  });
  let power = 0;
  let count = 0;
  for (const c of clips) {
    for (const v of c.x) power += v * v;
    count += c.x.length;
  }
  const speechDbfs = normalizeDbfs ?? 10 * Math.log10(power / count);
  const noiseDbfs = speechDbfs - snrDb;
  const gap = Math.round((gapMs * sampleRate) / 1000);
  const total = gap + clips.reduce((s, c) => s + c.x.length + gap, 0);
  const samples = gaussianNoise(total, noiseDbfs, seed);
  const truth: FsddStream['truth'] = [];
  let pos = gap;
  for (const c of clips) {
    for (let i = 0; i < c.x.length; i++) samples[pos + i] += c.x[i];
    const [a, b] = speechSpan(c.x, sampleRate);
    const ms = (i: number) => (i * 1000) / sampleRate;
    truth.push({
      file: c.file,
      startMs: ms(pos),
      endMs: ms(pos + c.x.length),
      speechStartMs: ms(pos + a),
      speechEndMs: ms(pos + b),
    });
    pos += c.x.length + gap;
  }
  return { samples, sampleRate, truth, noiseDbfs };
}

/** The stream as chunks of `chunkSamples` (the last one shorter), like a capture device delivers them. */
export function chunksOf(stream: { samples: Float32Array; sampleRate: number }, chunkSamples: number) {
  const out: { samples: Float32Array; sampleRate: number }[] = [];
  for (let i = 0; i < stream.samples.length; i += chunkSamples) {
    out.push({ samples: stream.samples.subarray(i, i + chunkSamples), sampleRate: stream.sampleRate });
  }
  return out;
}

/** `count` FSDD file names picked with a seeded shuffle, cycling through digits so each is equally common. */
export function pickFsddFiles(all: string[], count: number, random: () => number): string[] {
  const byDigit = Array.from({ length: 10 }, (_, d) => all.filter((f) => f.startsWith(`${d}_`)));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const list = byDigit[i % 10];
    out.push(list[Math.floor(random() * list.length)]);
  }
  // Shuffle so neighbouring digits vary.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export interface SegmentationScore {
  clips: number;
  exactlyOne: number;
  within100Ms: number;
  /** Clips with exactly one utterance whose boundaries are within 100 ms of the clip's speech span. */
  speechWithin100Ms: number;
  spurious: number;
  /** Largest of |start error| and |end error| per clip with exactly one utterance, sorted, in ms. */
  errorsMs: number[];
  problems: string[];
}

/** Matches utterances to the clips they overlap (50 ms slack) and scores the segmentation. */
export function scoreSegmentation(stream: FsddStream, utterances: Utterance[]): SegmentationScore {
  const used = new Set<number>();
  const errorsMs: number[] = [];
  const problems: string[] = [];
  let exactlyOne = 0;
  let within100Ms = 0;
  let speechWithin100Ms = 0;
  for (const t of stream.truth) {
    const hits = utterances.flatMap((u, i) => (u.endMs > t.startMs - 50 && u.startMs < t.endMs + 50 ? [i] : []));
    hits.forEach((i) => used.add(i));
    const describe = (u: Utterance) => `${(u.startMs - t.startMs).toFixed(0)}/${(u.endMs - t.endMs).toFixed(0)} ms`;
    if (hits.length !== 1) {
      problems.push(`${t.file}: ${hits.length} utterances ${hits.map((i) => describe(utterances[i])).join(', ')}`);
      continue;
    }
    exactlyOne++;
    const u = utterances[hits[0]];
    const error = Math.max(Math.abs(u.startMs - t.startMs), Math.abs(u.endMs - t.endMs));
    errorsMs.push(error);
    if (error <= 100) within100Ms++;
    const speechError = Math.max(Math.abs(u.startMs - t.speechStartMs), Math.abs(u.endMs - t.speechEndMs));
    if (speechError <= 100) speechWithin100Ms++;
    if (error > 100 || speechError > 100) {
      problems.push(
        `${t.file}: boundaries off by ${describe(u)} from the clip, ` +
          `${(u.startMs - t.speechStartMs).toFixed(0)}/${(u.endMs - t.speechEndMs).toFixed(0)} ms from its speech`,
      );
    }
  }
  errorsMs.sort((a, b) => a - b);
  return {
    clips: stream.truth.length,
    exactlyOne,
    within100Ms,
    speechWithin100Ms,
    spurious: utterances.length - used.size,
    errorsMs,
    problems,
  };
}
