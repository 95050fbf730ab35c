// With `digits eval-protocol --run R --save-models`, every fold's trained model is saved as a normal model
// folder, so benchmarks of new voices (live vs offline, enrolment, rooms) can load the model that never
// heard the fold's held-out speaker: R/protocols/model<N>/<fold>/ (fold "loso:theo" -> "loso-theo").
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { DEFAULT_FEATURE_CONFIG } from '@digits/features';
import { digitsOnlyModel, EMBEDDING_DISPLAY_CONFIG, saveModelDir, type EmbeddingFeatures } from '@digits/model';
import { DEFAULT_FRONT_END_DIR, POOLED_WINDOWS, readFrontEndFiles } from '@digits/speech-embedding';
import { DIGIT_LABELS } from './model5/unknown-data';

/** The folder of one fold's saved model inside a run folder. */
export function foldModelDir(runDir: string, experiment: number, foldName: string): string {
  return path.join(runDir, 'protocols', `model${experiment}`, foldName.replace(/[^a-z0-9_-]/gi, '-'));
}

/** features.json of a model over the repository's speech-embedding front end (its files' sha256 recorded). */
export function speechEmbeddingFeatures(): EmbeddingFeatures {
  const frontEnd = readFrontEndFiles().description;
  return {
    kind: 'speech-embedding',
    frontEnd: path.relative(path.dirname(DEFAULT_FRONT_END_DIR), DEFAULT_FRONT_END_DIR),
    melSha256: frontEnd.melSha256,
    embeddingSha256: frontEnd.embeddingSha256,
    pooledWindows: POOLED_WINDOWS,
  };
}

/** Saves a fold's model 5 or 6 (an unknown class kept inside: ten digit outputs, see digitsOnlyModel). */
export async function saveFoldModel(
  experiment: 5 | 6,
  model: tf.LayersModel,
  dir: string,
  fold: { name: string; heldOutSpeaker?: string; nTrain: number },
): Promise<void> {
  const extra = { experiment, fold: fold.name, heldOutSpeaker: fold.heldOutSpeaker ?? null, nTrain: fold.nTrain };
  if (experiment === 6) {
    await saveModelDir(digitsOnlyModel(model), dir, {
      featureConfig: EMBEDDING_DISPLAY_CONFIG,
      embedding: speechEmbeddingFeatures(),
      labels: DIGIT_LABELS,
      extra: { ...extra, input: 'embedding', name: `model6-${path.basename(dir)}` },
    });
  } else {
    await saveModelDir(digitsOnlyModel(model), dir, {
      featureConfig: DEFAULT_FEATURE_CONFIG,
      labels: DIGIT_LABELS,
      extra: { ...extra, input: 'logmel', name: `model5-${path.basename(dir)}` },
    });
  }
}
