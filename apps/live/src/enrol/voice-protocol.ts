// Messages between the live app and its voice process (voice-process.ts), over Node's IPC channel with
// the "advanced" (structured clone) serialization, so takes travel as Float32Arrays.
import type { EnrolResult, EnrolTake, VoiceInfo } from './voice-api';

/** What the voice process is told at its start, as JSON in the environment variable VOICE_PROCESS_ENV. */
export interface VoiceProcessData {
  /** Module providing @digits/voice's functions (the library itself, or a test stand-in). */
  module: string;
  /** Voices root; default the module's voicesRoot() ($DIGITS_HOME/voices, else ~/.digits/voices). */
  root?: string;
}
export const VOICE_PROCESS_ENV = 'DIGITS_VOICE_PROCESS';

export type ToVoiceProcess =
  | { type: 'check'; id: number; take: EnrolTake }
  | { type: 'list'; id: number }
  | {
      type: 'enrol';
      id: number;
      name: string;
      baseModelDir: string;
      takes: EnrolTake[];
      minTakesPerDigit?: number;
    };

export type FromVoiceProcess =
  | { type: 'checked'; id: number; problem: string | null }
  | { type: 'listed'; id: number; voices: VoiceInfo[] }
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'enrolled'; id: number; result: EnrolResult }
  | { type: 'failed'; id: number; message: string };
