// Synthetic digit strings ("555 1234" read aloud) made from isolated digit clips: what a CTC string model
// trains and is measured on. Clips are trimmed to their speech, placed one after another with gaps (negative:
// a slight overlap), optionally repeated, with per-digit gain and speed, then white noise at an SNR. Everything
// comes from one seed, so a string is the same on every run.
import { decodeWav, resample, seededUniform } from '@digits/dsp';
import type { Clip, Digit } from './types';

/** One digit recording ready to place in strings: mono samples at the strings' rate, trimmed to its speech. */
export interface StringClip {
  name: string;
  digit: Digit;
  speaker: string;
  samples: Float32Array;
}

/** A non-digit word or sound placed in strings as filler: heard, never labelled (the model learns to say nothing). */
export interface FillerClip {
  name: string;
  samples: Float32Array;
}

/** Options of {@link prepareStringClips}. */
export interface PrepareStringClipsOptions {
  /** Rate of the strings (Hz). Default 16,000 (the speech front end's). */
  sampleRate?: number;
  /** Trim leading and trailing audio quieter than this many dB below the clip's loudest 10 ms. Default 35. */
  trimDb?: number;
}

/** Decodes, resamples and trims clips; a clip that fails to decode is named in `failed` and left out. */
export function prepareStringClips(
  clips: readonly Clip[],
  opts: PrepareStringClipsOptions = {},
): { clips: StringClip[]; failed: { name: string; reason: string }[] } {
  const rate = opts.sampleRate ?? 16000;
  const out: StringClip[] = [];
  const failed: { name: string; reason: string }[] = [];
  for (const c of clips) {
    try {
      const wav = decodeWav(c.bytes, c.name);
      const samples = wav.sampleRate === rate ? wav.samples : resample(wav.samples, wav.sampleRate, rate);
      out.push({ name: c.name, digit: c.digit, speaker: c.speaker, samples: trimSilence(samples, rate, opts.trimDb) });
    } catch (e) {
      failed.push({ name: c.name, reason: (e as Error).message });
    }
  }
  return { clips: out, failed };
}

/**
 * The part of `samples` from the first to the last 10 ms block whose energy is within `trimDb` of the loudest
 * block's (with one block of margin either side): FSDD clips carry up to a few hundred ms of silence, which
 * would make every gap longer than asked.
 */
export function trimSilence(samples: Float32Array, sampleRate: number, trimDb = 35): Float32Array {
  const block = Math.max(1, Math.round(sampleRate / 100));
  const n = Math.ceil(samples.length / block);
  const energy = new Float64Array(n);
  for (let b = 0; b < n; b++) {
    let e = 0;
    const end = Math.min(samples.length, (b + 1) * block);
    for (let i = b * block; i < end; i++) e += samples[i] * samples[i];
    energy[b] = e / block;
  }
  const max = energy.reduce((m, e) => Math.max(m, e), 0);
  if (max === 0) return samples.slice();
  const floor = max * 10 ** (-trimDb / 10);
  let first = 0;
  while (first < n - 1 && energy[first] < floor) first++;
  let last = n - 1;
  while (last > first && energy[last] < floor) last--;
  return samples.slice(Math.max(0, (first - 1) * block), Math.min(samples.length, (last + 2) * block));
}

/** How strings are drawn. Ranges are [min, max], drawn uniformly. */
export interface DigitStringOptions {
  /** Rate of the clips and of the string (Hz). Default 16,000. */
  sampleRate?: number;
  /** Digits per string. Default [1, 10]. */
  digits?: [number, number];
  /** Gap between one digit's speech and the next one's, in ms; negative overlaps them. Default [-50, 600]. */
  gapMs?: [number, number];
  /** Probability that a digit repeats the one before (as in "555"). Default 0.25. */
  repeatProbability?: number;
  /** Probability that each digit of a string gets its own speaker (otherwise one speaker per string). Default 0.2. */
  mixedSpeakers?: number;
  /** Gain of the whole string in dB. Default [-6, 6]. */
  gainDb?: [number, number];
  /** Extra gain of each digit in dB, around the string's. Default [-3, 3]. */
  digitGainDb?: [number, number];
  /** Speed factor of each digit (1.1 = 10% faster and higher, like tape). Default [0.9, 1.1]. */
  speed?: [number, number];
  /** White noise at this SNR (dB, against the speech's mean power); null: no noise. Default [15, 35]. */
  snrDb?: [number, number] | null;
  /** Silence before the first and after the last digit, in ms. Default [100, 500]. */
  edgeMs?: [number, number];
  /** Silence before the first digit, in ms, when it differs from edgeMs (e.g. to fill a front end's first window). */
  leadMs?: [number, number];
  /** With the pool's fillers: probability of a filler before each digit and after the last. Default 0. */
  fillerProbability?: number;
  /** With the pool's fillers: probability that a string is one or two fillers and no digit. Default 0. */
  fillerOnly?: number;
}

