import { readFileSync } from 'node:fs';
import path from 'node:path';
import { asyncScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';
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
  /** In fast mode, chunks emitted before giving the event loop a turn, so sockets and the classifier
   * worker's answers are served while a long file streams (and a prediction is not held up behind a long
   * burst). Default 5 (100 ms of audio at 20 ms chunks). */
  fastBurstChunks?: number;
  /** Clock and timers of the paced mode. Default asyncScheduler (wall clock); tests pass a TestScheduler. */
  scheduler?: SchedulerLike;
}

/**
 * A WAV file as a live source. The file is read and decoded here, so a missing or unreadable file is a
 * clear error before anything starts. Paced (the default), chunk i is emitted when its audio would have
 * been fully captured, at start + (i + 1) * chunkMs of wall time, on a drift-free schedule (a late timer
 * emits every chunk that is due). With `fast`, chunks are emitted back to back in bursts.
 * The Observable completes after the last chunk; status goes listening -> ended.
 */
export function createWavSource(options: WavSourceOptions): AudioSource {
  const { fast = false, chunkMs = 20, fastBurstChunks = 5, scheduler = asyncScheduler } = options;
  if (!(chunkMs > 0)) throw new RangeError(`wav source: chunkMs must be positive, got ${chunkMs}`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(options.path);
  } catch (err) {
    throw new Error(
      `cannot read WAV file ${options.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
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
    let immediate: NodeJS.Immediate | undefined;
    let timer: Subscription | undefined;
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
        else immediate = setImmediate(burst);
      };
      immediate = setImmediate(burst);
    } else {
      // Due times are computed from t0, not chained, so timer lateness never accumulates into drift.
      const t0 = scheduler.now();
      const tick = () => {
        const due = Math.min(chunkCount, Math.floor((scheduler.now() - t0) / chunkMs));
        while (next < due && !closed) subscriber.next(chunkAt(next++));
        if (closed) return;
        if (next >= chunkCount) return finish();
        timer = scheduler.schedule(tick, Math.max(0, t0 + (next + 1) * chunkMs - scheduler.now()));
      };
      timer = scheduler.schedule(tick, chunkMs);
    }
    return () => {
      closed = true;
      timer?.unsubscribe();
      if (immediate) clearImmediate(immediate);
    };
  });

  return {
    info: {
      kind: 'wav',
      description: `${options.path} (${seconds} s, ${sampleRate} Hz${fast ? ', fast' : ''})`,
      sampleRate,
    },
    chunks$,
    status$: status.status$,
  };
}
