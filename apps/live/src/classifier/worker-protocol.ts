// Messages between the app and its classifier worker thread.
import type { Classification, ClassifierInfo, StringFrame } from './classifier';

/** workerData of the classifier worker. */
export interface ClassifierWorkerData {
  /** The model folder (model.json, weights.bin, features.json, labels.json, meta.json). */
  modelDir: string;
}

export type ToClassifierWorker =
  | { type: 'classify'; id: number; samples: Float32Array; sampleRate: number }
  /** Load another model folder; utterances keep going to the current one until it is ready. */
  | { type: 'switch'; id: number; modelDir: string }
  /** A digit-string model: audio for string stream `stream` (opened by its first push), at 16 kHz. */
  | { type: 'string-push'; id: number; stream: number; samples: Float32Array }
  /** Ends string stream `stream`. */
  | { type: 'string-close'; id: number; stream: number };

export type FromClassifierWorker =
  | { type: 'ready'; info: ClassifierInfo }
  | { type: 'load-failed'; message: string }
  | { type: 'log'; line: string }
  | ({ type: 'result'; id: number } & Classification)
  | { type: 'failed'; id: number; message: string }
  | { type: 'switched'; id: number; info: ClassifierInfo }
  | { type: 'switch-failed'; id: number; message: string }
  | { type: 'string-frames'; id: number; frames: StringFrame[] }
  | { type: 'string-closed'; id: number };