/** One digit of a generated string. */
export interface StringDigit {
  digit: Digit;
  speaker: string;
  /** The clip it was made from. */
  clip: string;
  /** Where its speech lies in the string, in samples (end exclusive). */
  start: number;
  end: number;
}

/** A generated string. */
export interface DigitString {
  samples: Float32Array;
  sampleRate: number;
  /** The label sequence. */
  digits: Digit[];
  spans: StringDigit[];
  /** SNR of the added noise in dB (null: none). */
  snrDb: number | null;
}

/** Clips by speaker and digit, for drawing. */
export class StringClipPool {
  readonly speakers: string[];
  private readonly bySpeakerDigit = new Map<string, StringClip[]>();

  constructor(
    readonly clips: readonly StringClip[],
    /** Non-digit words and sounds that strings may carry between digits (DigitStringOptions.fillerProbability). */
    readonly fillers: readonly FillerClip[] = [],
  ) {
    for (const c of clips) {
      const key = `${c.speaker}/${c.digit}`;
      const list = this.bySpeakerDigit.get(key) ?? [];
      list.push(c);
      this.bySpeakerDigit.set(key, list);
    }
    this.speakers = [...new Set(clips.map((c) => c.speaker))].sort();
    for (const s of this.speakers)
      for (let d = 0; d < 10; d++)
        if (!this.bySpeakerDigit.has(`${s}/${d}`))
          throw new Error(`digit strings: speaker "${s}" has no clip of digit ${d}: every speaker needs all ten`);
    if (this.speakers.length === 0) throw new Error('digit strings: no clips to make strings from');
  }

  clipsOf(speaker: string, digit: number): readonly StringClip[] {
    return this.bySpeakerDigit.get(`${speaker}/${digit}`) ?? [];
  }
}

function checkRange(name: string, r: [number, number], lo: number, hi: number): void {
  if (!(r.length === 2 && Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[0] <= r[1] && r[0] >= lo && r[1] <= hi))
    throw new RangeError(`digit strings: ${name} must be [min, max] with ${lo} <= min <= max <= ${hi}, got [${r}]`);
}

/** Linear-interpolation speed change: `speed` 1.1 makes the clip 10% shorter (and higher). */
function changeSpeed(x: Float32Array, speed: number): Float32Array {
  if (speed === 1) return x;
  const n = Math.max(1, Math.floor(x.length / speed));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = i * speed;
    const k = Math.floor(p);
    const f = p - k;
    out[i] = (x[k] ?? 0) * (1 - f) + (x[k + 1] ?? 0) * f;
  }
  return out;
}

/**
 * One string drawn with `seed` from `pool`: digit count, digits (repeats with `repeatProbability`), speaker(s),
 * takes, gaps, gains, speeds and noise all come from the seed.
 */
export function generateDigitString(pool: StringClipPool, seed: number, opts: DigitStringOptions = {}): DigitString {
  const count = opts.digits ?? [1, 10];
  const repeat = opts.repeatProbability ?? 0.25;
  const mixed = opts.mixedSpeakers ?? 0.2;
  checkRange('digits', count, 1, 1000);
  if (!(repeat >= 0 && repeat <= 1)) throw new RangeError(`digit strings: repeatProbability ${repeat} not in [0, 1]`);
  if (!(mixed >= 0 && mixed <= 1)) throw new RangeError(`digit strings: mixedSpeakers ${mixed} not in [0, 1]`);
  const rand = seededUniform(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.min(xs.length - 1, Math.floor(rand() * xs.length))];
  const n = Math.floor(count[0] + (count[1] + 1 - 1e-9 - count[0]) * rand());
  const mixThis = rand() < mixed;
  const stringSpeaker = pick(pool.speakers);
  const digits: Digit[] = [];
  const clips: (StringClip | FillerClip)[] = [];
  const fillerP = pool.fillers.length > 0 ? (opts.fillerProbability ?? 0) : 0;
  const fillerOnly = pool.fillers.length > 0 ? (opts.fillerOnly ?? 0) : 0;
  // Filler draws come after every other draw, so a recipe without fillers gives the strings it always gave.
  const fillerRand = seededUniform((seed ^ 0x27d4eb2f) >>> 0);
  const filler = () => pool.fillers[Math.min(pool.fillers.length - 1, Math.floor(fillerRand() * pool.fillers.length))];
  if (fillerOnly > 0 && fillerRand() < fillerOnly) {
    clips.push(filler());
    if (fillerRand() < 0.5) clips.push(filler());
    return composeDigitString(clips, (seed ^ 0x5bd1e995) >>> 0, opts);
  }
  for (let i = 0; i < n; i++) {
    const digit = (i > 0 && rand() < repeat ? digits[i - 1] : Math.floor(rand() * 10)) as Digit;
    digits.push(digit);
    if (fillerP > 0 && fillerRand() < fillerP) clips.push(filler());
    clips.push(pick(pool.clipsOf(mixThis ? pick(pool.speakers) : stringSpeaker, digit)));
  }
  if (fillerP > 0 && fillerRand() < fillerP) clips.push(filler());
  return composeDigitString(clips, (seed ^ 0x5bd1e995) >>> 0, opts);
}

