export {
  loadRecognizer,
  type Recognizer,
  type RecognizerInfo,
  type Recognition,
  type ClipsRecognition,
  type ClassifyClipsOptions,
  type LoadRecognizerOptions,
} from './recognizer';
export { DEFAULT_MODEL_DIR, DEFAULT_MODEL_DIR_LABEL } from './default-model-dir';
