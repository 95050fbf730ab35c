// The one place where the live app meets @digits/model: its Recognizer (loadRecognizer) plus the
// dashboard's description of the model. Runs inside the classifier worker thread.
import path from 'node:path';
import {
  EMBEDDING_DISPLAY_CONFIG,
  initBackend,
  loadRecognizer,
  loadStringRecognizer,
  STRING_LABELS,
  type Recognizer,
  type StringRecognizer,
} from '@digits/model';
import { EMBEDDING_DIM, type EmbeddingFrame } from '@digits/speech-embedding';
import type { ModelInfo } from '@digits/protocol';
import type { ClassifierInfo } from './classifier';

/** A loaded model ready for single utterances: the facade and what the app announces of it. */
export interface LiveModel {
  info: ClassifierInfo;
  /** Classifies one utterance (features exactly as trained, the model's own features.json). */
  recognizer: Recognizer;
}

/** Quality figures for the dashboard (accuracy, F1, loss); meta.json's result also holds ids, epochs, seconds. */
function numericMetrics(value: unknown): Record<string, number> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(value))
    if (/acc|f1|loss/i.test(k) && typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The dashboard's description of the model, from the folder and its meta.json (written by the trainer:
 * {experiment, slug, title, input, result: {valF1, ...}}); every meta field is optional.
 */
export function describeModel(dir: string, meta: Record<string, unknown> | undefined, params: number): ModelInfo {
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  return {
    name: str(meta?.title) ?? str(meta?.slug) ?? str(meta?.name) ?? path.basename(path.resolve(dir)),
    path: dir,
    experiment: typeof meta?.experiment === 'number' ? String(meta.experiment) : str(meta?.experiment),
    params,
    metrics: numericMetrics(meta?.result ?? meta?.metrics ?? meta?.test),
  };
}

/**
 * Loads a model folder with @digits/model's loadRecognizer, after choosing the tfjs backend (its choice
 * goes to `log`), and warms it up. Throws, before any audio, when the folder is incomplete or its
 * features.json does not fit the network's input shape.
 */
export async function loadLiveModel(dir: string, log: (line: string) => void): Promise<LiveModel> {
  await initBackend({ log });
  const recognizer = await loadRecognizer(dir, { warmUp: true });
  const info: ClassifierInfo = {
    model: describeModel(dir, recognizer.info.meta, recognizer.info.params),
    featureConfig: recognizer.featureConfig,
    labels: recognizer.labels,
    backend: recognizer.info.backend,
    unknownThreshold: recognizer.unknownThreshold,
    inputKind: recognizer.info.inputKind,
    cut: recognizer.cut,
  };
  return { info, recognizer };
}

/** A loaded digit-string model: what the app announces of it and its recognizer (streams per string). */
export interface LiveStringModel {
  info: ClassifierInfo;
  recognizer: StringRecognizer;
}

/**
 * Loads a digit-string (CTC) model folder with loadStringRecognizer after choosing the tfjs backend, and warms
 * its network up on one frame. Its info says `recognizes: 'strings'`; the dashboard's spectrogram uses the
 * front end's display config.
 */
export async function loadLiveStringModel(dir: string, log: (line: string) => void): Promise<LiveStringModel> {
  const backend = await initBackend({ log });
  const recognizer = await loadStringRecognizer(dir);
  const silent: EmbeddingFrame = { index: 0, endSample: 0, vector: new Float32Array(EMBEDDING_DIM) };
  recognizer.frameProbs([silent]);
  const info: ClassifierInfo = {
    model: {
      ...describeModel(dir, recognizer.meta as Record<string, unknown>, recognizer.model.countParams()),
      recognizes: 'strings',
    },
    featureConfig: EMBEDDING_DISPLAY_CONFIG,
    labels: STRING_LABELS.slice(0, 10),
    backend: backend.detail,
    inputKind: 'embedding',
    recognizes: 'strings',
  };
  return { info, recognizer };
}
