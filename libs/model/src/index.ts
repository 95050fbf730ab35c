export { initBackend, currentBackend, type BackendInfo, type BackendPreference, type InitBackendOptions } from './backend/init-backend';
export { applyBatchMatMulTransposeFix, removeBatchMatMulTransposeFix, hasBatchMatMulTransposeFix } from './backend/batch-matmul-fix';
export { buildRawModel, buildSpectrogramModel, NUM_CLASSES, type RawModelOptions, type SpectrogramModelOptions } from './architectures';
export { compileForExperiment, sparseCategoricalCrossentropy, meanSparseCategoricalCrossentropy, KERAS_EPSILON, type ExperimentCompileOptions } from './training/compile';
export { KerasAdam, type KerasAdamConfig } from './training/keras-adam';
export { modelSummary } from './model-summary';
