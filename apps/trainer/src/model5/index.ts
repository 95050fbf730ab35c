// Model 5, a small convolutional network over log-mel time frames for voices it never heard: its training,
// the `train5` command and unknown-rejection measurement. The network itself is libs/model's buildModel5,
// its augmentation libs/features' LogMelAugmenter.
export {
  trainModel5,
  predictLogMels,
  logMelsOf,
  type TrainModel5Options,
  type Model5Epoch,
  type LogMelRows,
} from './train-model5';
export { model5FoldTrainer } from './model5-fold-trainer';
export { registerTrain5Command, runTrain5, MODEL5_SLUG, MODEL5_TITLE } from './train5-command';
export { registerUnknownsCommand, measureUnknownRejection } from './unknown-rejection';
