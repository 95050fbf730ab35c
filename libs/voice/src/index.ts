// Public API of @digits/voice: teach a model one person's voice from a few takes of each digit, and find the
// personal models ("voices") enrolled so far.
export { checkTake, speechSpan, TAKE_LIMITS, type EnrolTake } from './take-check';
export { parseTakeName, readTakeFiles, TAKE_NAME_PATTERN, type TakeFiles } from './take-files';
export { enrolVoice, ENROL_SETTINGS, type EnrolOptions, type EnrolResult, type EnrolSettings } from './enrol';
export {
  checkVoiceName,
  EnrolmentMetaSchema,
  listVoices,
  readEnrolmentMeta,
  voiceDir,
  voicesRoot,
  VOICE_NAME_PATTERN,
  type EnrolmentMeta,
  type VoiceInfo,
} from './voice-dirs';
