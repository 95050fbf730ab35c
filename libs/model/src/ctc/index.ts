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
