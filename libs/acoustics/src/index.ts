// Public API of @digits/acoustics: seeded, deterministic acoustic conditions for training and benchmarks:
// synthetic room impulse responses, backgrounds, mixing at an SNR, microphone colouring, and the split of
// conditions into training kinds and held-out kinds.
export { seededRng, deriveSeed, type Rng } from './random';
export { fftConvolve } from './fft-convolve';
export {
  roomImpulseResponse,
  measureRt60,
  drawRoom,
  type RoomSpec,
  type RoomFamily,
  type Vec3,
} from './room-impulse-response';
export {
  normaliseRms,
  colouredNoise,
  whiteNoise,
  pinkNoise,
  brownNoise,
  babble,
  toneNoise,
  musicNoise,
  scatteredSounds,
} from './noises';
export { meanPower, measureSnrDb, mixAtSnr, applyGainDb, levelChanges, type MixOptions } from './mix';
export { microphoneColour, type MicColour } from './colour';
export {
  TRAIN_NOISE_KINDS,
  HELD_OUT_NOISE_KINDS,
  ROOM_PARTS,
  parseRoomParts,
  withoutParts,
  drawTrainCondition,
  heldOutCondition,
  makeNoise,
  applyCondition,
  type NoiseKind,
  type RoomPart,
  type ConditionSplit,
  type NoisePools,
  type Condition,
  type TrainConditionOptions,
  type HeldOutConditionOptions,
} from './conditions';
