// Evaluation protocols (leave-one-speaker-out, random split, official split) and `digits eval-protocol`.
export { PROTOCOLS, parseProtocols, protocolFolds, runProtocol, summariseProtocol } from './protocols';
export type { ProtocolName, ProtocolFold, FoldClassifier, TrainForFold, FoldResult, ProtocolResult } from './protocols';
export { registerEvalProtocolCommand, runEvalProtocol, protocolTable, type EvalProtocolOptions } from './eval-protocol-command';
export { notebookFoldTrainer } from './notebook-fold-trainer';
