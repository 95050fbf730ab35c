// Scoring the live recognizer on spoken clips, end to end and without flattery: build a stream of known clips,
// play it through the real `digits live --source stdin` in a child process, and match the prediction
// messages it prints to the clips by stream time. Shared by the benchmarks (new voices, noisy rooms).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import { z } from 'zod';
import { detectSpeech, frameAudio, type SpeechEndEvent } from '@digits/stream';
import {
  DigitsMessageSchema,
  PredictionMessageSchema,
  type DigitsMessage,
  type PredictionMessage,
} from '@digits/protocol';
import { buildDigitStream, digitStreamPcm, FSDD_RECORDINGS, seededRandom } from '../src/testing/digit-stream';
import type { DigitStream, DigitStreamOptions } from '../src/testing/digit-stream';
import { peakRssMb } from './app-rss';

const REPO_ROOT = path.resolve(__dirname, '../../..');

/** A listening condition: no added noise, or white noise `snrDb` under the speech's middle level. */
export interface Condition {
  name: string;
  snrDb: number | null;
}

/** "clean,30,20" -> conditions; throws naming a bad entry. */
export function parseConditions(spec: string): Condition[] {
  return spec.split(',').map((raw) => {
    const s = raw.trim();
    if (s === 'clean') return { name: 'clean', snrDb: null };
    const snr = Number(s);
    if (s === '' || !Number.isFinite(snr))
      throw new Error(`--conditions: "${raw}" is neither "clean" nor an SNR in dB`);
    return { name: `${snr} dB SNR`, snrDb: snr };
  });
}

/** "16000,48000" -> rates; throws naming a bad entry. */
export function parseRates(spec: string): number[] {
  return spec.split(',').map((raw) => {
    const r = Number(raw.trim());
    if (!(Number.isInteger(r) && r >= 8000 && r <= 192000))
      throw new Error(`--rates: "${raw}" is not a rate of 8000-192000 Hz`);
    return r;
  });
}

/**
 * `count` recordings of one speaker, as evenly spread over the digits as the count allows, picked and
 * ordered with `seed` (the order is shuffled, so no digit pattern repeats).
 */
export function speakerClips(speaker: string, count: number, seed: number, dir = FSDD_RECORDINGS): string[] {
  const all = readdirSync(dir)
    .filter((f) => new RegExp(`^\\d_${speaker}_\\d+\\.wav$`).test(f))
    .sort();
  if (all.length === 0) throw new Error(`no recordings of speaker "${speaker}" in ${dir}`);
  const random = seededRandom(seed);
  const shuffle = <T>(list: T[]) => {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    return list;
  };
  const byDigit = Array.from({ length: 10 }, (_, d) => shuffle(all.filter((f) => f.startsWith(`${d}_`))));
  const files: string[] = [];
  for (let round = 0; files.length < count && byDigit.some((l) => l.length > round); round++) {
    for (const list of byDigit) if (list[round] && files.length < count) files.push(list[round]);
  }
  return shuffle(files);
}

/** Defaults of the scoring streams: isolated digits with 0.3-1 s gaps, clip RMS -30 to -18 dBFS. */
export const SCORING_STREAM: Readonly<Required<Pick<DigitStreamOptions, 'gapMs' | 'speechDbfs'>>> = Object.freeze({
  gapMs: [300, 1000] as const,
  speechDbfs: [-30, -18] as const,
});

/** The stream of `files` at `sampleRate` in `condition`, gaps and levels seeded. */
export function scoringStream(files: string[], sampleRate: number, condition: Condition, seed: number): DigitStream {
  return buildDigitStream(files, {
    sampleRate,
    gapMs: SCORING_STREAM.gapMs,
    speechDbfs: SCORING_STREAM.speechDbfs,
    ...(condition.snrDb === null ? { noiseDbfs: -Infinity } : { snrDb: condition.snrDb }),
    seed,
  });
}

