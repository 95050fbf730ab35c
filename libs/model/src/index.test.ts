import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { DEFAULT_FEATURE_CONFIG, logMelSize } from '@digits/features';
import * as model from './index';

before(async () => {
  await model.initBackend({ prefer: 'wasm', log: () => {} });
});

// The public surface the trainer and live app build on (`@digits/model`): changing it should be a
// deliberate act.
it('exports exactly the documented API', () => {
  assert.deepEqual(Object.keys(model).sort(), [
    'DEFAULT_MODEL_DIR',
    'DEFAULT_MODEL_DIR_LABEL',
    'EMBEDDING_CUT',
    'EMBEDDING_DISPLAY_CONFIG',
    'EarlyStopping',
    'EmbeddingFeaturesSchema',
    'FusedLstm',
    'HELD_OUT_CONDITIONS',
    'IncrementalCtcDecoder',
    'KERAS_EPSILON',
    'KerasAdam',
    'MODEL5_CUT',
    'MODELS_ROOT',
    'ModelMetaSchema',
    'NUM_CLASSES',
    'STRING_BLANK',
    'STRING_CLASSES',
    'STRING_GOALS',
    'STRING_LABELS',
    'StringRecognizer',
    'StringStream',
    'UtteranceCutSchema',
    'applyBatchMatMulTransposeFix',
    'argmaxRows',
    'bandsBelow',
    'buildEmbeddingHead',
    'buildModel5',
    'buildModelForInput',
    'buildRawModel',
    'buildSpectrogramModel',
    'buildStringModel',
    'checkModelInputs',
    'columnStats',
    'compileForExperiment',
    'ctcForwardBackward',
    'ctcLoss',
    'currentBackend',
    'digitsOnlyModel',
    'editCounts',
    'embedStringSet',
    'expectedInputShapes',
    'f1Micro',
    'fit',
    'foldStandardisation',
    'formatStringFigures',
    'frameStats',
    'framesOfSamples',
    'frontEndDir',
    'greedyDecode',
    'hasBatchMatMulTransposeFix',
    'heldOutStringSets',
    'initBackend',
    'loadCheckpoint',
    'loadModelDir',
    'loadRecognizer',
    'loadStringRecognizer',
    'lstmThreadsReady',
    'meanSparseCategoricalCrossentropy',
    'modelDirKind',
    'modelSummary',
    'padBatch',
    'parseModelFeatures',
    'parseModelMeta',
    'poolFingerprint',
    'predictProbs',
    'prefixBeamDecode',
    'readModelFolder',
    'removeBatchMatMulTransposeFix',
    'saveCheckpoint',
    'saveModelDir',
    'saveStringModelDir',
    'scoreStringSet',
    'scoreStrings',
    'setLstmThreads',
    'sparseCategoricalCrossentropy',
    'stopLstmThreads',
    'stringFrameProbs',
    'stringModelCtcMeta',
    'stringModelReceptiveField',
    'stringOfSet',
    'stringSetSize',
    'toModelInputs',
    'trainEmbeddingHead',
    'trainStringModel',
    'utteranceCut',
    'writeFolderAtomic',
  ]);
  const values = new Set([
    'KERAS_EPSILON',
    'ModelMetaSchema',
    'NUM_CLASSES',
    'DEFAULT_MODEL_DIR',
    'DEFAULT_MODEL_DIR_LABEL',
    'EMBEDDING_DISPLAY_CONFIG',
    'EmbeddingFeaturesSchema',
    'MODELS_ROOT',
    'STRING_BLANK',
    'STRING_CLASSES',
    'STRING_LABELS',
    'HELD_OUT_CONDITIONS',
    'STRING_GOALS',
    'EMBEDDING_CUT',
    'MODEL5_CUT',
    'UtteranceCutSchema',
  ]);
  for (const [name, value] of Object.entries(model))
    if (!values.has(name)) assert.equal(typeof value, 'function', name);
  assert.equal(model.NUM_CLASSES, 10);
  assert.match(model.DEFAULT_MODEL_DIR, /models[\/\\]default$/);
  assert.equal(typeof model.KERAS_EPSILON, 'number');
  assert.equal(typeof model.ModelMetaSchema.safeParse, 'function');
});

it('a log-mel model classifies two rows through the public API only: ten probabilities each, summing to 1', async () => {
  const config = DEFAULT_FEATURE_CONFIG;
  const m = model.buildModelForInput('logmel', config, { seed: 1 });
  const rowSize = logMelSize(config);
  const x = Float32Array.from({ length: 2 * rowSize }, (_, i) => -80 + (i % 97));
  const probs = await model.predictProbs(
    m,
    (start, n) => model.toModelInputs('logmel', { x, n: 2, rowSize }, start, n, config),
    2,
  );
  m.dispose();
  assert.equal(probs.length, 2 * model.NUM_CLASSES);
  for (let r = 0; r < 2; r++) {
    const row = probs.subarray(r * 10, r * 10 + 10);
    assert.ok(
      Math.abs(row.reduce((s, p) => s + p, 0) - 1) < 1e-5,
      `row ${r} sums to ${row.reduce((s, p) => s + p, 0)}`,
    );
  }
  const top = model.argmaxRows(probs, model.NUM_CLASSES);
  assert.equal(top.length, 2);
  assert.ok([...top].every((d) => d >= 0 && d < 10));
});
