// The one place where the live app meets @digits/model: load a saved model folder and run it on one
// log-mel. Runs inside the classifier worker thread.
import path from 'node:path';
import { frameCount } from '@digits/features';
import { initBackend, loadModelDir, predictProbs } from '@digits/model';
import type { ModelInfo } from '@digits/protocol';
import type { ClassifierInfo } from './classifier';

/** A loaded model ready for single utterances. */
export interface LiveModel {
  info: ClassifierInfo;
  /** Model output (softmax, in label order) for one log-mel of nMels x frames, band-major. */
  predict(logMel: Float32Array): Promise<ArrayLike<number>>;
}

/** Numeric test metrics for the dashboard (metrics.json may hold more than numbers). */
function numericMetrics(value: unknown): Record<string, number> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The dashboard's description of the model, from the folder and what the model lib read from it. */
function describeModel(dir: string, meta: Record<string, unknown> | undefined, params: number): ModelInfo {
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  return {
    name: str(meta?.name) ?? path.basename(path.resolve(dir)),
    path: dir,
    experiment: str(meta?.experiment),
    params,
    metrics: numericMetrics(meta?.metrics ?? meta?.test),
  };
}

/**
 * Loads a spectrogram model folder (model.json, weights.bin, features.json, labels.json, metrics.json)
 * with @digits/model, after choosing the tfjs backend. Throws when the model does not take the
 * (nMels, frames) log-mel of its own feature config.
 */
export async function loadLiveModel(dir: string, log: (line: string) => void): Promise<LiveModel> {
  const backend = await initBackend({ log });
  const { model, featureConfig, labels, meta } = await loadModelDir(dir);
  const expected = [featureConfig.nMels, frameCount(featureConfig)];
  const shape = model.inputs.length === 1 ? model.inputs[0].shape.slice(1) : undefined;
  if (!shape || shape.length !== 2 || shape[0] !== expected[0] || shape[1] !== expected[1]) {
    const got = model.inputs.map((i) => JSON.stringify(i.shape)).join(', ');
    throw new Error(`${dir}: the live recognizer needs a spectrogram model with input [null,${expected.join(',')}], this one takes ${got}`);
  }
  const info: ClassifierInfo = {
    model: describeModel(dir, meta as Record<string, unknown> | undefined, model.countParams()),
    featureConfig,
    labels: labels.map(String),
    backend: backend.detail,
  };
  return {
    info,
    predict: async (logMel) => {
      const probs = await predictProbs(model, [logMel], 1);
      return probs[0];
    },
  };
}
