// Every public interface and config of @digits/stream, with units, ranges and defaults.

/**
 * A piece of live audio as a source delivers it (PortAudio buffer, WAV slice, stdin read).
 * Chunk sizes are arbitrary; `frameAudio` regroups them.
 */
export interface AudioChunk {
  /** Mono samples, nominally in -1..1 (full scale = 1). */
  samples: Float32Array;
  /** Sample rate in Hz. May change between chunks (e.g. a device reopened at another rate). */
  sampleRate: number;
  /**
   * Index of the first sample, counted at `sampleRate` from stream time 0 (so its stream time is
   * startSample / sampleRate s). Optional: without it chunks are taken as contiguous. A value that
   * disagrees with the running count (a gap after dropped buffers) moves the clock to it.
   */
  startSample?: number;
}

/** A fixed-length piece of audio on the stream's clock, as `frameAudio` emits it. */
export interface AudioFrame {
  /** Mono samples; round(sampleRate * frameMs / 1000) of them, except possibly the last frame before a
   * sample-rate change, a gap or the end of the stream, which holds the remainder (never empty). */
  samples: Float32Array;
  /** Sample rate in Hz. */
  sampleRate: number;
  /** Ordinal of the frame in the stream: 0, 1, 2, ... (keeps counting across rate changes and gaps). */
  index: number;
  /** Stream time of the first sample, in ms. */
  tMs: number;
}

/** Level of a stretch of audio (one frame, or several after `throttleLevel`). */
export interface AudioLevel {
  /** RMS level in dBFS: 20*log10(rms), full-scale square wave = 0 dBFS, full-scale sine = -3.01 dBFS;
   * silence is clamped to DBFS_FLOOR (-120), so the value is always finite (JSON-safe). */
  rmsDbfs: number;
  /** Largest |sample| in dBFS, clamped the same way. */
  peakDbfs: number;
  /** Stream time of the first measured sample, in ms. */
  tMs: number;
  /** Length of the measured audio, in ms. */
  durationMs: number;
}

/**
 * Every parameter of the speech detector (`detectSpeech`). Times are stream time in ms, levels are the
 * RMS of one frame in dBFS (see AudioLevel). Defaults (DEFAULT_SPEECH_DETECTOR_CONFIG) are tuned for 10 ms
 * frames on FSDD digits in white noise 30 dB below the speech: in 200-clip streams with 0.7 s gaps
 * (libs/stream/bench/segmentation-fsdd.ts, seeds 1-3) every clip gave exactly one utterance with levels
 * normalised, 98.5-99% at the recorded levels (the misses are clips quieter than the noise), and no
 * utterance appeared in the gaps.
 *
 * A frame counts as speech when its level is at least `thresholdDb` above the noise floor (once an utterance
 * is confirmed, `sustainThresholdDb`), or, if it
 * crosses zero at least `fricativeZcrPerSecond` times a second (hiss: s, f, th, the edges of "six",
 * "seven"), when both its level and its hiss level (the level of its first difference: highs kept, voicing
 * and hum cut) are at least `fricativeThresholdDb` above their floors; and never below `minSpeechDbfs`. Each floor
 * is the `noisePercentile` of its levels over the last `noiseWindowMs`: it falls within
 * ~noisePercentile*noiseWindowMs of a quieter background (0.3 s by default) and rises only once nearly the
 * whole window is louder (~2.7 s), so speech, which is short, hardly lifts it, while stationary noise sets
 * it. The hiss floor keeps a hissy background (pink noise crosses zero ~4,600 times a second at 16 kHz)
 * from passing the fricative rule against the broadband floor, which its low end sets.
 *
 * Rooms: an utterance's reverberant tail stays above the noise floor long after the speech. While speaking,
 * a frame at least `decayEndDb` below the utterance's peak whose level is falling (by `decayDropDb` over
 * `decayWindowMs`) counts as non-speech, so a tail falling steadily from the peak ends the utterance after
 * `hangoverMs`; after any end, new speech must rise `thresholdDb` above the lowest level since
 * the end (and hiss `fricativeThresholdDb` above its own), so the tail never starts an utterance of its own.
 * Measured with libs/stream/bench/segmentation-rooms.ts (FSDD digits 0.5 s apart in held-out rooms).
 */
