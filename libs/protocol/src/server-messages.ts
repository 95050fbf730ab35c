import { z } from 'zod';
import { DIGIT_COUNT } from './constants';
import {
  EnrolDoneMessageSchema,
  EnrolErrorMessageSchema,
  EnrolStateMessageSchema,
  EnrolTakeAudioMessageSchema,
  ModelMessageSchema,
  VoiceNameSchema,
} from './enrol-messages';

// Every object schema is `.strict()`: an unknown field is an error, not silently dropped, so a typo or a
// version mismatch between server and dashboard shows up at once. A finite number is required wherever
// a number is: JSON cannot carry NaN or Infinity (JSON.stringify turns them into null).

const finite = z.number().finite();
/** Stream time in ms since the source started; never negative. */
const streamMs = finite.nonnegative();
/** A level in dBFS (0 = full scale). Silence is clamped by the sender, never -Infinity. */
const dbfs = finite;
const probability = finite.min(0).max(1);

/** The model in use: `name` for people, the rest as far as the server knows it. */
export const ModelInfoSchema = z
  .object({
    /** Display name, e.g. "exp3-augmented-lstm". */
    name: z.string().min(1),
    /** Where the model was loaded from (folder or URL). */
    path: z.string().optional(),
    /** The experiment that produced it, e.g. "exp3". */
    experiment: z.string().optional(),
    /** Trainable parameter count. */
    params: z.number().int().nonnegative().optional(),
    /** Test metrics by name, e.g. { accuracy: 0.97, f1: 0.97 }. */
    metrics: z.record(z.string(), finite).optional(),
    /** Set when this is a personal model: the enrolled voice's name. */
    voice: VoiceNameSchema.optional(),
    /**
     * What the model hears: "digit" (one digit per utterance, the default when absent) or "strings" (a
     * digit-string model: `prediction` per digit as it becomes certain, then a `digits` message per string).
     */
    recognizes: z.enum(['digit', 'strings']).optional(),
  })
  .strict();

/**
 * The features the model sees, as the server sends them in `hello` (the model's features.json). The same
 * fields as @digits/features' FeatureConfig, which this library cannot import (it depends on zod only);
 * a test in tests/ checks that the two agree.
 */
export const FeatureConfigInfoSchema = z
  .object({
    /** Rate the audio is resampled to before anything else, in Hz. */
    sampleRate: z.number().int().positive(),
    /** Samples every utterance is zero-padded or truncated to. */
    length: z.number().int().positive(),
    /** FFT size in samples (also the window length). */
    nFft: z.number().int().positive(),
    /** Hop between STFT frames in samples. */
    hopLength: z.number().int().positive(),
    /** Number of mel bands (0 Hz to sampleRate/2). */
    nMels: z.number().int().positive(),
    /** Dynamic range kept below each spectrogram's maximum, in dB. */
    topDb: finite.positive(),
  })
  .strict();

/** Where the audio comes from. */
export const AudioSourceInfoSchema = z
  .object({
    kind: z.enum(['mic', 'wav', 'stdin']),
    /** For people: device name, file path, "stdin s16le 16000 Hz", ... */
    description: z.string(),
    /** Capture rate of the source in Hz (before any resampling). */
    sampleRate: finite.positive(),
  })
  .strict();

/** First message on every connection: what is listening to what, with which model and features. */
export const HelloServerMessageSchema = z
  .object({
    type: z.literal('hello'),
    /** The server's PROTOCOL_VERSION. */
    protocolVersion: z.number().int().positive(),
    model: ModelInfoSchema,
    /** The model's feature config as saved beside it. */
    featureConfig: FeatureConfigInfoSchema,
    source: AudioSourceInfoSchema,
  })
  .strict();

/** Input level of the latest frame(s), for a meter. */
export const LevelMessageSchema = z
  .object({
    type: z.literal('level'),
    /** RMS level in dBFS (20*log10(rms), full-scale square = 0; the sender clamps silence to a floor). */
    rmsDbfs: dbfs,
    /** Peak sample level in dBFS. */
    peakDbfs: dbfs.optional(),
    /** Stream time of the measured audio's start, in ms. */
    tMs: streamMs,
  })
  .strict();

