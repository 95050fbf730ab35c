// The one place where the live app meets @digits/model: load a saved model folder and run it on one
// log-mel. Runs inside the classifier worker thread.
import path from 'node:path';
import { clipLogMel, frameCount, logMelSize, padClip, type FeatureConfig } from '@digits/features';
import { initBackend, loadModelDir, predictProbs, toModelInputs, type InputKind } from '@digits/model';
import type { ModelInfo } from '@digits/protocol';
import type { ClassifierInfo } from './classifier';

/** A loaded model ready for single utterances. */
export interface LiveModel {
  info: ClassifierInfo;
  /** Model output (softmax, in label order) for one utterance at info.featureConfig.sampleRate, with the
   * time spent on features (padding, log-mel) and in the model, in ms. */
  classify(samples: Float32Array): Promise<{ output: ArrayLike<number>; featureMs: number; inferenceMs: number }>;
}

/** Quality figures for the dashboard (accuracy, F1, loss); meta.json's result also holds ids, epochs, seconds. */
function numericMetrics(value: unknown): Record<string, number> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(value)) if (/acc|f1|loss/i.test(k) && typeof v === 'number' && Number.isFinite(v)) out[k] = v;
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

/** The input shape (without batch) a model of `kind` must take for `config`, as the trainer built it. */
function expectedInputs(kind: InputKind, config: FeatureConfig): (number | null)[][] {
  return kind === 'raw' ? [[config.length, 1], [config.length]] : [[config.nMels, frameCount(config)]];
}

/** One utterance as the model's input rows: the padded signal (raw) or its log-mel (logmel). */
function featureRow(kind: InputKind, samples: Float32Array, config: FeatureConfig): Float32Array {
  const padded = padClip(samples, config);
  return kind === 'raw' ? padded : clipLogMel(padded, config);
}

/**
 * Loads a model folder (model.json, weights.bin, features.json, labels.json, meta.json) with @digits/model,
 * after choosing the tfjs backend, and warms it up. meta.json's `input` says what the network sees
 * ('raw' padded signal + mask, or 'logmel', the default); features are computed exactly as the trainer
 * does (padClip, clipLogMel, toModelInputs with the model's own feature config). Throws when the model's
 * input shape does not match that config.
 */
export async function loadLiveModel(dir: string, log: (line: string) => void): Promise<LiveModel> {
  const backend = await initBackend({ log });
  const { model, featureConfig, labels, meta } = await loadModelDir(dir);
  const kind: InputKind = meta.input === 'raw' ? 'raw' : 'logmel';
  const expected = expectedInputs(kind, featureConfig);
  const shapes = model.inputs.map((i) => i.shape.slice(1));
  if (JSON.stringify(shapes) !== JSON.stringify(expected)) {
    const want = expected.map((e) => JSON.stringify([null, ...e])).join(', ');
    const got = model.inputs.map((i) => JSON.stringify(i.shape)).join(', ');
    throw new Error(`${dir}: a ${kind} model for features.json must take ${want}, this one takes ${got}`);
  }
  const info: ClassifierInfo = {
    model: describeModel(dir, meta, model.countParams()),
    featureConfig,
    labels: labels.map(String),
    backend: backend.detail,
    unknownThreshold: thresholdOf(meta),
  };
  const rowSize = kind === 'raw' ? featureConfig.length : logMelSize(featureConfig);
  const classify = async (samples: Float32Array) => {
    const t0 = performance.now();
    const x = featureRow(kind, samples, featureConfig);
    const t1 = performance.now();
    // One utterance is a batch of one; predictProbs builds the tensors, runs the model and disposes both.
    const output = await predictProbs(model, () => toModelInputs(kind, { x, n: 1, rowSize }, 0, 1, featureConfig), 1, 1);
    return { output, featureMs: t1 - t0, inferenceMs: performance.now() - t1 };
  };
  // The first run compiles kernels and allocates buffers; pay that at load, not on the first digit.
  await classify(new Float32Array(featureConfig.length));
  return { info, classify };
}

/** meta.json's `unknownThreshold` when it is a probability (model 5 sets one), else undefined. */
function thresholdOf(meta: Record<string, unknown> | undefined): number | undefined {
  const t = meta?.unknownThreshold;
  return typeof t === 'number' && t >= 0 && t <= 1 ? t : undefined;
}