/** What one `digits live` run gave. */
export interface LiveRun {
  predictions: PredictionMessage[];
  /** Peak resident set of the child (VmHWM), MB; undefined off Linux. */
  peakRssMb: number | undefined;
  wallMs: number;
}

/** `digits live` on stdin as the benches run it: its process, its stderr so far, and its end. */
export interface LiveChild {
  child: ChildProcessWithoutNullStreams;
  stderr: () => string;
  /** Its stdout once it exits 0; rejects with its stderr otherwise. */
  done: Promise<string>;
}

/**
 * Spawns `digits live --source stdin --rate <rate> --model <modelDir> --json --exit-at-end --port 0` (bin/digits.js,
 * the command users run; `extraArgs` go to it as they are) and collects what it prints. `onStderr` sees the
 * whole stderr after each write (the paced player waits for the app's ready line).
 */
export function spawnDigitsLive(
  modelDir: string,
  rate: number,
  extraArgs: string[] = [],
  onStderr?: (stderr: string) => void,
): LiveChild {
  const args = [
    path.join(REPO_ROOT, 'bin/digits.js'),
    'live',
    '--source',
    'stdin',
    '--rate',
    String(rate),
    '--model',
    modelDir,
    '--json',
    '--exit-at-end',
    '--port',
    '0',
    ...extraArgs,
  ];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    onStderr?.(stderr);
  });
  child.stdin.on('error', () => undefined); // a child that died early: its exit code tells why
  const done = new Promise<string>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`digits live exited with ${code}:\n${stderr}`)),
    );
  });
  return { child, stderr: () => stderr, done };
}

/**
 * Plays `stream` as s16le PCM into `digits live` (spawnDigitsLive) and collects the prediction lines it prints.
 * Rejects with the child's stderr when it fails.
 */
export async function runDigitsLive(modelDir: string, stream: DigitStream, extraArgs: string[] = []): Promise<LiveRun> {
  const t0 = performance.now();
  const { child, done } = spawnDigitsLive(modelDir, stream.sampleRate, extraArgs);
  let peak: number | undefined;
  const timer = setInterval(() => {
    const now = child.pid === undefined ? undefined : peakRssMb(child.pid);
    if (now !== undefined) peak = Math.max(peak ?? 0, now);
  }, 50);
  // The pipe's backpressure paces the writes; the command reads stdin as fast as it can.
  child.stdin.end(digitStreamPcm(stream));
  try {
    const stdout = await done;
    return { predictions: parsePredictionLines(stdout), peakRssMb: peak, wallMs: performance.now() - t0 };
  } finally {
    clearInterval(timer);
  }
}

/** The prediction and digits messages among `digits live --json` stdout lines, each checked against its schema. */
export function parseLiveLines(stdout: string): { predictions: PredictionMessage[]; strings: DigitsMessage[] } {
  const predictions: PredictionMessage[] = [];
  const strings: DigitsMessage[] = [];
  stdout.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`digits live stdout line ${i + 1} is not JSON: ${line.slice(0, 80)}`);
    }
    const typed = z.object({ type: z.string() }).safeParse(value);
    if (typed.success && typed.data.type === 'prediction') predictions.push(PredictionMessageSchema.parse(value));
    if (typed.success && typed.data.type === 'digits') strings.push(DigitsMessageSchema.parse(value));
  });
  return { predictions, strings };
}

/** The prediction messages among `digits live --json` stdout lines (each checked against the protocol schema). */
export function parsePredictionLines(stdout: string): PredictionMessage[] {
  return parseLiveLines(stdout).predictions;
}

/** One spoken clip as the stream placed it. */
export interface SpokenClip {
  digit: number;
  startMs: number;
  endMs: number;
}

/** How one clip fared live. */
export interface ClipMatch {
  /** Predictions whose utterance overlaps this clip (within the slack). */
  predictions: PredictionMessage[];
  /** Exactly one prediction overlaps the clip, and it overlaps no other clip. */
  exactlyOne: boolean;
  /** The digit live answered (argmax of its probabilities, as offline accuracy counts), when exactlyOne. */
  digit: number | null;
}

