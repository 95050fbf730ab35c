// Test and benchmark helper: a continuous stream of spoken digits built from FSDD recordings, with
// silences and light noise between them, at a chosen rate; plus its WAV and raw PCM forms.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeWav, encodeWav16, resample, seededUniform } from '@digits/dsp';
import { FSDD_RECORDINGS as SHARED_RECORDINGS } from '@digits/dsp/testing';

/** FSDD recordings: env FSDD_DATA, else ../shared/fsdd/recordings beside the repository. */
export const FSDD_RECORDINGS = SHARED_RECORDINGS;

export interface DigitStream {
  /** Mono samples at sampleRate, in -1..1. */
  samples: Float32Array;
  sampleRate: number;
  /** Each clip: its file, digit, where it lies in the stream (ms) and the RMS it was scaled to (dBFS). */
  clips: { file: string; digit: number; startMs: number; endMs: number; speechDbfs: number }[];
}

export interface DigitStreamOptions {
  /** Stream rate in Hz (clips are resampled from 8 kHz with dsp's resample). Default 16,000. */
  sampleRate?: number;
  /** Silence (light noise) before, between and after the clips, in ms: a fixed length, or [min, max] for
   * seeded uniformly random gaps. Default 800. */
  gapMs?: number | readonly [number, number];
  /** RMS every clip is scaled to, in dBFS (like a microphone with gain control), or [min, max] for a seeded
   * uniformly random level per clip (a speaker nearer or further from the microphone). Default -22. */
  speechDbfs?: number | readonly [number, number];
  /** RMS of the white noise under everything, in dBFS; -Infinity for none (digital silence between clips).
   * Default -62 (40 dB under the speech). */
  noiseDbfs?: number;
  /** Noise this far under speechDbfs (the middle of its range), in dB; overrides noiseDbfs. */
  snrDb?: number;
  /** Seed of the noise. Default 1. */
  seed?: number;
  /** Length of the silence before the first and after the last clip, in ms, instead of a gap (a digit
   * string: a group with short gaps inside, heard after a second of quiet). Default: a gap. */
  edgeMs?: number;
}

/** The shared seeded generator (mulberry32). */
export const seededRandom = seededUniform;

/** FSDD file names, e.g. `count` of them cycling through the digits, picked with a seed. */
export function pickRecordings(count: number, seed = 1, dir = FSDD_RECORDINGS): string[] {
  const all = readdirSync(dir)
    .filter((f) => /^\d_[a-z]+_\d+\.wav$/.test(f))
    .sort();
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const list = all.filter((f) => f.startsWith(`${(i * 7 + 3) % 10}_`));
    return list[Math.floor(random() * list.length)];
  });
}

/** Lays the recordings out with gaps of seeded white noise (Box-Muller). */
export function buildDigitStream(
  files: string[],
  options: DigitStreamOptions = {},
  dir = FSDD_RECORDINGS,
): DigitStream {
  const { sampleRate = 16000, gapMs = 800, speechDbfs = -22, seed = 1 } = options;
  const [levelMin, levelMax] = typeof speechDbfs === 'number' ? [speechDbfs, speechDbfs] : speechDbfs;
  const levelMid = (levelMin + levelMax) / 2;
  const noiseDbfs = options.snrDb !== undefined ? levelMid - options.snrDb : (options.noiseDbfs ?? -62);
  const levelRandom = seededRandom(seed + 104729);
  const clips = files.map((file) => {
    const level = levelMin + (levelMax - levelMin) * levelRandom();
    const wav = decodeWav(readFileSync(path.join(dir, file)), file);
    let x = wav.sampleRate === sampleRate ? wav.samples : resample(wav.samples, wav.sampleRate, sampleRate);
    let power = 0;
    for (const v of x) power += v * v;
    const gain = 10 ** (level / 20) / Math.sqrt(power / x.length);
    x = x.map((v) => v * gain);
    return { file, digit: Number(file[0]), x, level };
  });
  const gapRandom = seededRandom(seed + 7919);
  const [gapMin, gapMax] = typeof gapMs === 'number' ? [gapMs, gapMs] : gapMs;
  const gaps = Array.from({ length: clips.length + 1 }, () =>
    Math.round(((gapMin + (gapMax - gapMin) * gapRandom()) * sampleRate) / 1000),
  );
  if (options.edgeMs !== undefined) gaps[0] = gaps[clips.length] = Math.round((options.edgeMs * sampleRate) / 1000);
  const total = gaps.reduce((a, b) => a + b, 0) + clips.reduce((s, c) => s + c.x.length, 0);
  const samples = new Float32Array(total);
  const random = seededRandom(seed);
  const sigma = 10 ** (noiseDbfs / 20);
  for (let i = 0; sigma > 0 && i < total; i++) {
    const u = 1 - random();
    samples[i] = sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  }
  const out: DigitStream['clips'] = [];
  let pos = gaps[0];
  clips.forEach((c, k) => {
    for (let i = 0; i < c.x.length; i++) samples[pos + i] += c.x[i];
    out.push({
      file: c.file,
      digit: c.digit,
      startMs: (pos * 1000) / sampleRate,
      endMs: ((pos + c.x.length) * 1000) / sampleRate,
      speechDbfs: c.level,
    });
    pos += c.x.length + gaps[k + 1];
  });
  return { samples, sampleRate, clips: out };
}

/** The stream as a 16-bit WAV file. */
export function digitStreamWav(stream: DigitStream): Uint8Array {
  return encodeWav16(stream.samples, stream.sampleRate);
}

/** The stream as headerless s16le PCM (stdin, the virtual microphone), followed by `padMs` of zeros. */
export function digitStreamPcm(stream: DigitStream, padMs = 0): Buffer {
  const pad = Math.round((padMs * stream.sampleRate) / 1000);
  const out = Buffer.alloc(2 * (stream.samples.length + pad));
  for (let i = 0; i < stream.samples.length; i++) {
    const v = Math.round(stream.samples[i] * 32768);
    out.writeInt16LE(v > 32767 ? 32767 : v < -32768 ? -32768 : v, 2 * i);
  }
  return out;
}
