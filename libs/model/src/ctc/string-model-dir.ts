// A digit-string model saved as a model folder: features.json names the speech front end (one embedding per
// frame, pooledWindows 1), meta.json says "embedding-sequence" and carries the ctc block loadStringRecognizer reads.
import type * as tf from '@tensorflow/tfjs';
import { readFrontEndFiles } from '@digits/speech-embedding';
import { saveModelDir } from '../io/model-dir';
import { EMBEDDING_DISPLAY_CONFIG } from '../io/model-features';
import { stringModelReceptiveField } from './string-model';
import { STRING_LABELS, stringModelCtcMeta } from './string-recognizer';

/** Saves `model` (buildStringModel's) into `dir` with the shipped front end's files; `extra` joins meta.json. */
export async function saveStringModelDir(
  model: tf.LayersModel,
  dir: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const fe = readFrontEndFiles().description;
  await saveModelDir(model, dir, {
    featureConfig: EMBEDDING_DISPLAY_CONFIG,
    embedding: {
      kind: 'speech-embedding',
      frontEnd: 'speech-embedding',
      melSha256: fe.melSha256,
      embeddingSha256: fe.embeddingSha256,
      pooledWindows: 1,
    },
    labels: [...STRING_LABELS],
    extra: { input: 'embedding-sequence', ctc: stringModelCtcMeta(stringModelReceptiveField()), ...extra },
  });
}
