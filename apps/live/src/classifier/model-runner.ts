// The one place where the live app meets @digits/model: its Recognizer (loadRecognizer) plus the
// dashboard's description of the model. Runs inside the classifier worker thread.
import path from 'node:path';
import { initBackend, loadRecognizer, type Recognizer } from '@digits/model';
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
