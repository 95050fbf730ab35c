import type { FeatureConfig } from '@digits/features';
import type { UtteranceCut } from '@digits/model/utterance-cut';
import type { ModelInfo } from '@digits/protocol';

/** What a loaded classifier is: the model for the dashboard, its feature config, its labels. */
export interface ClassifierInfo {
  /** The model as the `hello` message describes it. */
  model: ModelInfo;
  /** The features the model was trained on (its features.json): utterances must come at its sampleRate. */
  featureConfig: FeatureConfig;
  /** Class names in the model's output order (labels.json), e.g. "0".."9". */
  labels: string[];
  /** The tfjs backend in use, e.g. "wasm (SIMD, 1 thread, ...)". */
  backend: string;
  /** The model's own unknown threshold (meta.json `unknownThreshold`), used when --threshold is not given. */
  unknownThreshold?: number;
  /** What the network sees (loadRecognizer's inputKind): 'logmel', 'raw' or 'embedding'. The pipeline cuts
   * utterances for it (see livePipeline). Absent: as for a log-mel model. */
  inputKind?: 'logmel' | 'raw' | 'embedding';
  /** 'strings' for a digit-string (CTC) model: audio goes to openString's streams, not to classify. Absent:
   * a one-digit model. */
  recognizes?: 'digit' | 'strings';
  /** How utterances are trimmed for the model (its Recognizer.cut). Absent: by inputKind (see cutOverrides). */
  cut?: UtteranceCut;
}

/** One embedding frame (80 ms) of a digit string, as the string model's stream gave it. */
export interface StringFrame {
  /** Stream sample (16 kHz, counted from the string stream's first pushed sample) where its audio ends. */
  endSample: number;
  /** Its best class: a digit 0-9, or 10 for the blank. */
  best: number;
  /** The probability of each digit 0-9 at this frame. */
  digitProbs: number[];
  /** The digit the greedy CTC decoder emits on this frame (the first frame of its run), if any: informative;
   * digitStrings claims digits from `best` and `digitProbs` with its threshold. */
  digit?: number;
}

/** A stream to a digit-string model: 16 kHz audio in, its frames out. */
export interface StringSession {
  /** The frames this audio completed (in push order; pushes may overlap, answers come in order). `samples`
   * may be transferred to another thread: do not use the array afterwards. */
  push(samples: Float32Array): Promise<StringFrame[]>;
  /** Ends the stream (frees its state); pushes made before it are still answered. */
  close(): Promise<void>;
}

/** The classifier's answer for one utterance. */
export interface Classification {
  /** Probability per digit 0-9 (reordered from the model's label order), summing to ~1. */
  probs: number[];
  /** Time spent padding and computing the log-mel, in ms. */
  featureMs: number;
  /** Time spent in the model, in ms. */
  inferenceMs: number;
}

/** Classifies utterances, one at a time, in order, off the caller's thread. */
export interface Classifier {
  readonly info: ClassifierInfo;
  /**
   * Probabilities of one utterance. `samples` (mono, at info.featureConfig.sampleRate Hz) may be
   * transferred to another thread: do not use the array afterwards.
   */
  classify(samples: Float32Array, sampleRate: number): Promise<Classification>;
  /**
   * Loads another model folder (e.g. a personal voice) and classifies with it from then on; `info` then
   * describes it. Utterances still arrive at the first model's rate (the new model resamples them).
   * Classifications keep flowing meanwhile, with the previous model. Rejects (keeping the previous
   * model) when the folder cannot be loaded. Optional: a classifier without it cannot switch.
   */
  switchModel?(modelDir: string): Promise<ClassifierInfo>;
  /** A digit-string model (info.recognizes 'strings'): opens a stream to it. At most one is open at a time:
   * opening another ends the previous one. */
  openString?(): StringSession;
  /** Stops the classifier; pending classifications reject. */
  close(): Promise<void>;
}

/**
 * The model's output reordered to digits 0-9 using its labels (labels.json), so `probs[d]` is always the
 * probability of digit d. Throws when the labels are not exactly the ten digits.
 */
export function probsByDigit(output: ArrayLike<number>, labels: readonly string[]): number[] {
  if (labels.length !== 10 || output.length !== 10) {
    throw new Error(`expected 10 labels and 10 outputs, got ${labels.length} labels and ${output.length} outputs`);
  }
  const probs = new Array<number>(10).fill(NaN);
  labels.forEach((label, i) => {
    const d = Number(label);
    if (!(Number.isInteger(d) && d >= 0 && d <= 9 && String(d) === label.trim()))
      throw new Error(`label "${label}" is not a digit 0-9`);
    probs[d] = output[i];
  });
  if (probs.some((p) => Number.isNaN(p)))
    throw new Error(`labels ${JSON.stringify(labels)} do not name each digit once`);
  return probs;
}
