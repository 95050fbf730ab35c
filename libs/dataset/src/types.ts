/** A spoken digit label, 0-9. */
export type Digit = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/** The parts of an FSDD file name `{digit}_{speaker}_{index}.wav`. */
export interface ClipName {
  /** The label: the text before the first `_`. */
  digit: Digit;
  /** The speaker, e.g. `jackson`. */
  speaker: string;
  /** The take index, the number after the second `_` (0-49 in FSDD). */
  take: number;
}

/**
 * One recording of a labelled input: a WAV file that may or may not be named like FSDD
 * (`digits features <inputs...>` accepts any WAV). Label fields are null when the name does not parse.
 */
export interface InputClip {
  /** The file's base name, e.g. `7_jackson_32.wav`. */
  name: string;
  /** Where it was read from: a file path, or `<archive.zip>:<entry path>` for a zip entry. */
  location: string;
  /** The label from the name, or null if the file is not named `{digit}_{speaker}_{index}.wav`. */
  digit: Digit | null;
  /** The speaker from the name, or null. */
  speaker: string | null;
  /** The take index from the name, or null. */
  take: number | null;
  /** The WAV file's bytes, undecoded (the feature pipeline decodes and resamples them). */
  bytes: Uint8Array;
  /** The file's sample rate (Hz). */
  sampleRate: number;
  /** Samples per channel at the file's own rate. Always > 0. */
  numSamples: number;
}

/** One FSDD recording: an {@link InputClip} whose name parsed, so its label and speaker are known. */
export interface Clip extends InputClip {
  digit: Digit;
  speaker: string;
  take: number;
}

/** An entry of a source that was not used, and why. */
export interface SkippedEntry {
  /** The entry's name as found: a file name in a folder, or the full entry path in a zip. */
  name: string;
  /** Why it was skipped, e.g. `not named {digit}_{speaker}_{index}.wav` or the WAV decoder's message. */
  reason: string;
}

/** Clips of a speaker that the speaker filter left out (they were not decoded). */
export interface ExcludedSpeaker {
  speaker: string;
  /** How many entries named for this speaker were left out. */
  clips: number;
}

/** FSDD as read from one folder or zip. */
export interface Dataset {
  /** The folder or zip that was read, as given (resolved to an absolute path). */
  source: string;
  /** The usable recordings, in {@link compareClips} order (digit, then speaker, then take). */
  clips: Clip[];
  /** Entries that were not used (wrong name, undecodable, duplicate, sub-folder), in source order. */
  skipped: SkippedEntry[];
  /** The speakers kept, in code-unit order. */
  speakers: string[];
  /** Speakers present in the source but left out by the speaker filter (see `ReadDatasetOptions.speakers`). */
  excludedSpeakers: ExcludedSpeaker[];
}

/** The result of {@link readClips}: usable recordings and what was skipped. */
export interface ClipCollection {
  /** Usable recordings, inputs in the order given; within a folder or zip in {@link compareClips} order. */
  clips: InputClip[];
  /** Entries that were not used, and why. */
  skipped: SkippedEntry[];
}

/** A train/test partition. Every input clip lands in exactly one of the two. */
export interface Split<T> {
  train: T[];
  test: T[];
}
