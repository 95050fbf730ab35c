// Public API of the live recognizer app: its CLI commands, and the pieces the benchmark and the
// end-to-end tests compose (sources, classifier, pipeline, server).
export { registerLiveCommands } from './cli/register';
export {
  runLiveCommand,
  checkLiveOptions,
  DEFAULT_MODEL_DIR,
  type LiveCommandOptions,
  type LiveCommandIo,
} from './cli/live-command';
export { runDevicesCommand } from './cli/devices-command';
export { parseSourceSpec, type SourceSpec } from './cli/source-spec';
export type { AudioSource, SourceStatus } from './sources/audio-source';
export { createWavSource, type WavSourceOptions } from './sources/wav-source';
export { createStdinSource, type StdinSourceOptions } from './sources/stdin-source';
export {
  openMicSource,
  createMicSource,
  listCaptureDevices,
  CAPTURE_MODULE,
  type MicSourceOptions,
  type CaptureRunner,
} from './sources/mic/mic-source';
export { describeDevices, selectInputDevice, noMicrophoneMessage } from './sources/mic/devices';
export type { CaptureDevice } from './sources/mic/capture-protocol';
export { probsByDigit, type Classifier, type ClassifierInfo, type Classification } from './classifier/classifier';
export { startWorkerClassifier, checkModelFolder, type WorkerClassifierOptions } from './classifier/worker-classifier';
export { livePipeline, type LiveMessage, type LivePipelineOptions } from './pipeline/live-pipeline';
export {
  classifyUtterances,
  predictionMessage,
  DEFAULT_THRESHOLD,
  type PredictionTimings,
} from './pipeline/classify-utterances';
export { spectrogramColumns, type SpectrogramColumnsOptions } from './pipeline/spectrogram-columns';
export { LiveServer, WS_PATH, type LiveServerOptions, type LiveServerStats } from './server/live-server';
export { startLiveApp, type LiveApp, type LiveAppOptions } from './live-app';
export { EnrolController, type EnrolControllerOptions } from './enrol/enrol-controller';
export { EnrolSession, takeThumbnail, takeAudioBase64, MAX_TAKE_SECONDS } from './enrol/enrol-session';
export type { Enroller } from './enrol/enroller';
export { voiceEnroller, DEFAULT_VOICE_MODULE, type VoiceEnrollerOptions } from './enrol/voice-enroller';
