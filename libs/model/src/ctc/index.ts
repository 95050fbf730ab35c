// CTC for digit strings: the loss (a tf.customGrad op), greedy / incremental / prefix-beam decoding, scoring.
export { ctcLoss, ctcForwardBackward, type CtcLabels, type CtcLossOptions, type CtcItemResult } from './ctc-loss';
export {
  greedyDecode,
  prefixBeamDecode,
  IncrementalCtcDecoder,
  type CtcEmission,
  type PrefixBeamOptions,
} from './ctc-decode';
export { editCounts, scoreStrings, type EditCounts, type StringScores } from './string-metrics';
export {
  buildStringModel,
  trainStringModel,
  stringFrameProbs,
  stringModelReceptiveField,
  frameStats,
  padBatch,
  STRING_BLANK,
  STRING_CLASSES,
  type LabelledSequence,
  type StringModelOptions,
  type TrainStringModelOptions,
} from './string-model';
export { saveStringModelDir } from './string-model-dir';
export {
  loadStringRecognizer,
  stringModelCtcMeta,
  StringRecognizer,
  StringStream,
  STRING_LABELS,
  type StringDigitOut,
  type StringFrameOut,
  type StringRecognition,
  type StringModelCtcMeta,
} from './string-recognizer';
export {
  embedStringSet,
  framesOfSamples,
  stringOfSet,
  stringSetSize,
  poolFingerprint,
  type EmbeddedString,
  type StringSetSpec,
} from './string-data';
export {
  formatStringFigures,
  heldOutStringSets,
  scoreStringSet,
  HELD_OUT_CONDITIONS,
  STRING_GOALS,
  type HeldOutSetOptions,
  type StringBenchFigures,
  type StringSetFigures,
} from './string-bench';
