import { z } from 'zod';
import {
  DIGIT_COUNT,
  ENROL_AUDIO_MAX_BASE64,
  ENROL_AUDIO_SAMPLE_RATE,
  ENROL_DEFAULT_TAKES_PER_DIGIT,
  ENROL_MAX_TAKES_PER_DIGIT,
  ENROL_THUMBNAIL_POINTS,
  MAX_LISTED_VOICES,
  MAX_VOICE_NAME_LENGTH,
  VOICE_NAME_PATTERN,
} from './constants';

// "Teach it my voice": the dashboard runs one enrolment session on the server (prompts digit by digit,
// each utterance the live pipeline cuts becomes the prompted take), then the server trains a personal
// model and can switch the live classifier between it and the base model. Everything a client can make
// the server hold is bounded here: the name, the takes per digit, hence the takes (10 x 5).

const finite = z.number().finite();
const digit = z
  .number()
  .int()
  .min(0)
  .max(DIGIT_COUNT - 1);
/** A take number, 1-based ("take 2 of 3"). */
const takeNumber = z.number().int().min(1).max(ENROL_MAX_TAKES_PER_DIGIT);
/** A voice name: it becomes a folder name under the voices root, so a-z, 0-9, '-' and '_' only. */
export const VoiceNameSchema = z
  .string()
  .min(1)
  .max(MAX_VOICE_NAME_LENGTH)
  .regex(VOICE_NAME_PATTERN, 'a voice name is lower-case letters, digits, "-" and "_"');

// ---------- client -> server ----------

/** Starts the (one) enrolment session: prompts go 0..9, `takesPerDigit` takes each. */
export const EnrolStartMessageSchema = z
  .object({
    type: z.literal('enrol-start'),
    name: VoiceNameSchema,
    /** Takes asked per digit, 1-5; default ENROL_DEFAULT_TAKES_PER_DIGIT (3). */
    takesPerDigit: takeNumber.default(ENROL_DEFAULT_TAKES_PER_DIGIT),
  })
  .strict();

/** Asks for one take again: the next utterance replaces it. */
export const EnrolRedoMessageSchema = z.object({ type: z.literal('enrol-redo'), digit, take: takeNumber }).strict();

/** Asks for one captured take's audio (answered with `enrol-take-audio` to this client only). */
export const EnrolPlayMessageSchema = z.object({ type: z.literal('enrol-play'), digit, take: takeNumber }).strict();

/** Ends the session without training (or stops a training in progress); the takes are dropped. */
export const EnrolCancelMessageSchema = z.object({ type: z.literal('enrol-cancel') }).strict();

/** Trains the personal model from the takes so far (in a worker thread; capture goes on). */
export const EnrolFinishMessageSchema = z.object({ type: z.literal('enrol-finish') }).strict();

/** Switches the live classifier: the base model, or a personal voice (`voice`, default the latest). */
export const UseModelMessageSchema = z
  .object({
    type: z.literal('use-model'),
    which: z.enum(['personal', 'base']),
    voice: VoiceNameSchema.optional(),
  })
  .strict();

// ---------- server -> client ----------

/** One captured take as the dashboard shows it. */
export const EnrolTakeInfoSchema = z
  .object({
    digit,
    take: takeNumber,
    durationMs: finite.nonnegative(),
    /** Peak envelope of the take for a thumbnail: ENROL_THUMBNAIL_POINTS values in 0..1 (1 = its loudest). */
    thumbnail: z.array(finite.min(0).max(1)).max(ENROL_THUMBNAIL_POINTS),
    /** Why the take is unusable (checkTake), if it is: redo it. */
    problem: z.string().min(1).max(300).optional(),
  })
  .strict();

/** The enrolment session as it is now; sent to every client on each change and on connecting. */
export const EnrolStateMessageSchema = z
  .object({
    type: z.literal('enrol-state'),
    active: z.boolean(),
    /** The voice being enrolled (null when no session). */
    name: VoiceNameSchema.nullable(),
    takesPerDigit: takeNumber,
    /** The take the next utterance becomes (null: every take captured, or no session, or training). */
    prompt: z.object({ digit, take: takeNumber, redo: z.boolean() }).strict().nullable(),
    takes: z.array(EnrolTakeInfoSchema).max(DIGIT_COUNT * ENROL_MAX_TAKES_PER_DIGIT),
    /** Progress of the training, while it runs. */
    training: z.object({ done: finite.nonnegative(), total: finite.positive() }).strict().nullable(),
  })
  .strict();

