// Public API of @digits/stream: RxJS operators for live audio, from PCM chunks to utterances ready for
// the classifier. Each operator is a pure function of observables; the detector also exists as a class.
export type {
  AudioChunk,
  AudioFrame,
  AudioLevel,
  SpeechDetectorConfig,
  SpeechStartEvent,
  SpeechEndEvent,
  SpeechEvent,
  CutUtterancesConfig,
  Utterance,
} from './types';
export { DBFS_FLOOR, rmsDbfs, peakDbfs, zeroCrossingsPerSecond } from './levels';
export { frameAudio } from './frame-audio';
export { audioLevel } from './audio-level';
export { throttleLevel } from './throttle-level';
export { DEFAULT_SPEECH_DETECTOR_CONFIG, resolveSpeechDetectorConfig } from './speech-detector-config';
export { SpeechDetector } from './speech-detector';
export { detectSpeech } from './detect-speech';
export { trimSilence, type TrimSilenceOptions } from './trim-silence';
export { DEFAULT_CUT_UTTERANCES_CONFIG, resolveCutUtterancesConfig } from './cut-utterances-config';
export { cutUtterances, cutUtterance } from './cut-utterances';
export {
  speechPipeline,
  type SpeechPipelineOptions,
  type SpeechPipelineEvent,
  type UtteranceEvent,
} from './speech-pipeline';
