import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseFeatureConfig } from '@digits/features';

// The files of a run folder (runs/<id>/), one schema each; the schemas are the types. Writers (the
// trainers, eval-protocol) build these types; readers (--resume, the report) parse with them, so a file
// that does not match names the file and the field instead of failing later.

/** Schema options whose every issue reads `message` (a complete sentence naming the field). */
function says(message: string | ((value: unknown) => string)): { errorMap: z.ZodErrorMap } {
  return { errorMap: (_issue, ctx) => ({ message: typeof message === 'string' ? message : message(ctx.data) }) };
}

const FeatureConfigSchema = z.record(z.unknown(), says('"featureConfig" is missing')).transform((value, ctx) => {
  try {
    return parseFeatureConfig(value, '"featureConfig"');
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

const SPLIT = '"split" must hold "train" and "test" lists of clip names';

/** run.json of `digits train`: what the run was asked to do, so --resume continues exactly that. */
export const NotebookRunSchema = z.object({
  experiments: z.array(z.number().int(), says('"experiments" must be a list of experiment ids (1-4)')),
  split: z.object({ train: z.array(z.string(), says(SPLIT)), test: z.array(z.string(), says(SPLIT)) }, says(SPLIT)),
  featureConfig: FeatureConfigSchema,
  seed: z.number().int(),
  quick: z.boolean(),
  data: z.string(),
  startedAt: z.string().optional(),
  /** Set when training starts (absent while the run.json is first written). */
  backend: z.string().optional(),
});
export type NotebookRun = z.infer<typeof NotebookRunSchema>;

/** run.json of `digits train5`. */
export const Model5RunSchema = z.object({
  experiments: z.tuple([z.literal(5)]),
  seed: z.number().int(),
  epochs: z.number().int(),
  trainOn: z.enum(['split', 'all']),
  extraTrain: z.string().nullable(),
  unknowns: z.string().nullable(),
  data: z.string(),
  featureConfig: FeatureConfigSchema,
});
export type Model5Run = z.infer<typeof Model5RunSchema>;

/** One epoch of a notebook experiment, as metrics.json, epochs.jsonl and TensorBoard record it. */
export const EpochRecordSchema = z.object({
  epoch: z.number().int(),
  loss: z.number(),
  val_loss: z.number(),
  f1: z.number(),
  val_f1: z.number(),
  seconds: z.number(),
});
export type EpochRecord = z.infer<typeof EpochRecordSchema>;

/** One epoch of model 5 (its epochs.jsonl and metrics.json history). */
export const Model5EpochSchema = z.object({
  epoch: z.number().int(),
  loss: z.number(),
  /** On the augmented training rows. */
  accuracy: z.number(),
  learningRate: z.number(),
  seconds: z.number(),
});
export type Model5Epoch = z.infer<typeof Model5EpochSchema>;

const mustBeNumber = (field: string) => z.number(says(`"${field}" must be a number`));

/** What one experiment reached: the figures of its last epoch (the notebook keeps the last weights). */
export const ExperimentResultSchema = z.object({
  id: z.number().int(),
  slug: z.string(),
  title: z.string(),
  trainLoss: mustBeNumber('trainLoss'),
  valLoss: mustBeNumber('valLoss'),
  trainF1: mustBeNumber('trainF1'),
  valF1: mustBeNumber('valF1'),
  epochs: z.number().int(),
  /** Wall-clock seconds of training and per-epoch evaluation (featurisation excluded). */
  seconds: z.number(),
  stoppedEarly: z.boolean(),
});
export type ExperimentResult = z.infer<typeof ExperimentResultSchema>;

const CONFUSION = '"test.confusion" must be a 10x10 matrix';

/** Accuracy, F1 micro, per-digit precision/recall/F1 and the confusion matrix of a classification. */
export const ClassificationReportSchema = z.object(
  {
    accuracy: z.number(),
    /** For single-label classification F1 micro equals accuracy; reported as the notebook does. */
    f1Micro: z.number(),
    perDigit: z.array(
      z.object({
        digit: z.number().int(),
        n: z.number().int(),
        precision: z.number(),
        recall: z.number(),
        f1: z.number(),
      }),
    ),
    /** confusion[true][predicted] = clips. */
    confusion: z.array(z.array(z.number(), says(CONFUSION)), says(CONFUSION)),
    n: z.number().int(),
  },
  says(CONFUSION),
);
export type ClassificationReport = z.infer<typeof ClassificationReportSchema>;

/** A notebook experiment's metrics.json: its result, epoch log and test-set report. */
export const MetricsFileSchema = z
  .object({
    history: z.array(EpochRecordSchema, says('"history" must be a list of epochs')),
    test: ClassificationReportSchema,
    /** The last epoch's predicted digit per test clip (split order). */
    testPredicted: z.array(z.number().int()).optional(),
  })
  .merge(ExperimentResultSchema);
export type MetricsFile = z.infer<typeof MetricsFileSchema>;

/** Featurisation and training figures of one experiment in results.json. */
export const ModelTimingsSchema = z.object({
  featuresSeconds: z.number(),
  trainSeconds: z.number(),
  cachedClips: z.number().int(),
  clips: z.number().int(),
  /** Peak resident memory of the process that trained it, MiB (absent in runs made before --jobs). */
  peakRssMiB: z.number().optional(),
});
export type ModelTimings = z.infer<typeof ModelTimingsSchema>;

/** results.json, written when a `digits train` run finishes. */
export const ResultsFileSchema = z.object({
  runId: z.string(),
  backend: z.string(),
  seed: z.number().int(),
  quick: z.boolean(),
  /** Experiments trained side by side (absent in runs made before --jobs). */
  jobs: z.number().int().optional(),
  totalSeconds: z.number(),
  /** Peak memory, MiB; with lanes the sum of each process's peak. */
  peakRssMiB: z.number().optional(),
  timings: z.record(ModelTimingsSchema),
  results: z.array(ExperimentResultSchema),
});
export type ResultsFile = z.infer<typeof ResultsFileSchema>;

/** The evaluation protocols, in the order files and tables list them (see protocols/protocols.ts). */
export const ProtocolNameSchema = z.enum(
  ['random', 'official', 'loso'],
  says((v) => `unknown protocol ${JSON.stringify(v)}`),
);
export type ProtocolName = z.infer<typeof ProtocolNameSchema>;

/** Unknown-rejection figures of a fold (see model5/unknown-rejection.ts). */
export const UnknownRejectionFiguresSchema = z.object({
  threshold: z.number(),
  digitsKept: z.number(),
  keptAccuracy: z.number(),
  unknownsRejected: z.number(),
  wordsRejected: z.number(),
  soundsRejected: z.number(),
});
export type UnknownRejectionFigures = z.infer<typeof UnknownRejectionFiguresSchema>;

const FOLD = 'a fold lacks name, nTest or correct';

/** One fold's figures. */
export const FoldResultSchema = z.object({
  name: z.string(says(FOLD)),
  heldOutSpeaker: z.string().optional(),
  nTrain: z.number().int(),
  nTest: z.number(says(FOLD)).int().positive(),
  correct: z.number(says(FOLD)).int(),
  accuracy: z.number(),
  seconds: z.number(),
  unknown: UnknownRejectionFiguresSchema.optional(),
});
export type FoldResult = z.infer<typeof FoldResultSchema>;

/** A protocol's figures. */
export const ProtocolResultSchema = z.object({
  protocol: ProtocolNameSchema,
  folds: z.array(FoldResultSchema).min(1, 'a protocol has no folds'),
  /** Mean of the folds' accuracies (for loso: the mean per-speaker accuracy; else the one fold's). */
  meanAccuracy: z.number(),
  /** All folds' test clips pooled. */
  pooledAccuracy: z.number(),
  /** Lowest fold accuracy (for loso: the worst speaker). */
  minAccuracy: z.number(),
  /** Mean over folds of the unknown rejection at 97% digits kept, when the model rejects. */
  meanUnknownsRejected: z.number().optional(),
});
export type ProtocolResult = z.infer<typeof ProtocolResultSchema>;

/**
 * What `digits eval-protocol` records for one experiment, in a run folder's `protocols/model<N>.json`: the
 * settings that change its figures and one result per protocol.
 */
export const ProtocolFileSchema = z.object({
  experiment: z
    .number(says((v) => `"experiment" must be 1-6, got ${JSON.stringify(v)}`))
    .int()
    .min(1)
    .max(6),
  results: z.array(ProtocolResultSchema, says('"results" must be a list')),
  seed: z.number().int(),
  /** Models 5 and 6 only: epochs per fold, the extra training folder and the unknowns folder. */
  epochs: z.number().int().optional(),
  extraTrain: z.string().optional(),
  unknowns: z.string().optional(),
  /** Model 6 only: room-augmented copies per training clip (--rooms); absent: none. */
  roomCopies: z.number().int().optional(),
  /** Model 6 only: parts of the room training left out (--rooms-without); absent: none. */
  roomsWithout: z.array(z.string()).optional(),
  /** Model 6 only: backgrounds alone per room copy in the unknown class (--rooms-backgrounds); absent: none. */
  roomBackgrounds: z.number().int().optional(),
  /** Model 6 only: extra-voice clips given a room copy (--rooms-extra); absent: none. */
  roomExtra: z.number().int().optional(),
});
export type ProtocolFile = z.infer<typeof ProtocolFileSchema>;

/** Model 5's metrics.json: its result figures, epoch log and the random-split fold. */
export const Model5MetricsSchema = z.object({
  experiment: z.literal(5),
  slug: z.string(),
  title: z.string(),
  trainOn: z.enum(['split', 'all']),
  epochs: z.number().int(),
  seconds: z.number(),
  params: z.number().int(),
  trainedClasses: z.number().int(),
  valAccuracy: z.number().optional(),
  valF1: z.number().optional(),
  trainSetAccuracyOnSplitTest: z.number().optional(),
  unknownThreshold: z.number().optional(),
  unknownsRejected: z.number().optional(),
  digitsKept: z.number().optional(),
  history: z.array(Model5EpochSchema),
  random: FoldResultSchema,
});
export type Model5Metrics = z.infer<typeof Model5MetricsSchema>;

/**
 * Reads and checks one run file; undefined when it does not exist.
 * @throws an error naming the file and the first field that does not match (or that it is not JSON)
 */
export function readRunFile<S extends z.ZodTypeAny>(schema: S, file: string): z.output<S> | undefined {
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error(`${file}: not a JSON object`);
  const issue = parsed.error.issues[0];
  // The messages of these schemas name their field ("split" must hold ...); zod's own ones need the path.
  const named = issue.message.startsWith('"') || issue.path.length === 0;
  throw new Error(`${file}: ${named ? issue.message : `field "${issue.path.join('.')}": ${issue.message}`}`);
}

/** Where a run folder keeps experiment `n`'s protocol results. */
export function protocolFilePath(runDir: string, experiment: number): string {
  return path.join(runDir, 'protocols', `model${experiment}.json`);
}

/**
 * Reads a protocol file; null when it does not exist.
 * @throws an error naming the file and the field when it is not a protocol file
 */
export function readProtocolFile(file: string): ProtocolFile | null {
  try {
    return readRunFile(ProtocolFileSchema, file) ?? null;
  } catch (err) {
    const message = (err as Error).message;
    throw new Error(
      /not valid JSON/.test(message) ? message : `${message} (expected what \`digits eval-protocol\` writes)`,
    );
  }
}
