import { compareCodeUnits } from './clip-name';
import { mean, percentiles, std } from './percentile';

/** The notebook's analysis rate: librosa.load(sr=22050). Hz. */
export const ANALYSIS_SAMPLE_RATE = 22050;

/** The notebook's fixed clip length: 0.8 s at 22,050 Hz = 17,640 samples. */
export const PAD_SECONDS = 0.8;

/** Percentiles the notebook prints: 0 to 100 in steps of 10. */
export const PERCENTILES_STEP10: readonly number[] = Object.freeze([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);

/** Percentiles the notebook prints next: 90 to 100 in steps of 1. */
export const PERCENTILES_TOP: readonly number[] = Object.freeze([90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100]);

/**
 * Number of samples librosa.load returns when resampling `numSamples` samples from `sampleRate` to
 * `targetRate`: ceil(numSamples * targetRate / sampleRate). resampy produces the floor of that and librosa
 * pads with zeros to the ceiling. Integer arithmetic, so there is no rounding doubt at exact multiples.
 */
export function resampledLength(numSamples: number, sampleRate: number, targetRate = ANALYSIS_SAMPLE_RATE): number {
  if (sampleRate === targetRate) return numSamples;
  const scaled = numSamples * targetRate; // exact: far below 2^53 for any audio file
  const rest = scaled % sampleRate;
  const whole = (scaled - rest) / sampleRate;
  return rest === 0 ? whole : whole + 1;
}

/**
 * A clip's duration as the notebook measures it, in seconds: `librosa.get_duration(librosa.load(path,
 * sr=22050))` = the resampled length / 22,050. (Slightly longer than numSamples / sampleRate because of the
 * padding to a whole sample.)
 */
export function clipDuration(
  clip: { numSamples: number; sampleRate: number },
  targetRate = ANALYSIS_SAMPLE_RATE,
): number {
  return resampledLength(clip.numSamples, clip.sampleRate, targetRate) / targetRate;
}

/** Duration figures for one speaker. */
export interface SpeakerDurations {
  /** Clips of this speaker. */
  n: number;
  /** Mean duration (s). */
  mean: number;
  /** Longest duration (s). */
  max: number;
  /** Clips longer than the pad length (they get truncated). */
  longerThanPad: number;
}

/** The notebook's duration exploration, all durations in seconds at {@link ANALYSIS_SAMPLE_RATE}. */
export interface DurationStatistics {
  /** Number of clips. */
  count: number;
  /** Rate the durations are measured at (Hz): 22,050. */
  sampleRate: number;
  /** `np.percentile` at 0, 10, ..., 100, keyed by percentile. */
  percentilesStep10: Record<number, number>;
  /** `np.percentile` at 90, 91, ..., 100, keyed by percentile. */
  percentilesTop: Record<number, number>;
  /** `np.mean`. */
  mean: number;
  /** `np.std` (population). */
  std: number;
  /** Shortest duration and its clip. */
  min: { seconds: number; name: string };
  /** Longest duration and its clip. */
  max: { seconds: number; name: string };
  /** The fixed length every clip is padded or truncated to: seconds and samples at `sampleRate`. */
  pad: { seconds: number; samples: number };
  /** Clips strictly longer than the pad length (truncated by padding). */
  longerThanPad: number;
  /** Per speaker, in code-unit order of the speaker name. */
  perSpeaker: Record<string, SpeakerDurations>;
}

/** Options of {@link durationStatistics}. */
export interface DurationStatisticsOptions {
  /** Analysis rate (Hz). Default 22,050. */
  sampleRate?: number;
  /** Pad length (s). Default 0.8. */
  padSeconds?: number;
}

/**
 * The notebook's duration statistics over some clips (all of them, or one side of a split), equal to
 * numpy's on librosa's durations: percentiles with numpy's linear interpolation, mean and std with
 * numpy's pairwise summation. Ties for min/max go to the first clip in the order given.
 * @throws RangeError for no clips
 */
export function durationStatistics(
  clips: readonly { name: string; speaker: string | null; numSamples: number; sampleRate: number }[],
  options: DurationStatisticsOptions = {},
): DurationStatistics {
  const sampleRate = options.sampleRate ?? ANALYSIS_SAMPLE_RATE;
  const padSeconds = options.padSeconds ?? PAD_SECONDS;
  if (clips.length === 0) throw new RangeError('Duration statistics need at least one clip');
  const durations = Float64Array.from(clips, (c) => clipDuration(c, sampleRate));
  const padSamples = Math.round(padSeconds * sampleRate);
  // Compare lengths in samples (exact) rather than seconds.
  const longer = (c: (typeof clips)[number]): boolean =>
    resampledLength(c.numSamples, c.sampleRate, sampleRate) > padSamples;

  let iMin = 0;
  let iMax = 0;
  durations.forEach((d, i) => {
    if (d < durations[iMin]) iMin = i;
    if (d > durations[iMax]) iMax = i;
  });

  const bySpeaker = new Map<string, number[]>();
  clips.forEach((c, i) => {
    const key = c.speaker ?? '(unknown)';
    if (!bySpeaker.has(key)) bySpeaker.set(key, []);
    bySpeaker.get(key)!.push(i);
  });
  const perSpeaker: Record<string, SpeakerDurations> = {};
  for (const speaker of [...bySpeaker.keys()].sort(compareCodeUnits)) {
    const idx = bySpeaker.get(speaker)!;
    const d = idx.map((i) => durations[i]);
    perSpeaker[speaker] = {
      n: idx.length,
      mean: mean(d),
      max: d.reduce((a, b) => (b > a ? b : a), -Infinity),
      longerThanPad: idx.filter((i) => longer(clips[i])).length,
    };
  }

  const keyed = (ps: readonly number[]): Record<number, number> => {
    const values = percentiles(durations, ps);
    return Object.fromEntries(ps.map((p, i) => [p, values[i]]));
  };
  return {
    count: clips.length,
    sampleRate,
    percentilesStep10: keyed(PERCENTILES_STEP10),
    percentilesTop: keyed(PERCENTILES_TOP),
    mean: mean(durations),
    std: std(durations),
    min: { seconds: durations[iMin], name: clips[iMin].name },
    max: { seconds: durations[iMax], name: clips[iMax].name },
    pad: { seconds: padSeconds, samples: padSamples },
    longerThanPad: clips.filter(longer).length,
    perSpeaker,
  };
}
