// The live path of a digit-string (CTC) model: the speech detector opens a string, its audio (with a pre-roll)
// streams to the model, each digit goes out as a `prediction` as soon as it is certain, and the string closes
// with one `digits` message after a pause, at the maximum length, or at the end of the stream.
import { Observable, type OperatorFunction } from 'rxjs';
import type { DigitsMessage, ErrorMessage, PredictionMessage } from '@digits/protocol';
import type { StringFrame, StringSession } from '../classifier/classifier';

/** The string model's audio rate (the speech-embedding front end's), Hz. */
export const STRING_RATE = 16000;
/** Samples per embedding frame (80 ms at 16 kHz): audio is pushed to the model in blocks of this. */
const BLOCK = 1280;

/** After the speech before a string, this much more of the pre-roll is replaced by the noise floor, ms (the
 * detector's trimmed end can leave a weak final consonant out). */
const PREVIOUS_SPEECH_MARGIN_MS = 100;
/** A run of the same digit heard again by the next string may start up to one 80 ms frame apart; half of
 * that decides whether a run began before the previous string's last digit ended (then it is that digit). */
const SAME_RUN_SLACK_MS = 40;

/** Defaults of the string options (see DigitStringsOptions). */
export const STRING_DEFAULTS = {
  hangoverMs: 500,
  maxStringMs: 20_000,
  maxDigits: 32,
  groupGapMs: 300,
  preRollMs: 1000,
  threshold: 0.5,
} as const;

/** Options of digitStrings. */
export interface DigitStringsOptions {
  /** A string closes once the speech has paused this long, in ms. Default 500. */
  hangoverMs?: number;
  /** A string closes (reason 'max-length') at this much audio from its first speech, in ms. Default 20,000. */
  maxStringMs?: number;
  /** ... or at this many digits. Default 32. */
  maxDigits?: number;
  /** `grouped` has a space between two digits whose speech the detector found more than this apart, ms. Default 300. */
  groupGapMs?: number;
  /** Audio before the onset pushed when a string opens, so the front end's first 0.76 s window is full, ms.
   * Default 1,000 (the string model was trained with 0.8-1.2 s of lead). */
  preRollMs?: number;
  /** A digit is claimed once a frame of its run gives it at least this probability, 0..1 (as --threshold
   * for a one-digit model; not tuned on any test speaker). Default 0.5. */
  threshold?: number;
  /** Wall clock in ms; default performance.now (tests pass a fake). */
  now?: () => number;
}

/** What digitStrings reads, in stream order: the detector's speech edges and the audio at 16 kHz. */
export type StringInput =
  { kind: 'speech'; state: 'start' | 'end'; tMs: number } | { kind: 'audio'; samples: Float32Array };

/** What digitStrings emits. */
export type StringOutput = PredictionMessage | DigitsMessage | ErrorMessage;

interface OpenDigit {
  digit: number;
  confidence: number;
  startMs: number;
  endMs: number;
  /** Index (in the string's segments) of the speech it belongs to. */
  segment: number;
}

interface OpenString {
  session: StringSession;
  /** Stream sample (16 kHz) of the session's first sample. */
  firstSample: number;
  /** Speech segments (detector start/end) since the string opened. */
  segments: { startMs: number; endMs?: number }[];
  digits: OpenDigit[];
  /** The current run of one best digit: its span, and its digit once claimed. */
  run?: { digit: number; startMs: number; endMs: number; claimed?: OpenDigit };
  /** Audio not yet pushed (less than a block). */
  pending: Float32Array;
  pendingLength: number;
  closed: boolean;
  /** After a forced split (max-length): the digits of the string this one continues, whose last second it
   * hears again as its pre-roll. A run that began before their last digit ended is theirs, not this one's. */
  continues?: OpenDigit[];
}

/**
 * The digit-string operator. `open` starts a model stream (Classifier.openString). Stream time is the count
 * of 16 kHz samples read; speech edges are in the same clock (ms).
 *
 * ```
 * input:   --s--a--a--a--e--a--a--a--a--|     s/e speech start/end, a audio
 * output:  -------P-----P--------D------|     P prediction per digit, D digits once the pause passes hangoverMs
 * ```
 *
 * Memory is bounded: a ring of preRollMs + 0.5 s of audio, under a block pending, at most maxDigits digits,
 * and a string never outlives maxStringMs.
 */
