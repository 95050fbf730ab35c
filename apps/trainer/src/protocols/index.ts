// Evaluation protocols (leave-one-speaker-out, random split, official split): folds, the runner, the
// protocol files and the notebook experiments' fold trainer. `digits eval-protocol` composes these with
// model 5's fold trainer (../eval-protocol-command.ts).
export { PROTOCOLS, parseProtocols, protocolFolds, runProtocol, summariseProtocol } from './protocols';
export type { ProtocolName, ProtocolFold, FoldClassifier, TrainForFold, FoldResult, ProtocolResult } from './protocols';
export { notebookFoldTrainer } from './notebook-fold-trainer';
