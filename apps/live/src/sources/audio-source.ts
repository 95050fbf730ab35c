import type { Observable } from 'rxjs';
import type { AudioChunk } from '@digits/stream';
import type { AudioSourceInfo, StatusMessage } from '@digits/protocol';

/** A status of a source as the dashboard shows it (the protocol's `status` message without its type). */
export type SourceStatus = Omit<StatusMessage, 'type'>;

/**
 * Where live audio comes from: the microphone (PortAudio), a WAV file, or raw PCM on stdin. Every source
 * is one Observable of mono PCM chunks that carry their sample rate (and their position on the stream
 * clock when the source knows it, e.g. after a device was reopened).
 */
export interface AudioSource {
  /** What to show people: kind, description, capture rate in Hz. */
  readonly info: AudioSourceInfo;
  /**
   * Cold: each subscription opens the source and unsubscribing closes it. Completes when a file or stdin
   * ends; a microphone never completes. Errors only for faults the source cannot recover from.
   */
  readonly chunks$: Observable<AudioChunk>;
  /** Life of the source (starting, listening, reopening, ended, error; overflows), hot, latest first on subscribe. */
  readonly status$: Observable<SourceStatus>;
}
