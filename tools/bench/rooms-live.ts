// The live half of bench-rooms: streams of one held-out speaker's isolated digits, segment by segment under
// each held-out condition (a 3 s lead-in of the segment's background first, so the noise floor has settled),
// sent as s16le through `digits live --source stdin --json --exit-at-end --port 0`, and the predictions
// matched to the digits; plus backgrounds alone and non-digit words, counted as predictions per minute.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
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
import { PredictionMessageSchema, type PredictionMessage } from '@digits/protocol';

/** Speech level of the streams' digits (RMS of the dry clip), dBFS; backgrounds are set against it. */
const SPEECH_DBFS = -22;
const LEAD_IN_MS = 3000;
const GAP_MS = 1000;

export interface LiveSegment {
  name: string;
  /** Each digit's dry span in the stream (ms) and digit. */
  clips: { digit: number; startMs: number; endMs: number }[];
  startMs: number;
  endMs: number;
}

export interface LiveStream {
  samples: Float32Array;
  sampleRate: number;
  segments: LiveSegment[];
}

/**
 * One stream: for each condition, a segment of LEAD_IN_MS of its background, then the clips 1 s apart, each
 * scaled to SPEECH_DBFS and heard in the condition's room (one room per segment), under its background at the
 * condition's SNR and a floor 40 dB under the speech everywhere.
 */
export function buildLiveStream(
  clips: readonly { digit: number; samples: Float32Array }[],
  rate: number,
  conditions: readonly { name: string; condition: Condition }[],
  pools: NoisePools,
  seed: number,
): LiveStream {
  const parts: Float32Array[] = [];
  const segments: LiveSegment[] = [];
  let offset = 0;
  const gap = Math.round((GAP_MS / 1000) * rate);
  const lead = Math.round((LEAD_IN_MS / 1000) * rate);
  const speechPower = 10 ** (SPEECH_DBFS / 10);
  for (const { name, condition } of conditions) {
    const dry = clips.map((c) => {
      const p = c.samples.reduce((s, v) => s + v * v, 0) / c.samples.length;
      return c.samples.map((v) => v * Math.sqrt(speechPower / p));
    });
    const roomOnly: Condition = { ...condition, noise: null };
    const heard = dry.map((x) => applyCondition(x, rate, roomOnly));
    const length = lead + dry.reduce((s, x) => s + x.length + gap, 0) + gap;
    let seg: Float32Array = new Float32Array(length);
    const spans: LiveSegment['clips'] = [];
    let pos = lead;
    heard.forEach((h, i) => {
      for (let j = 0; j < h.length && pos + j < length; j++) seg[pos + j] += h[j];
      spans.push({
        digit: clips[i].digit,
        startMs: ((offset + pos) * 1000) / rate,
        endMs: ((offset + pos + dry[i].length) * 1000) / rate,
      });
      pos += dry[i].length + gap;
    });
    const rand = seededRng(deriveSeed(seed, name, 'noise'));
    seg = mixAtSnr(seg, makeNoise('white', length, rate, rand), 40, { signalPower: speechPower }).mixed;
    if (condition.noise) {
      const noise = makeNoise(condition.noise.kind, length, rate, rand, pools);
      seg = mixAtSnr(seg, noise, condition.noise.snrDb, { signalPower: speechPower }).mixed;
    }
    segments.push({
      name,
      clips: spans,
      startMs: (offset * 1000) / rate,
      endMs: ((offset + length) * 1000) / rate,
    });
    parts.push(seg);
    offset += length;
  }
  const samples = new Float32Array(offset);
  let at = 0;
  for (const p of parts) {
    samples.set(p, at);
    at += p.length;
  }
  return { samples, sampleRate: rate, segments };
}

