export {
  loadRecognizer,
  type Recognizer,
  type RecognizerInfo,
  type Recognition,
  type ClipsRecognition,
  type ClassifyClipsOptions,
  type LoadRecognizerOptions,
} from './recognizer';
export { utteranceCut, UtteranceCutSchema, EMBEDDING_CUT, MODEL5_CUT, type UtteranceCut } from './utterance-cut';
export { DEFAULT_MODEL_DIR, DEFAULT_MODEL_DIR_LABEL } from './default-model-dir';
