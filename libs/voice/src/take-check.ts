// Is a recorded take usable for enrolment? The checks are on the audio itself, so a take recorded in the
// dashboard and one read from a WAV file are judged alike.

/** One recorded digit of the voice to enrol. */
export interface EnrolTake {
  /** The digit spoken, 0-9. */
  digit: number;
  /** Names the take in messages and in meta.json (e.g. its file name `7_alice_2.wav`). */
  name: string;
  /** Mono samples, nominally in [-1, 1]. */
  samples: Float32Array;
  sampleRate: number;
}

/** The limits checkTake applies (the live path's: it cuts utterances of 0.1 to 1.5 s of speech). */
export const TAKE_LIMITS = Object.freeze({
  /** Shortest speech, in seconds. */
  minSpeechSeconds: 0.1,
  /** Longest speech, in seconds (the live speech detector cuts an utterance there). */
  maxSpeechSeconds: 1.5,
  /** Longest recording, in seconds (silence included). */
  maxSeconds: 10,
  /** A peak below this level (dBFS) is silence. */
  silentPeakDbfs: -45,
  /** |sample| at or above this is at full scale. */
  fullScale: 0.999,
  /** More than this fraction of samples at full scale is a clipped recording. */
  maxClippedFraction: 0.002,
  /** Speech is where a 5 ms window is within this many dB of the loudest window (as the live trimmer). */
  speechTopDb: 40,
  minSampleRate: 4000,
  maxSampleRate: 384000,
});

const WINDOW_SECONDS = 0.005;

/**
 * The span of speech in `samples`: from the first to the last 5 ms window whose energy is within
 * speechTopDb of the loudest window (the live app trims utterances by the same rule), in samples.
 */
export function speechSpan(samples: Float32Array, sampleRate: number): { start: number; end: number } {
  const w = Math.max(1, Math.round(WINDOW_SECONDS * sampleRate));
  const n = Math.ceil(samples.length / w);
  const energy = new Float64Array(n);
  let max = 0;
  for (let k = 0; k < n; k++) {
    let e = 0;
    const end = Math.min(samples.length, (k + 1) * w);
    for (let i = k * w; i < end; i++) e += samples[i] * samples[i];
    energy[k] = e / (end - k * w);
    if (energy[k] > max) max = energy[k];
  }
  if (max === 0) return { start: 0, end: 0 };
  const threshold = max * 10 ** (-TAKE_LIMITS.speechTopDb / 10);
  let first = 0;
  while (energy[first] < threshold) first++;
  let last = n - 1;
  while (energy[last] < threshold) last--;
  return { start: first * w, end: Math.min(samples.length, (last + 1) * w) };
}

/** Why a take cannot be used for enrolment (too short, too long, silent, clipped, ...), or null if it can. */
export function checkTake(take: EnrolTake): string | null {
  const { samples, sampleRate } = take;
  if (!Number.isInteger(take.digit) || take.digit < 0 || take.digit > 9) return `digit ${take.digit} is not 0-9`;
  if (!Number.isFinite(sampleRate) || sampleRate < TAKE_LIMITS.minSampleRate || sampleRate > TAKE_LIMITS.maxSampleRate)
    return `sample rate ${sampleRate} Hz is outside ${TAKE_LIMITS.minSampleRate}-${TAKE_LIMITS.maxSampleRate} Hz`;
  const seconds = samples.length / sampleRate;
  if (seconds < TAKE_LIMITS.minSpeechSeconds)
    return `too short: ${seconds.toFixed(2)} s of audio (at least ${TAKE_LIMITS.minSpeechSeconds} s of speech needed)`;
  if (seconds > TAKE_LIMITS.maxSeconds)
    return `too long: ${seconds.toFixed(1)} s of audio (one digit per take, at most ${TAKE_LIMITS.maxSeconds} s)`;
  let peak = 0;
  let clipped = 0;
  for (let i = 0; i < samples.length; i++) {
    const a = Math.abs(samples[i]);
    if (!Number.isFinite(a)) return `sample ${i} is not a finite number`;
    if (a > peak) peak = a;
    if (a >= TAKE_LIMITS.fullScale) clipped++;
  }
  const peakDb = peak > 0 ? 20 * Math.log10(peak) : -Infinity;
  if (peakDb < TAKE_LIMITS.silentPeakDbfs)
    return `silent: peak level ${peak > 0 ? peakDb.toFixed(0) : '-inf'} dBFS (below ${TAKE_LIMITS.silentPeakDbfs} dBFS; speak louder or closer)`;
  if (clipped / samples.length > TAKE_LIMITS.maxClippedFraction)
    return `clipped: ${((100 * clipped) / samples.length).toFixed(1)}% of samples at full scale (lower the input gain)`;
  const { start, end } = speechSpan(samples, sampleRate);
  const speech = (end - start) / sampleRate;
  if (speech < TAKE_LIMITS.minSpeechSeconds)
    return `too short: ${speech.toFixed(2)} s of speech (at least ${TAKE_LIMITS.minSpeechSeconds} s)`;
  if (speech > TAKE_LIMITS.maxSpeechSeconds)
    return `too long: ${speech.toFixed(2)} s of speech (a digit is at most ${TAKE_LIMITS.maxSpeechSeconds} s; one digit per take)`;
  return null;
}