/** A background alone (`kind`) or non-digit words 1 s apart, `seconds` long, at the speech level. */
export function nonDigitStream(
  what: NoiseKind | 'words',
  seconds: number,
  rate: number,
  pools: NoisePools,
  seed: number,
): LiveStream {
  const n = Math.round(seconds * rate);
  const rand = seededRng(deriveSeed(seed, what));
  const speechPower = 10 ** (SPEECH_DBFS / 10);
  let x: Float32Array = new Float32Array(n);
  if (what === 'words') {
    const words = pools.babble ?? [];
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
  x = mixAtSnr(x, makeNoise('white', n, rate, rand), 40, { signalPower: speechPower }).mixed;
  return { samples: x, sampleRate: rate, segments: [{ name: what, clips: [], startMs: 0, endMs: (n * 1000) / rate }] };
}

function pcm(samples: Float32Array): Buffer {
  const out = Buffer.alloc(2 * samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round(samples[i] * 32768);
    out.writeInt16LE(v > 32767 ? 32767 : v < -32768 ? -32768 : v, 2 * i);
  }
  return out;
}

/**
 * The fold's unknown threshold (the confidence keeping 97% of its test digits, which eval-protocol recorded in
 * <run>/protocols/model6.json beside the fold folders), if there is one.
 */
export function foldThreshold(foldDir: string): number | undefined {
  const file = path.join(foldDir, '..', '..', `${path.basename(path.dirname(foldDir))}.json`);
  if (!existsSync(file)) return undefined;
  const name = `loso:${path.basename(foldDir).replace(/^loso-/, '')}`;
  const results = (JSON.parse(readFileSync(file, 'utf8')).results ?? []) as {
    folds: { name: string; unknown?: { threshold?: number } }[];
  }[];
  return results.flatMap((r) => r.folds).find((f) => f.name === name)?.unknown?.threshold;
}

/** The stream through `digits live` (a child process): its prediction messages, in order. */
export async function runLive(stream: LiveStream, modelDir: string, threshold?: number): Promise<PredictionMessage[]> {
  const bin = path.resolve('bin/digits.js');
  const args = [bin, 'live', '--source', 'stdin', '--rate', String(stream.sampleRate)];
  args.push('--json', '--exit-at-end', '--port', '0', '--model', modelDir);
  if (threshold !== undefined) args.push('--threshold', String(threshold));
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const done = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  const bytes = pcm(stream.samples);
  // Half-second writes, each after the previous one drained: the pipe never holds the whole stream.
  const step = stream.sampleRate; // 2 bytes a sample: 0.5 s
  for (let i = 0; i < bytes.length; i += step) {
    if (!child.stdin.write(bytes.subarray(i, i + step)))
      await new Promise<void>((r) => child.stdin.once('drain', () => r()));
  }
  child.stdin.end();
  const code = await done;
  if (code !== 0) throw new Error(`digits live exited with ${code}: ${err.slice(-500)}`);
  return out
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l))
    .filter((m) => m.type === 'prediction')
    .map((m) => PredictionMessageSchema.parse(m));
}

export interface SegmentScore {
  name: string;
  digits: number;
  /** Digits with exactly one prediction (a digit, not "none") overlapping them. */
  exactlyOne: number;
  /** Digits whose first such prediction is right. */
  correct: number;
  /** Predictions overlapping no digit of the segment (lead-in, gaps). */
  spurious: number;
}

/** Matches predictions (digit not null) to the segments' digits: a prediction belongs to the digits it overlaps. */
export function scoreLive(stream: LiveStream, predictions: readonly PredictionMessage[]): SegmentScore[] {
  const said = predictions.filter((p) => p.digit !== null);
  return stream.segments.map((seg) => {
    const mine = said.filter((p) => p.startMs < seg.endMs && p.endMs > seg.startMs);
    let exactlyOne = 0;
    let correct = 0;
    const used = new Set<PredictionMessage>();
    for (const c of seg.clips) {
      const hits = mine.filter((p) => p.startMs < c.endMs + 50 && p.endMs > c.startMs - 50);
      hits.forEach((p) => used.add(p));
      if (hits.length === 1) exactlyOne++;
      if (hits.length > 0 && hits[0].digit === c.digit) correct++;
    }
    return { name: seg.name, digits: seg.clips.length, exactlyOne, correct, spurious: mine.length - used.size };
  });
}
