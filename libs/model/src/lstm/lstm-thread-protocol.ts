import type { LstmBackwardTask, LstmForwardTask } from './lstm-sample-runner';

/**
 * A completion counter shared by the main thread and the workers of one call. Slot 0 counts finished
 * tasks, slot 1 failed ones; `message` holds the first failure's text (UTF-8, zero-padded).
 */
export interface ControlBlock {
  counters: Int32Array;
  message: Uint8Array;
}

/** Which implementation a task runs: per sample in JS, or per step with backend matMuls. */
export type LstmKernel = 'samples' | 'steps';

export type WorkerRequest =
  | { kind: 'forward'; kernel: LstmKernel; task: LstmForwardTask; control: ControlBlock }
  | { kind: 'backward'; kernel: LstmKernel; task: LstmBackwardTask; control: ControlBlock }
  /** Start what the kernel needs (tfjs for 'steps') ahead of the first task. */
  | { kind: 'prepare'; kernel: LstmKernel }
  | { kind: 'clear' };

const MESSAGE_BYTES = 4096;

export function createControlBlock(): ControlBlock {
  return {
    counters: new Int32Array(new SharedArrayBuffer(8)),
    message: new Uint8Array(new SharedArrayBuffer(MESSAGE_BYTES)),
  };
}

/** Called by a worker when its task ended; `error` is null on success. */
export function reportDone(control: ControlBlock, error: string | null): void {
  if (error !== null && Atomics.add(control.counters, 1, 1) === 0) {
    const bytes = new TextEncoder().encode(error).subarray(0, MESSAGE_BYTES);
    control.message.set(bytes);
  }
  Atomics.add(control.counters, 0, 1);
  Atomics.notify(control.counters, 0);
}

/**
 * Blocks the calling thread until `expected` tasks reported done, then throws if any failed.
 * @param timeoutMs a worker that died without reporting cannot be told from a slow one; after this
 *   long the wait gives up with an error.
 */
export function waitForTasks(control: ControlBlock, expected: number, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const done = Atomics.load(control.counters, 0);
    if (done >= expected) break;
    const left = deadline - Date.now();
    if (left <= 0)
      throw new Error(`LSTM worker threads: ${expected - done} of ${expected} tasks unfinished after ${timeoutMs} ms`);
    Atomics.wait(control.counters, 0, done, Math.min(left, 1000));
  }
  if (Atomics.load(control.counters, 1) > 0) {
    const end = control.message.indexOf(0);
    const text = new TextDecoder().decode(control.message.slice(0, end < 0 ? undefined : end));
    throw new Error(`LSTM worker thread failed: ${text}`);
  }
}
