import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Observable } from 'rxjs';
import { decodeWav } from '@digits/dsp';
import type { AudioChunk } from '@digits/stream';
import type { AudioSource } from './audio-source';
import { SourceStatusSubject } from './source-status';

/** Options of createWavSource. */
export interface WavSourceOptions {
  /** The WAV file (any rate, any channel count: mixed to mono by decodeWav). */
  path: string;
  /** Emit as fast as possible instead of in real time. Default false (paced like a microphone). */
  fast?: boolean;
  /** Audio per chunk, in ms. Default 20. */
  chunkMs?: number;
  /** In fast mode, chunks emitted before giving the event loop a turn (so sockets and the classifier
   * worker are served while a long file streams). Default 50 (1 s of audio at 20 ms chunks). */
  fastBurstChunks?: number;
}

/**
 * A WAV file as a live source. The file is read and decoded here, so a missing or unreadable file is a
 * clear error before anything starts. Paced (the default), chunk i is emitted when its audio would have
 * been fully captured, at start + (i + 1) * chunkMs of wall time, on a drift-free schedule (a late timer
 * emits every chunk that is due). With `fast`, chunks are emitted back to back in bursts.
 * The Observable completes after the last chunk; status goes listening -> ended.
 */
export function createWavSource(options: WavSourceOptions): AudioSource {
  const { fast = false, chunkMs = 20, fastBurstChunks = 50 } = options;
  if (!(chunkMs > 0)) throw new RangeError(`wav source: chunkMs must be positive, got ${chunkMs}`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(options.path);
  } catch (err) {
    throw new Error(`cannot read WAV file ${options.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const wav = decodeWav(bytes, options.path);
  const { samples, sampleRate } = wav;
  const chunkSamples = Math.max(1, Math.round((sampleRate * chunkMs) / 1000));
  const chunkCount = Math.ceil(samples.length / chunkSamples);
  const status = new SourceStatusSubject();
  const seconds = (samples.length / sampleRate).toFixed(1);

  const chunkAt = (i: number): AudioChunk => ({
    samples: samples.subarray(i * chunkSamples, Math.min(samples.length, (i + 1) * chunkSamples)),
    sampleRate,
  });

  const chunks$ = new Observable<AudioChunk>((subscriber) => {
    status.set({ state: 'listening', detail: `${path.basename(options.path)} (${seconds} s${fast ? ', fast' : ''})` });
    let next = 0;
    let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
    let closed = false;
    const finish = () => {
      status.set({ state: 'ended', detail: `${path.basename(options.path)} ended` });
      subscriber.complete();
    };
    if (fast) {
      const burst = () => {
        const end = Math.min(chunkCount, next + fastBurstChunks);
        while (next < end && !closed) subscriber.next(chunkAt(next++));
        if (closed) return;
        if (next >= chunkCount) finish();
        else timer = setImmediate(burst);
      };
      timer = setImmediate(burst);
    } else {
      const t0 = performance.now();
      const tick = () => {
        const due = Math.min(chunkCount, Math.floor((performance.now() - t0) / chunkMs));
        while (next < due && !closed) subscriber.next(chunkAt(next++));
        if (closed) return;
        if (next >= chunkCount) return finish();
        timer = setTimeout(tick, Math.max(0, t0 + (next + 1) * chunkMs - performance.now()));
      };
      timer = setTimeout(tick, chunkMs);
    }
    return () => {
      closed = true;
      clearTimeout(timer as NodeJS.Timeout);
      clearImmediate(timer as NodeJS.Immediate);
    };
  });

  return {
    info: { kind: 'wav', description: `${options.path} (${seconds} s, ${sampleRate} Hz${fast ? ', fast' : ''})`, sampleRate },
    chunks$,
    status$: status.status$,
  };
}
