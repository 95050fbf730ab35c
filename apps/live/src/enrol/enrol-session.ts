import { resample } from '@digits/dsp';
import {
  DIGIT_COUNT,
  ENROL_AUDIO_MAX_MS,
  ENROL_AUDIO_SAMPLE_RATE,
  ENROL_MAX_TAKES_PER_DIGIT,
  ENROL_THUMBNAIL_POINTS,
  type EnrolStateMessage,
  type EnrolTakeAudioMessage,
  type EnrolTakeInfo,
} from '@digits/protocol';
import type { EnrolTake } from './voice-api';

/** Longest take kept, in seconds: a spoken digit is well under it; the rest of a longer cut is dropped. */
export const MAX_TAKE_SECONDS = 3;

/** One captured take, as the session holds it. */
export interface SessionTake {
  digit: number;
  take: number;
  samples: Float32Array;
  sampleRate: number;
  /** checkTake's verdict: undefined while the check runs, null when usable. */
  problem?: string | null;
}

export interface Prompt {
  digit: number;
  take: number;
  /** The take is asked again (enrol-redo). */
  redo: boolean;
}

/** Peak envelope of `samples` in `points` buckets, scaled so the loudest is 1 (3 decimals). */
export function takeThumbnail(samples: Float32Array, points = ENROL_THUMBNAIL_POINTS): number[] {
  const n = Math.min(points, samples.length);
  const peaks = new Array<number>(n).fill(0);
  for (let i = 0; i < samples.length; i++) {
    const b = Math.min(n - 1, Math.floor((i * n) / samples.length));
    const v = Math.abs(samples[i]);
    if (v > peaks[b]) peaks[b] = v;
  }
  const top = Math.max(...peaks, 0);
  return peaks.map((p) => (top > 0 && Number.isFinite(p) ? Math.round((p / top) * 1000) / 1000 : 0));
}

/** A take as 16-bit PCM at 16 kHz in base64, cut to ENROL_AUDIO_MAX_MS: what the dashboard plays. */
export function takeAudioBase64(samples: Float32Array, sampleRate: number): string {
  const x = sampleRate === ENROL_AUDIO_SAMPLE_RATE ? samples : resample(samples, sampleRate, ENROL_AUDIO_SAMPLE_RATE);
  const n = Math.min(x.length, Math.round((ENROL_AUDIO_SAMPLE_RATE * ENROL_AUDIO_MAX_MS) / 1000));
  const pcm = Buffer.alloc(2 * n);
  for (let i = 0; i < n; i++) {
    const v = Math.round((Number.isFinite(x[i]) ? x[i] : 0) * 32767);
    pcm.writeInt16LE(Math.max(-32768, Math.min(32767, v)), 2 * i);
  }
  return pcm.toString('base64');
}

/**
 * One enrolment: prompts go digit by digit, 0 to 9, `takesPerDigit` takes each; each utterance accepted
 * becomes the take of the current prompt; a redo asks one take again (the next utterance replaces it),
 * then the prompts go on with the first take still missing. Holds at most 10 x takesPerDigit takes of at
 * most MAX_TAKE_SECONDS each. No I/O: the controller feeds it and sends its state.
 */
export class EnrolSession {
  private readonly takes = new Map<string, SessionTake>();
  private redoing: { digit: number; take: number } | null = null;

  constructor(
    readonly name: string,
    readonly takesPerDigit: number,
  ) {
    if (!(Number.isInteger(takesPerDigit) && takesPerDigit >= 1 && takesPerDigit <= ENROL_MAX_TAKES_PER_DIGIT)) {
      throw new RangeError(`takesPerDigit must be 1-${ENROL_MAX_TAKES_PER_DIGIT}, got ${takesPerDigit}`);
    }
  }