export interface SpeechDetectorConfig {
  /** Margin above the noise floor for a speech frame, in dB. Default 8. */
  thresholdDb: number;
  /** Lower margin for hissy (high zero-crossing) frames, in dB. Default 4. */
  fricativeThresholdDb: number;
  /** Zero crossings per second from which a frame is hissy. Default 3,000 (white noise at 8 kHz: ~4,000;
   * voiced speech: ~500-2,000). */
  fricativeZcrPerSecond: number;
  /** No frame quieter than this is speech, whatever the noise floor (guards digital silence), in dBFS.
   * Default -70. */
  minSpeechDbfs: number;
  /** Length of the noise-floor history, in ms. Default 3,000. */
  noiseWindowMs: number;
  /** Percentile (0..1) of the history taken as the noise floor. Default 0.1. */
  noisePercentile: number;
  /** Noise floor assumed before the first frame, in dBFS. Default -60. */
  initialNoiseFloorDbfs: number;
  /** Audio kept before the first speech frame, in ms (onsets are quieter than the threshold). Default 150. */
  preRollMs: number;
  /** Non-speech needed to end an utterance, in ms (bridges the stop in "six", "eight"). Default 200. */
  hangoverMs: number;
  /** Speech frames needed (in total) before an utterance is confirmed, in ms; shorter blips are dropped.
   * Default 100. */
  minSpeechMs: number;
  /** Longest utterance from onset, in ms; a longer sound is cut there and the detector waits for
   * `hangoverMs` of non-speech before listening again. Default 1,500. */
  maxSpeechMs: number;
  /** While speaking, frames this far above the noise floor still count as speech (hysteresis: a quiet final
   * nasal, "nine", stays in), in dB. Default 6. */
  sustainThresholdDb: number;
  /** While speaking, a falling frame this far below the utterance's peak is a reverberant tail, not speech,
   * in dB; 0 turns the rule off. Default 12. */
  decayEndDb: number;
  /** Falling: the mean level of the last 3 frames at least this far under that of 3 frames `decayWindowMs`
   * earlier, in dB (a room with RT60 0.9 s falls 6.7 dB per 100 ms; a steady nasal does not fall). Default 3. */
  decayDropDb: number;
  /** How far back the fall is measured, in ms. Default 100. */
  decayWindowMs: number;
}

/** Speech confirmed (`minSpeechMs` of speech frames seen). */
export interface SpeechStartEvent {
  type: 'start';
  /** Stream time of the first speech frame (the onset), in ms. */
  tMs: number;
  /** Stream time at which the start was decided (end of the confirming frame), in ms. */
  detectedAtMs: number;
  /** Noise floor when decided, in dBFS. */
  noiseFloorDbfs: number;
  /** Frames so far: pre-roll, then onset to the confirming frame. */
  frames: AudioFrame[];
}

/** End of a confirmed utterance, with all its audio. */
export interface SpeechEndEvent {
  type: 'end';
  /** Stream time of the onset (first speech frame), in ms. */
  startMs: number;
  /** Stream time of the end of the last speech frame, in ms. */
  endMs: number;
  /** Stream time at which the end was decided (after the hangover), in ms. */
  endDetectedAtMs: number;
  /** Why it ended: `hangoverMs` of non-speech, `maxSpeechMs` reached, the stream completed, or the
   * sample rate changed (frames of two rates cannot be joined). */
  reason: 'silence' | 'max-length' | 'stream-end' | 'source-change';
  /** Noise floor when decided, in dBFS. */
  noiseFloorDbfs: number;
  /** The utterance's frames: pre-roll, speech, and the hangover up to the decision; all one sample rate. */
  frames: AudioFrame[];
}

export type SpeechEvent = SpeechStartEvent | SpeechEndEvent;

/**
 * How `cutUtterances` turns a detected utterance into a model input: trimmed to near-minimal silence like
 * the FSDD clips, then resampled from the source rate to `bandSampleRate` (FSDD's 8,000 Hz, so live audio
 * has the training data's band) and on to `targetSampleRate`.
 */
export interface CutUtterancesConfig {
  /** Sample rate of the emitted utterances, in Hz: the model's FeatureConfig.sampleRate (usually 22,050). */
  targetSampleRate: number;
  /** Intermediate rate that limits the band like the training data, in Hz. Default 8,000. */
  bandSampleRate: number;
  /** Trim: windows more than this far below the loudest window are silence, in dB. Default 40. */
  trimTopDb: number;
  /** Trim: windows less than this far above the detector's noise floor are silence too, in dB. Default 6. */
  trimAboveFloorDb: number;
  /** Trim: analysis window (and hop) for the trim, in ms. Default 5. */
  trimWindowMs: number;
  /** Trim: audio kept before the first loud window, in ms. Default 10. */
  trimKeepMs: number;
  /** Trim: audio kept after the last loud window, in ms. Default 10. Weak final consonants (the "t" of
   * "eight") sink under the noise floor first: the live app keeps 60 ms for speech-embedding models (see
   * apps/live's livePipeline). */
  trimKeepEndMs: number;
}

/** One utterance, ready for featurisation. */
export interface Utterance {
  /** Mono samples at `sampleRate`. */
  samples: Float32Array;
  /** CutUtterancesConfig.targetSampleRate, in Hz. */
  sampleRate: number;
  /** Stream time of the first kept sample (after trimming), in ms. */
  startMs: number;
  /** Stream time of the end of speech: the end of the last kept sample, in ms. */
  endMs: number;
  /** Stream time of the end of the detector's last speech frame, in ms (SpeechEndEvent.endMs). Latency is
   * measured from here: the trim may cut a quiet tail the detector still heard as speech. */
  speechEndMs: number;
  /** Stream time at which the detector decided the end (after the hangover), in ms. */
  endDetectedAtMs: number;
  /** Why the detector ended it (see SpeechEndEvent.reason). */
  reason: SpeechEndEvent['reason'];
}