/** The speech detector's decisions: speech started / ended at stream time `tMs`. */
export const SpeechMessageSchema = z
  .object({
    type: z.literal('speech'),
    state: z.enum(['start', 'end']),
    /** Stream time of the onset (start) or of the end of speech (end), in ms. */
    tMs: streamMs,
  })
  .strict();

/**
 * One classified utterance. Exactly these fields:
 * `{"type":"prediction","digit":0-9|null,"confidence","probs":[10 numbers],"startMs","endMs","latencyMs"}`.
 * `digit` is null when the recognizer declines (e.g. confidence below its threshold); `probs` are still sent.
 */
const PredictionMessageObject = z
  .object({
    type: z.literal('prediction'),
    digit: z
      .number()
      .int()
      .min(0)
      .max(DIGIT_COUNT - 1)
      .nullable(),
    /** Probability of the top class, 0..1. */
    confidence: probability,
    /**
     * Softmax output, one probability per digit 0-9. They sum to 1, or less for a model with an unknown
     * class (model 5): the rest is the probability of "not a digit".
     */
    probs: z.array(probability).length(DIGIT_COUNT),
    /** Stream time of the utterance's first and last sample, in ms. */
    startMs: streamMs,
    endMs: streamMs,
    /** Wall-clock ms from the end of speech (endMs) to this prediction; includes the detector's hangover. */
    latencyMs: finite.nonnegative(),
  })
  .strict();

function checkPrediction(m: { startMs: number; endMs: number }, ctx: z.RefinementCtx): void {
  if (m.endMs < m.startMs) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['endMs'],
      message: `endMs (${m.endMs}) is before startMs (${m.startMs})`,
    });
  }
}
export const PredictionMessageSchema = PredictionMessageObject.superRefine(checkPrediction);

/** One digit of a finished string, as its `prediction` message gave it. */
export const StringDigitSchema = z
  .object({
    digit: z
      .number()
      .int()
      .min(0)
      .max(DIGIT_COUNT - 1),
    confidence: probability,
    /** Stream time of the digit's speech, in ms (from the frames that voted for it). */
    startMs: streamMs,
    endMs: streamMs,
  })
  .strict();

/**
 * A finished digit string ("555 1234"), sent once after the last of its digits' `prediction` messages, when
 * the string has ended (a pause longer than the string hangover, the maximum string length, or the end of the
 * stream). `text` is the digits alone; `grouped` puts a space where the speaker paused inside the string.
 */
const DigitsMessageObject = z
  .object({
    type: z.literal('digits'),
    /** The digits, e.g. "5551234"; empty when speech held no digit. */
    text: z.string().regex(/^[0-9]*$/),
    /** The digits grouped as spoken, e.g. "555 1234". */
    grouped: z.string().regex(/^[0-9]*( [0-9]+)*$/),
    digits: z.array(StringDigitSchema).max(256),
    /** Stream time of the string's first and last speech, in ms. */
    startMs: streamMs,
    endMs: streamMs,
    /** Wall-clock ms from the end of the string's speech (endMs) to this message; includes the string hangover. */
    latencyMs: finite.nonnegative(),
    /** Why the string closed: a long enough pause, the maximum string length, or the end of the audio. */
    reason: z.enum(['pause', 'max-length', 'end']),
  })
  .strict();

function checkDigits(
  m: { text: string; grouped: string; digits: { digit: number }[]; startMs: number; endMs: number },
  ctx: z.RefinementCtx,
): void {
  checkPrediction(m, ctx);
  if (m.digits.map((d) => d.digit).join('') !== m.text) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['text'],
      message: `text "${m.text}" is not the digits' digits`,
    });
  }
  if (m.grouped.replace(/ /g, '') !== m.text) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['grouped'],
      message: `grouped "${m.grouped}" is not text "${m.text}" with spaces`,
    });
  }
}
export const DigitsMessageSchema = DigitsMessageObject.superRefine(checkDigits);

/**
 * Log-mel columns for a scrolling spectrogram: `columns[i]` is the column at `tMs + i * hopMs`, each with
 * `nMels` values in dB (low band first). Several columns per message keep the message rate low.
 */
