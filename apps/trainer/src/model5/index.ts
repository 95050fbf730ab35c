// Model 5: a small convolutional network over log-mel time frames, trained with log-mel augmentation for
// voices it never heard; its training, the `train5` command and unknown-rejection measurement.
export { buildModel5, bandsBelow, type Model5Options } from './model5';
export { LogMelAugmenter, type LogMelAugmentOptions } from './logmel-augment';
export { trainModel5, predictLogMels, logMelsOf, type TrainModel5Options, type Model5Epoch, type LogMelRows } from './train-model5';
export { model5FoldTrainer } from './model5-fold-trainer';
export { registerTrain5Command, runTrain5, MODEL5_SLUG, MODEL5_TITLE } from './train5-command';
export { registerUnknownsCommand, measureUnknownRejection } from './unknown-rejection';
