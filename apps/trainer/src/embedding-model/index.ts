// Model 6: a pretrained speech embedding (libs/speech-embedding) with a softmax head trained here, for voices
// it never heard: the fold trainer of `digits eval-protocol --experiment 6` and the `train6` command.
export { embeddingFoldTrainer, type EmbeddingTrainerOptions } from './embedding-fold-trainer';
export { registerTrain6Command, runTrain6, type Train6Options } from './train6-command';
