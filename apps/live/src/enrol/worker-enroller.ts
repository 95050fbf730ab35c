import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { spawnTsWorker } from '@digits/threads';
import type { Enroller } from './enroller';
import type { EnrolResult, EnrolTake, VoiceInfo } from './voice-api';
import type { FromVoiceWorker, ToVoiceWorker, VoiceWorkerData } from './voice-protocol';

/** The module run in the voice worker thread. */
export const VOICE_WORKER_MODULE = path.join(__dirname, 'voice-worker.ts');
/** The enrolment library the worker loads by default. */
export const DEFAULT_VOICE_MODULE = '@digits/voice';

export interface WorkerEnrollerOptions {
  /** Module with @digits/voice's functions. Default @digits/voice (tests pass a small stand-in). */
  module?: string;
  /** Voices root. Default the library's voicesRoot(): $DIGITS_HOME/voices, else ~/.digits/voices. */
  root?: string;
}

type Pending = {
  resolve: (m: FromVoiceWorker) => void;
  reject: (e: Error) => void;
  onProgress?: (done: number, total: number) => void;
  /** A training (what cancel() stops). */
  enrol?: boolean;
};

/**
 * An Enroller whose work all happens in one worker thread running @digits/voice, started on first use.
 * cancel() terminates the thread (a training cannot be interrupted otherwise); the next call starts a
 * new one.
 */
export function workerEnroller(options: WorkerEnrollerOptions = {}): Enroller {
  const data: VoiceWorkerData = { module: options.module ?? DEFAULT_VOICE_MODULE, root: options.root };
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const failAll = (reason: string) => {
    for (const p of pending.values()) p.reject(new Error(reason));
    pending.clear();
  };
  const spawn = (): Worker => {
    const w = spawnTsWorker(VOICE_WORKER_MODULE, { workerData: data });
    w.on('message', (m: FromVoiceWorker) => {
      const p = pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') return p.onProgress?.(m.done, m.total);
      pending.delete(m.id);
      if (m.type === 'failed') p.reject(new Error(m.message));
      else p.resolve(m);
    });
    w.on('error', (err) => {
      if (worker === w) worker = undefined;
      failAll(`the voice worker failed: ${err.message}`);
    });
    w.on('exit', (code) => {
      if (worker !== w) return;
      worker = undefined;
      failAll(`the voice worker exited (${code})`);
    });
    return w;
  };
  const ask = (
    message: ToVoiceWorker,
    transfer: ArrayBuffer[] = [],
    onProgress?: Pending['onProgress'],
  ): Promise<FromVoiceWorker> => {
    worker ??= spawn();
    const w = worker;
    return new Promise((resolve, reject) => {
      pending.set(message.id, { resolve, reject, onProgress, enrol: message.type === 'enrol' });
      w.postMessage(message, transfer);
    });
  };

  return {
    async checkTake(take: EnrolTake) {
      const m = await ask({ type: 'check', id: nextId++, take });
      return m.type === 'checked' ? m.problem : null;
    },
    async enrol(request, onProgress): Promise<EnrolResult> {
      // Copies: the caller keeps its takes (to retry after a failure or a cancel).
      const takes = request.takes.map((t) => ({ ...t, samples: t.samples.slice() }));
      const m = await ask(
        { type: 'enrol', id: nextId++, ...request, takes },
        takes.map((t) => t.samples.buffer as ArrayBuffer),
        onProgress,
      );
      if (m.type !== 'enrolled') throw new Error(`voice worker: unexpected answer ${m.type}`);
      return m.result;
    },
    cancel() {
      const w = worker;
      if (!w || ![...pending.values()].some((p) => p.enrol)) return;
      worker = undefined;
      failAll('enrolment cancelled');
      void w.terminate();
    },
    async listVoices(): Promise<VoiceInfo[]> {
      const m = await ask({ type: 'list', id: nextId++ });
      return m.type === 'listed' ? m.voices : [];
    },
    async close() {
      const w = worker;
      worker = undefined;
      failAll('enroller closed');
      await w?.terminate();
    },
  };
}
