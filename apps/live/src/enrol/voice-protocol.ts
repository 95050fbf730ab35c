// Messages between the live app and its voice worker thread (voice-worker.ts).
import type { EnrolResult, EnrolTake, VoiceInfo } from './voice-api';

export interface VoiceWorkerData {
  /** Module providing @digits/voice's functions (the library itself, or a test stand-in). */
  module: string;
  /** Voices root; default the module's voicesRoot() ($DIGITS_HOME/voices, else ~/.digits/voices). */
  root?: string;
}

export type ToVoiceWorker =
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

export type FromVoiceWorker =
  | { type: 'checked'; id: number; problem: string | null }
  | { type: 'listed'; id: number; voices: VoiceInfo[] }
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'enrolled'; id: number; result: EnrolResult }
  | { type: 'failed'; id: number; message: string };