/**
 * One take's audio for playback: 16-bit signed little-endian mono PCM at ENROL_AUDIO_SAMPLE_RATE, base64,
 * at most ENROL_AUDIO_MAX_MS long (longer takes are cut).
 */
export const EnrolTakeAudioMessageSchema = z
  .object({
    type: z.literal('enrol-take-audio'),
    digit,
    take: takeNumber,
    sampleRate: z.literal(ENROL_AUDIO_SAMPLE_RATE),
    pcm: z
      .string()
      .max(ENROL_AUDIO_MAX_BASE64)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
  })
  .strict();

/** The personal model is trained and saved (the live classifier switches to it next). */
export const EnrolDoneMessageSchema = z
  .object({
    type: z.literal('enrol-done'),
    voice: VoiceNameSchema,
    /** The voice's model folder. */
    dir: z.string().min(1),
    seconds: finite.nonnegative(),
    /** How it was made, for people (e.g. "fine-tuned head"). */
    method: z.string().max(200),
    takesUsed: z
      .number()
      .int()
      .nonnegative()
      .max(DIGIT_COUNT * ENROL_MAX_TAKES_PER_DIGIT),
    rejected: z
      .array(z.object({ name: z.string().max(100), reason: z.string().max(300) }).strict())
      .max(DIGIT_COUNT * ENROL_MAX_TAKES_PER_DIGIT),
  })
  .strict();

/** An enrolment request failed (bad state, a training error): the session keeps its takes unless said. */
export const EnrolErrorMessageSchema = z
  .object({
    type: z.literal('enrol-error'),
    message: z.string().min(1).max(1000),
    /** e.g. "busy", "no-session", "no-take", "training-failed", "switch-failed". */
    code: z.string().max(40).optional(),
  })
  .strict();

/** The model the live classifier uses now; sent on connecting and on every switch. */
export const ModelMessageSchema = z
  .object({
    type: z.literal('model'),
    active: z.enum(['base', 'personal']),
    /** The base model's display name, or the personal voice's name. */
    name: z.string().min(1),
    dir: z.string().min(1),
    /** The personal voices `use-model` can switch to (newest first). */
    voices: z.array(VoiceNameSchema).max(MAX_LISTED_VOICES),
    /** A switch in progress (the previous model answers until it is done). */
    switching: z.boolean().optional(),
  })
  .strict();

export type EnrolStartMessage = z.infer<typeof EnrolStartMessageSchema>;
export type EnrolRedoMessage = z.infer<typeof EnrolRedoMessageSchema>;
export type EnrolPlayMessage = z.infer<typeof EnrolPlayMessageSchema>;
export type EnrolCancelMessage = z.infer<typeof EnrolCancelMessageSchema>;
export type EnrolFinishMessage = z.infer<typeof EnrolFinishMessageSchema>;
export type UseModelMessage = z.infer<typeof UseModelMessageSchema>;
export type EnrolTakeInfo = z.infer<typeof EnrolTakeInfoSchema>;
export type EnrolStateMessage = z.infer<typeof EnrolStateMessageSchema>;
export type EnrolTakeAudioMessage = z.infer<typeof EnrolTakeAudioMessageSchema>;
export type EnrolDoneMessage = z.infer<typeof EnrolDoneMessageSchema>;
export type EnrolErrorMessage = z.infer<typeof EnrolErrorMessageSchema>;
export type ModelMessage = z.infer<typeof ModelMessageSchema>;
/** The client messages of enrolment and model choice (handled by the live app, not the server core). */
export type EnrolClientMessage =
  EnrolStartMessage | EnrolRedoMessage | EnrolPlayMessage | EnrolCancelMessage | EnrolFinishMessage | UseModelMessage;
