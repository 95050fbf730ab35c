// Public API of @digits/speech-embedding: a pretrained speech front end (openWakeWord's mel model and Google's
// speech_embedding, ONNX on the CPU) that turns audio into one 96-number embedding per 80 ms, batch or streaming.
export {
  FRONT_END_RATE,
  MEL_HOP,
  MEL_BINS,
  CHUNK_SAMPLES,
  CHUNK_CONTEXT,
  FRAMES_PER_CHUNK,
  WINDOW_FRAMES,
  EMBEDDING_DIM,
  FIRST_WINDOW_CHUNK,
  INPUT_SCALE,
  melTransform,
  windowEndSample,
} from './framing';
export {
  FrontEndDescriptionSchema,
  DEFAULT_FRONT_END_DIR,
  FRONT_END_FILE,
  FrontEndFileError,
  readFrontEndFiles,
  sha256,
  type FrontEndDescription,
  type FrontEndFiles,
} from './front-end-files';
export {
  SpeechFrontEnd,
  StreamingEmbedder,
  loadSpeechFrontEnd,
  toFrontEndRate,
  type EmbeddingFrame,
  type SpeechFrontEndOptions,
} from './speech-front-end';
export {
  POOLED_WINDOWS,
  POOLED_DIM,
  windowCentreSample,
  nearestWindow,
  energyCentre,
  windowsAround,
  poolAround,
  clipCanvas,
  type ClipCanvas,
} from './pooled-embedding';
export { sequenceModelBytes } from './sequence-model';
export {
  augmentForEmbedding,
  backgroundAlone,
  nameSeed,
  roomCondition,
  type AugmentedClip,
  type EmbeddingAugmentOptions,
} from './embedding-augment';
export { embedClips, type EmbedClipInput, type EmbedClipsOptions, type EmbeddedClips } from './embed-clips';