/**
 * Given clips placed in order as one string: gaps, gains, speeds, edges and noise drawn with `seed` from
 * `opts` (its digit count, repeat and speaker options do not apply). An isolated digit is a string of one clip.
 */
export function composeDigitString(
  clips: readonly (StringClip | FillerClip)[],
  seed: number,
  opts: DigitStringOptions = {},
): DigitString {
  const rate = opts.sampleRate ?? 16000;
  const gapMs = opts.gapMs ?? [-50, 600];
  const gainDb = opts.gainDb ?? [-6, 6];
  const digitGainDb = opts.digitGainDb ?? [-3, 3];
  const speed = opts.speed ?? [0.9, 1.1];
  const snr: [number, number] | null = opts.snrDb === undefined ? [15, 35] : opts.snrDb;
  const edgeMs = opts.edgeMs ?? [100, 500];
  const leadMs = opts.leadMs ?? edgeMs;
  checkRange('gapMs', gapMs, -1000, 10000);
  checkRange('gainDb', gainDb, -60, 60);
  checkRange('digitGainDb', digitGainDb, -60, 60);
  checkRange('speed', speed, 0.25, 4);
  checkRange('edgeMs', edgeMs, 0, 10000);
  checkRange('leadMs', leadMs, 0, 10000);
  if (snr) checkRange('snrDb', snr, -20, 120);
  if (clips.length === 0) throw new RangeError('digit strings: a string needs at least one clip');
  const rand = seededUniform(seed);
  const uniform = ([lo, hi]: [number, number]) => lo + (hi - lo) * rand();
  const stringGain = uniform(gainDb);
  const isDigit = (c: StringClip | FillerClip): c is StringClip => 'digit' in c;
  const pieces = clips.map((clip) => {
    const g = 10 ** ((stringGain + uniform(digitGainDb)) / 20);
    const s = changeSpeed(clip.samples, uniform(speed));
    const scaled = new Float32Array(s.length);
    for (let k = 0; k < s.length; k++) scaled[k] = s[k] * g;
    return { clip, samples: scaled, gap: Math.round((uniform(gapMs) / 1000) * rate) };
  });
  const lead = Math.round((uniform(leadMs) / 1000) * rate);
  const tail = Math.round((uniform(edgeMs) / 1000) * rate);
  // Where every clip lies (fillers too); spans keep the digits only.
  const placed: { start: number; end: number }[] = [];
  let at = lead;
  for (let i = 0; i < pieces.length; i++) {
    // An overlap never starts a clip before the previous one began.
    if (i > 0) at = Math.max(placed[i - 1].start + 1, at + pieces[i].gap);
    placed.push({ start: at, end: at + pieces[i].samples.length });
    at += pieces[i].samples.length;
  }
  const spans: StringDigit[] = [];
  pieces.forEach((p, i) => {
    if (isDigit(p.clip)) spans.push({ digit: p.clip.digit, speaker: p.clip.speaker, clip: p.clip.name, ...placed[i] });
  });
  const digits = spans.map((sp) => sp.digit);
  const length = Math.max(...placed.map((s) => s.end), at) + tail;
  const samples = new Float32Array(length);
  let power = 0;
  let speech = 0;
  pieces.forEach((p, i) => {
    samples.set(
      p.samples.map((v, k) => v + samples[placed[i].start + k]),
      placed[i].start,
    );
    for (const v of p.samples) power += v * v;
    speech += p.samples.length;
  });
  let snrDb: number | null = null;
  if (snr) {
    snrDb = uniform(snr);
    const sd = Math.sqrt(power / Math.max(1, speech) / 10 ** (snrDb / 10));
    for (let i = 0; i < length; i += 2) {
      // Box-Muller: two normal draws per pair of uniforms.
      const r = Math.sqrt(-2 * Math.log(1 - rand()));
      const t = 2 * Math.PI * rand();
      samples[i] += sd * r * Math.cos(t);
      if (i + 1 < length) samples[i + 1] += sd * r * Math.sin(t);
    }
  }
  return { samples, sampleRate: rate, digits, spans, snrDb };
}