export function digitStrings(
  open: () => StringSession,
  options: DigitStringsOptions = {},
): OperatorFunction<StringInput, StringOutput> {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o = { ...STRING_DEFAULTS, ...given } as typeof STRING_DEFAULTS;
  for (const k of ['hangoverMs', 'maxStringMs', 'maxDigits', 'groupGapMs', 'preRollMs', 'threshold'] as const)
    if (!(Number.isFinite(o[k]) && o[k] >= 0)) throw new RangeError(`digitStrings: ${k} must be >= 0, got ${o[k]}`);
  if (o.threshold > 1) throw new RangeError(`digitStrings: threshold must be in 0..1, got ${o.threshold}`);
  if (o.maxStringMs < 1000) throw new RangeError(`digitStrings: maxStringMs must be >= 1000, got ${o.maxStringMs}`);
  const now = options.now ?? (() => performance.now());
  const toMs = (sample: number) => (sample / STRING_RATE) * 1000;

  return (source) =>
    new Observable<StringOutput>((out) => {
      const ring = new Float32Array(Math.ceil(((o.preRollMs + 500) / 1000) * STRING_RATE));
      let samplesRead = 0; // stream samples so far (16 kHz)
      let speaking = false;
      let lastSpeechEndMs = 0;
      let current: OpenString | undefined;
      // Answers are handled in the order the work was sent (the worker answers in order too).
      let work: Promise<void> = Promise.resolve();
      let sourceDone = false;
      const error = (message: string) =>
        out.next({ type: 'error', code: 'classification-failed', message: `digit string: ${message}` });

      const ringSlice = (from: number): Float32Array => {
        const start = Math.max(from, samplesRead - ring.length, 0);
        const piece = new Float32Array(samplesRead - start);
        for (let i = 0; i < piece.length; i++) piece[i] = ring[(start + i) % ring.length];
        return piece;
      };

      const handleFrames = (s: OpenString, frames: StringFrame[], sentAt: number) => {
        for (const f of frames) {
          const endMs = toMs(s.firstSample + f.endSample);
          const p = f.best < 10 ? f.digitProbs[f.best] : 0;
          if (f.best >= 10) s.run = undefined;
          else if (s.run?.digit === f.best) {
            s.run.endMs = endMs;
            if (s.run.claimed) s.run.claimed.endMs = endMs;
          } else s.run = { digit: f.best, startMs: Math.max(0, endMs - 80), endMs };
          // A run (CTC: the same best digit on consecutive frames, a blank between repeats) is claimed on its
          // first frame at or above the threshold; a run that never reaches it is no digit.
          const run = s.run;
          const last = s.continues?.at(-1);
          const heardBefore = last !== undefined && run !== undefined && run.startMs < last.endMs - SAME_RUN_SLACK_MS;
          if (run && !run.claimed && p >= o.threshold && s.digits.length < o.maxDigits && !heardBefore) {
            // The digit's speech: the latest segment that began before the frame that made it certain.
            let segment = 0;
            while (segment + 1 < s.segments.length && s.segments[segment + 1].startMs < endMs - 80) segment++;
            const d: OpenDigit = { digit: run.digit, confidence: clamp(p), startMs: run.startMs, endMs, segment };
            run.claimed = d;
            s.digits.push(d);
            out.next({
              type: 'prediction',
              digit: d.digit,
              confidence: d.confidence,
              probs: f.digitProbs.map(clamp),
              startMs: d.startMs,
              endMs: d.endMs,
              latencyMs: Math.max(0, now() - sentAt),
            });
          }
        }
        if (!s.closed && s.digits.length >= o.maxDigits) {
          close('max-length', toMs(samplesRead));
          if (speaking) openString(toMs(samplesRead), s.digits);
        }
      };

      const push = (s: OpenString, samples: Float32Array) => {
        const sentAt = now();
        const answer = s.session.push(samples);
        work = work.then(() =>
          answer.then(
            (frames) => handleFrames(s, frames, sentAt),
            (err: Error) => error(err.message),
          ),
        );
      };

      const feed = (s: OpenString, samples: Float32Array) => {
        let i = 0;
        while (i < samples.length) {
          const take = Math.min(BLOCK - s.pendingLength, samples.length - i);
          s.pending.set(samples.subarray(i, i + take), s.pendingLength);
          s.pendingLength += take;
          i += take;
          if (s.pendingLength === BLOCK) {
            push(s, s.pending);
            s.pending = new Float32Array(BLOCK);
            s.pendingLength = 0;
          }
        }
      };

      const openString = (onsetMs: number, continues?: OpenDigit[]) => {
        const from = Math.round(((onsetMs - o.preRollMs) / 1000) * STRING_RATE);
        const lead = ringSlice(from);
        // The pre-roll may reach back into the speech before (digits 0.5 s apart): that audio is replaced by a
        // faint noise floor (-80 dBFS, as recognize() leads a recording), or the model would hear the last
        // digit again at the start of this string.
        const firstSample = samplesRead - lead.length;
        const heardUntil = Math.round(((lastSpeechEndMs + PREVIOUS_SPEECH_MARGIN_MS) / 1000) * STRING_RATE);
        if (lastSpeechEndMs > 0)
          for (let i = 0; i < Math.min(lead.length, heardUntil - firstSample); i++)
            lead[i] = (((i * 2654435761) >>> 0) / 2 ** 32 - 0.5) * 2e-4;
        const s: OpenString = {
          session: open(),
          firstSample,
          segments: [{ startMs: onsetMs }],
          digits: [],
          pending: new Float32Array(BLOCK),
          pendingLength: 0,
          closed: false,
          continues,
        };
        current = s;
        feed(s, lead);
      };

      const close = (reason: DigitsMessage['reason'], atMs: number) => {
        const s = current;
        if (!s) return;
        current = undefined;
        s.closed = true;
        const decidedAt = now();
        const closing = s.session.close();
        work = work.then(() =>
          closing.then(
            () => out.next(digitsMessage(s, reason, atMs, decidedAt)),
            (err: Error) => error(err.message),
          ),
        );
      };

      const digitsMessage = (
        s: OpenString,
        reason: DigitsMessage['reason'],
        atMs: number,
        decidedAt: number,
      ): DigitsMessage => {
        const startMs = s.segments[0].startMs;
        const endMs = Math.max(startMs, s.segments[s.segments.length - 1].endMs ?? atMs);
        let grouped = '';
        s.digits.forEach((d, i) => {
          if (i > 0 && pausedBetween(s, s.digits[i - 1].segment, d.segment) > o.groupGapMs) grouped += ' ';
          grouped += String(d.digit);
        });
        return {
          type: 'digits',
          text: s.digits.map((d) => d.digit).join(''),
          grouped,
          digits: s.digits.map((d) => ({
            digit: d.digit,
            confidence: d.confidence,
            startMs: d.startMs,
            endMs: d.endMs,
          })),
          startMs,
          endMs,
          latencyMs: Math.max(0, atMs - endMs) + Math.max(0, now() - decidedAt),
          reason,
        };
      };

      const onAudio = (samples: Float32Array) => {
        for (let i = 0; i < samples.length; i++) ring[(samplesRead + i) % ring.length] = samples[i];
        samplesRead += samples.length;
        const s = current;
        if (!s) return;
        feed(s, samples);
        const t = toMs(samplesRead);
        if (!speaking && t >= lastSpeechEndMs + o.hangoverMs) close('pause', t);
        else if (t - s.segments[0].startMs >= o.maxStringMs) {
          close('max-length', t);
          if (speaking) openString(t, s.digits);
        }
      };

      const onSpeech = (state: 'start' | 'end', tMs: number) => {
        if (state === 'start') {
          speaking = true;
          if (current) current.segments.push({ startMs: tMs });
          else openString(tMs);
        } else {
          speaking = false;
          lastSpeechEndMs = tMs;
          const seg = current?.segments[current.segments.length - 1];
          if (seg && seg.endMs === undefined) seg.endMs = Math.max(seg.startMs, tMs);
        }
      };

      const sub = source.subscribe({
        next: (e) => (e.kind === 'audio' ? onAudio(e.samples) : onSpeech(e.state, e.tMs)),
        error: (err) => out.error(err),
        complete: () => {
          sourceDone = true;
          close('end', toMs(samplesRead));
          void work.then(() => out.complete());
        },
      });
      return () => {
        sub.unsubscribe();
        if (!sourceDone && current) {
          void current.session.close().catch(() => undefined);
          current = undefined;
        }
      };
    });
}

/** The longest silence the detector found between segment `a`'s end and segment `b`'s start (0 if a == b). */
function pausedBetween(s: OpenString, a: number, b: number): number {
  let gap = 0;
  for (let k = a + 1; k <= b; k++) {
    const prevEnd = s.segments[k - 1].endMs ?? s.segments[k].startMs;
    gap = Math.max(gap, s.segments[k].startMs - prevEnd);
  }
  return gap;
}

const clamp = (p: number) => (Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0);
