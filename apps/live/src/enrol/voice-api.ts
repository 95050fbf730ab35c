// The part of @digits/voice (enrolment of a personal voice) the live app uses. The live app runs the
// library only inside its voice process (voice-process.ts), so training never runs on the thread that
// carries the audio and the WebSocket; this file imports its types only.
import type { checkTake, enrolVoice, listVoices, voiceDir, voicesRoot } from '@digits/voice';

export type { EnrolTake, EnrolOptions, EnrolResult, VoiceInfo } from '@digits/voice';

/** The functions of @digits/voice the voice process calls (a test stand-in provides the same). */
export interface VoiceModule {
  checkTake: typeof checkTake;
  enrolVoice: typeof enrolVoice;
  voicesRoot: typeof voicesRoot;
  voiceDir: typeof voiceDir;
  listVoices: typeof listVoices;
}
