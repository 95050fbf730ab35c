import type { Readable } from 'node:stream';
import { Observable } from 'rxjs';
import type { AudioChunk } from '@digits/stream';
import type { AudioSource } from './audio-source';
import { S16leDecoder } from './s16le-decoder';
import { SourceStatusSubject } from './source-status';

/** Options of createStdinSource. */
export interface StdinSourceOptions {
  /** Sample rate of the raw PCM, in Hz (`--rate`). */
  sampleRate: number;
  /** The byte stream; default process.stdin. */
  input?: Readable;
}

/**
 * Raw signed 16-bit little-endian mono PCM from stdin (e.g. `sox -d -t raw -r 16000 -e signed -b 16 -c 1 -`
 * or `arecord -f S16_LE -r 16000 -c 1`) as a live source. Chunks are whatever the pipe delivers, not paced:
 * the producer sets the pace. Completes when the input ends (status ended); a read error is an error.
 * The input can be consumed once.
 */
export function createStdinSource(options: StdinSourceOptions): AudioSource {
  const { sampleRate } = options;
  if (!(Number.isInteger(sampleRate) && sampleRate > 0)) {
    throw new RangeError(`stdin source: --rate must be a positive integer number of Hz, got ${sampleRate}`);
  }
  const input = options.input ?? process.stdin;
  const status = new SourceStatusSubject();
  const chunks$ = new Observable<AudioChunk>((subscriber) => {
    const decoder = new S16leDecoder();
    status.set({ state: 'listening', detail: 'reading stdin' });
    const onData = (bytes: Buffer) => {
      const samples = decoder.push(bytes);
      if (samples.length > 0) subscriber.next({ samples, sampleRate });
    };
    const onEnd = () => {
      status.set({
        state: 'ended',
        detail: decoder.hasPartialSample ? 'stdin ended mid-sample (odd byte count)' : 'stdin ended',
      });
      subscriber.complete();
    };
    const onError = (err: Error) => {
      status.set({ state: 'error', detail: `stdin: ${err.message}` });
      subscriber.error(new Error(`reading stdin failed: ${err.message}`));
    };
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', onError);
    input.resume();
    return () => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.pause();
    };
  });
  return {
    info: { kind: 'stdin', description: `stdin s16le mono ${sampleRate} Hz`, sampleRate },
    chunks$,
    status$: status.status$,
  };
}
