// Messages between the app and its classifier worker thread.
import type { Classification, ClassifierInfo } from './classifier';

/** workerData of the classifier worker. */
export interface ClassifierWorkerData {
  /** The model folder (model.json, weights.bin, features.json, labels.json, meta.json). */
  modelDir: string;
}

export type ToClassifierWorker =
  | { type: 'classify'; id: number; samples: Float32Array; sampleRate: number }
  /** Load another model folder; utterances keep going to the current one until it is ready. */
  | { type: 'switch'; id: number; modelDir: string };

export type FromClassifierWorker =
  | { type: 'ready'; info: ClassifierInfo }
  | { type: 'load-failed'; message: string }
  | { type: 'log'; line: string }
  | ({ type: 'result'; id: number } & Classification)
  | { type: 'failed'; id: number; message: string }
  | { type: 'switched'; id: number; info: ClassifierInfo }
  | { type: 'switch-failed'; id: number; message: string };
