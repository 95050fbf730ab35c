import type { EnrolResult, EnrolTake, VoiceInfo } from './voice-api';

/** What the live app asks of enrolment: checks, training, the voices on disk. Async: it runs off-thread. */
export interface Enroller {
  /** Why a take is unusable (too short, clipped, silent, ...), or null. */
  checkTake(take: EnrolTake): Promise<string | null>;
  /**
   * Trains the voice `name` from `takes` on top of `baseModelDir` and writes it to its folder under the
   * voices root (replacing an older voice of that name). `onProgress` reports training steps.
   * Rejects when cancelled (cancel()) or when training fails.
   */
  enrol(
    request: { name: string; baseModelDir: string; takes: readonly EnrolTake[]; minTakesPerDigit?: number },
    onProgress?: (done: number, total: number) => void,
  ): Promise<EnrolResult>;
  /** Stops a training in progress (its enrol() rejects); nothing when idle. */
  cancel(): void;
  /** The voices saved so far, newest first. */
  listVoices(): Promise<VoiceInfo[]>;
  /** Stops the enroller's thread, if any. */
  close(): Promise<void>;
}
