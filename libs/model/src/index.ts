export {
  initBackend,
  currentBackend,
  type BackendInfo,
  type BackendPreference,
  type InitBackendOptions,
} from './backend/init-backend';
export {
  applyBatchMatMulTransposeFix,
  removeBatchMatMulTransposeFix,
  hasBatchMatMulTransposeFix,
} from './backend/batch-matmul-fix';
export {
  buildRawModel,
  buildSpectrogramModel,
  NUM_CLASSES,
  type RawModelOptions,
  type SpectrogramModelOptions,
} from './architectures';
export { buildModel5, bandsBelow, digitsOnlyModel, type Model5Options } from './time-conv-net';
export { buildModelForInput, toModelInputs, predictProbs, type InputKind, type InputRows } from './model-inputs';
export {
  compileForExperiment,
  sparseCategoricalCrossentropy,
  meanSparseCategoricalCrossentropy,
  KERAS_EPSILON,
  type ExperimentCompileOptions,
} from './training/compile';
export { KerasAdam, type KerasAdamConfig } from './training/keras-adam';
export { fit, type FitOptions, type FitBatch, type FitEpoch, type FitResult } from './training/fit';
export { EarlyStopping, type EarlyStoppingState } from './training/early-stopping';
export { f1Micro, argmaxRows } from './training/metrics';
export {
  saveModelDir,
  loadModelDir,
  parseModelMeta,
  readModelFolder,
  modelDirKind,
  checkModelInputs,
  expectedInputShapes,
  ModelMetaSchema,
  type LoadedModel,
  type ModelDirMeta,
  type ModelMeta,
} from './io/model-dir';
export { saveCheckpoint, loadCheckpoint } from './io/checkpoint';
export { writeFolderAtomic } from './io/folder-swap';
export { modelSummary } from './model-summary';
export { setLstmThreads, stopLstmThreads, lstmThreadsReady } from './lstm/lstm-thread-pool';
export { FusedLstm, type FusedLstmArgs, type FusedLstmStrategy } from './layers/fused-lstm';
export {
  loadRecognizer,
  DEFAULT_MODEL_DIR,
  DEFAULT_MODEL_DIR_LABEL,
  type Recognizer,
  type RecognizerInfo,
  type Recognition,
  type ClipsRecognition,
  type ClassifyClipsOptions,
  type LoadRecognizerOptions,
  utteranceCut,
  UtteranceCutSchema,
  EMBEDDING_CUT,
  MODEL5_CUT,
  type UtteranceCut,
} from './recognizer';
export {
  buildEmbeddingHead,
  columnStats,
  foldStandardisation,
  trainEmbeddingHead,
  type TrainEmbeddingHeadOptions,
} from './embedding-head';
export {
  EmbeddingFeaturesSchema,
  EMBEDDING_DISPLAY_CONFIG,
  MODELS_ROOT,
  parseModelFeatures,
  frontEndDir,
  type EmbeddingFeatures,
  type ModelFeatures,
} from './io/model-features';
export * from './ctc';