/** The result of matching a run's predictions with the clips. */
export interface MatchResult {
  perClip: ClipMatch[];
  /** Predictions overlapping no clip (noise taken for speech). */
  spurious: number;
}

/** Argmax of a probability list. */
export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  return best;
}

/**
 * For each item (an utterance, a prediction) with stream times [startMs, endMs], the indices of the clips it
 * overlaps once widened by `slackMs` on both sides (a trimmed utterance may start a few ms before its clip).
 */
export function clipsOverlapped(
  clips: readonly SpokenClip[],
  items: readonly { startMs: number; endMs: number }[],
  slackMs = 50,
): number[][] {
  return items.map((p) =>
    clips.flatMap((c, i) => (p.endMs > c.startMs - slackMs && p.startMs < c.endMs + slackMs ? [i] : [])),
  );
}

/**
 * For each clip, the index of the one item that belongs to it alone (it overlaps this clip and no other,
 * and no other item overlaps this clip), else -1: a split digit and two digits merged into one both fail.
 */
export function soleItems(clips: readonly SpokenClip[], owners: readonly number[][]): number[] {
  return clips.map((_, i) => {
    const mine = owners.flatMap((o, k) => (o.includes(i) ? [k] : []));
    return mine.length === 1 && owners[mine[0]].length === 1 ? mine[0] : -1;
  });
}

/**
 * Matches predictions to clips by stream time (see clipsOverlapped, soleItems). A clip scores only when
 * exactly one prediction belongs to it and that prediction belongs to no other clip. The live digit is the
 * argmax of the prediction's probabilities (a prediction below the threshold still names its best digit,
 * as offline accuracy does).
 */
export function matchPredictions(
  clips: readonly SpokenClip[],
  predictions: readonly PredictionMessage[],
  slackMs = 50,
): MatchResult {
  const owners = clipsOverlapped(clips, predictions, slackMs);
  const sole = soleItems(clips, owners);
  const perClip = clips.map((_, i): ClipMatch => ({
    predictions: predictions.filter((_, k) => owners[k].includes(i)),
    exactlyOne: sole[i] >= 0,
    digit: sole[i] >= 0 ? argmax(predictions[sole[i]].probs) : null,
  }));
  return { perClip, spurious: owners.filter((o) => o.length === 0).length };
}

/** Counts over the clips of one run. */
export interface LiveScore {
  clips: number;
  exactlyOne: number;
  correct: number;
  spurious: number;
}

export function scoreMatches(clips: readonly SpokenClip[], match: MatchResult): LiveScore {
  return {
    clips: clips.length,
    exactlyOne: match.perClip.filter((m) => m.exactlyOne).length,
    correct: match.perClip.filter((m, i) => m.exactlyOne && m.digit === clips[i].digit).length,
    spurious: match.spurious,
  };
}

/** What the s16le pipe into `digits live` does to the samples: rounding to 16 bits, clipping. */
export function quantise16(x: Float32Array): Float32Array {
  return x.map((v) => Math.max(-32768, Math.min(32767, Math.round(v * 32768))) / 32768);
}

/**
 * The detector's utterance ends of `stream`, in-process, as `digits live` decides them: the samples as the
 * pipe carries them (16 bits), in 20 ms chunks, framed and run through detectSpeech with its defaults.
 */
export async function speechEnds(stream: DigitStream): Promise<SpeechEndEvent[]> {
  const samples = quantise16(stream.samples);
  const chunk = Math.round(stream.sampleRate / 50);
  const chunks = Array.from({ length: Math.ceil(samples.length / chunk) }, (_, i) => ({
    samples: samples.subarray(i * chunk, (i + 1) * chunk),
    sampleRate: stream.sampleRate,
  }));
  const events = await lastValueFrom(from(chunks).pipe(frameAudio(10), detectSpeech(), toArray()));
  return events.filter((e): e is SpeechEndEvent => e.type === 'end');
}