  /** The take the next utterance becomes, or null when every take is in. */
  get prompt(): Prompt | null {
    if (this.redoing) return { ...this.redoing, redo: true };
    for (let digit = 0; digit < DIGIT_COUNT; digit++)
      for (let take = 1; take <= this.takesPerDigit; take++)
        if (!this.takes.has(key(digit, take))) return { digit, take, redo: false };
    return null;
  }

  /** Takes captured so far. */
  get size(): number {
    return this.takes.size;
  }

  /** The utterance becomes the prompted take (a copy, cut to MAX_TAKE_SECONDS); null when none is prompted. */
  accept(samples: Float32Array, sampleRate: number): SessionTake | null {
    const prompt = this.prompt;
    if (!prompt) return null;
    const kept = samples.slice(0, Math.round(MAX_TAKE_SECONDS * sampleRate));
    const take: SessionTake = { digit: prompt.digit, take: prompt.take, samples: kept, sampleRate };
    this.takes.set(key(prompt.digit, prompt.take), take);
    this.redoing = null;
    return take;
  }

  /** Asks take `take` of `digit` again; an error text when there is no such take slot. */
  redo(digit: number, take: number): string | null {
    if (take > this.takesPerDigit)
      return `take ${take} does not exist: this enrolment has ${this.takesPerDigit} per digit`;
    if (!this.takes.has(key(digit, take))) {
      const p = this.prompt;
      if (!(p && p.digit === digit && p.take === take)) return `take ${take} of ${digit} has not been recorded yet`;
      return null;
    }
    this.redoing = { digit, take };
    return null;
  }

  get(digit: number, take: number): SessionTake | undefined {
    return this.takes.get(key(digit, take));
  }

  /** Digits without a usable take (none recorded, or every one with a problem). */
  digitsMissing(): number[] {
    const usable = new Set([...this.takes.values()].filter((t) => !t.problem).map((t) => t.digit));
    return Array.from({ length: DIGIT_COUNT }, (_, d) => d).filter((d) => !usable.has(d));
  }

  /** The usable takes for training, named like FSDD files (`7_ada_2`). */
  enrolTakes(): EnrolTake[] {
    return this.sortedTakes()
      .filter((t) => !t.problem)
      .map((t) => ({
        digit: t.digit,
        name: `${t.digit}_${this.name}_${t.take}`,
        samples: t.samples,
        sampleRate: t.sampleRate,
      }));
  }

  /** The state message; `training` is the controller's. */
  state(training: EnrolStateMessage['training'] = null): EnrolStateMessage {
    const takes = this.sortedTakes().map((t): EnrolTakeInfo => {
      const info: EnrolTakeInfo = {
        digit: t.digit,
        take: t.take,
        durationMs: Math.round((t.samples.length / t.sampleRate) * 1000),
        thumbnail: takeThumbnail(t.samples),
      };
      if (t.problem) info.problem = t.problem.slice(0, 300);
      return info;
    });
    return {
      type: 'enrol-state',
      active: true,
      name: this.name,
      takesPerDigit: this.takesPerDigit,
      prompt: training ? null : this.prompt,
      takes,
      training,
    };
  }

  /** The take's audio message for playback, or undefined when it does not exist. */
  audio(digit: number, take: number): EnrolTakeAudioMessage | undefined {
    const t = this.get(digit, take);
    if (!t) return undefined;
    return {
      type: 'enrol-take-audio',
      digit,
      take,
      sampleRate: ENROL_AUDIO_SAMPLE_RATE,
      pcm: takeAudioBase64(t.samples, t.sampleRate),
    };
  }

  private sortedTakes(): SessionTake[] {
    return [...this.takes.values()].sort((a, b) => a.digit - b.digit || a.take - b.take);
  }
}

function key(digit: number, take: number): string {
  return `${digit}:${take}`;
}

/** The state message when no enrolment runs. */
export function idleEnrolState(): EnrolStateMessage {
  return { type: 'enrol-state', active: false, name: null, takesPerDigit: 1, prompt: null, takes: [], training: null };
}