const SpectrogramMessageObject = z
  .object({
    type: z.literal('spectrogram'),
    /** Stream time of the first column, in ms. */
    tMs: streamMs,
    /** Time between columns, in ms. */
    hopMs: finite.positive(),
    /** Values per column (mel bands). */
    nMels: z.number().int().positive(),
    /** One or more columns of nMels dB values each. */
    columns: z.array(z.array(finite)).min(1),
  })
  .strict();

function checkSpectrogram(m: { nMels: number; columns: number[][] }, ctx: z.RefinementCtx): void {
  const bad = m.columns.findIndex((c) => c.length !== m.nMels);
  if (bad >= 0) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['columns', bad],
      message: `column has ${m.columns[bad].length} values, expected nMels = ${m.nMels}`,
    });
  }
}
export const SpectrogramMessageSchema = SpectrogramMessageObject.superRefine(checkSpectrogram);

/** Life of the audio source: listening, reopening after a device error, paused, ended, failed. */
export const StatusMessageSchema = z
  .object({
    type: z.literal('status'),
    state: z.enum(['starting', 'listening', 'reopening', 'paused', 'ended', 'error']),
    /** For people: why, e.g. the device error that caused a reopen. */
    detail: z.string().optional(),
    /** Input overflows (dropped capture buffers) counted since the start. */
    overflows: z.number().int().nonnegative().optional(),
  })
  .strict();

/** A problem the client should show or act on (e.g. a rejected client message). */
export const ErrorMessageSchema = z
  .object({
    type: z.literal('error'),
    message: z.string().min(1),
    /** Machine-readable kind, e.g. "bad-message", "unauthorized", "too-large". */
    code: z.string().optional(),
  })
  .strict();

/** Answer to a client `ping`, echoing its `id`. */
export const PongMessageSchema = z
  .object({
    type: z.literal('pong'),
    id: z.union([z.string().max(64), z.number().finite()]).optional(),
  })
  .strict();

/**
 * Any server->client message, told apart by `type`. zod 3's discriminated union takes plain objects only,
 * so the cross-field checks of prediction and spectrogram run once more here, after the type is known.
 */
export const ServerMessageSchema = z
  .discriminatedUnion('type', [
    HelloServerMessageSchema,
    LevelMessageSchema,
    SpeechMessageSchema,
    PredictionMessageObject,
    DigitsMessageObject,
    SpectrogramMessageObject,
    StatusMessageSchema,
    ErrorMessageSchema,
    PongMessageSchema,
    EnrolStateMessageSchema,
    EnrolTakeAudioMessageSchema,
    EnrolDoneMessageSchema,
    EnrolErrorMessageSchema,
    ModelMessageSchema,
  ])
  .superRefine((m, ctx) => {
    if (m.type === 'prediction') checkPrediction(m, ctx);
    else if (m.type === 'digits') checkDigits(m, ctx);
    else if (m.type === 'spectrogram') checkSpectrogram(m, ctx);
  });

export type ModelInfo = z.infer<typeof ModelInfoSchema>;
export type FeatureConfigInfo = z.infer<typeof FeatureConfigInfoSchema>;
export type AudioSourceInfo = z.infer<typeof AudioSourceInfoSchema>;
export type HelloServerMessage = z.infer<typeof HelloServerMessageSchema>;
export type LevelMessage = z.infer<typeof LevelMessageSchema>;
export type SpeechMessage = z.infer<typeof SpeechMessageSchema>;
export type PredictionMessage = z.infer<typeof PredictionMessageSchema>;
export type StringDigit = z.infer<typeof StringDigitSchema>;
export type DigitsMessage = z.infer<typeof DigitsMessageSchema>;
export type SpectrogramMessage = z.infer<typeof SpectrogramMessageSchema>;
export type StatusMessage = z.infer<typeof StatusMessageSchema>;
export type ErrorMessage = z.infer<typeof ErrorMessageSchema>;
export type PongMessage = z.infer<typeof PongMessageSchema>;
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
export type ServerMessageType = ServerMessage['type'];
