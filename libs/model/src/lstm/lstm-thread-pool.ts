import path from 'node:path';
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { availableThreads, spawnTsWorker } from '@digits/threads';
import { LstmSampleRunner, type LstmBackwardTask, type LstmForwardTask } from './lstm-sample-runner';
import { LstmStepRunner } from './lstm-step-runner';
import { createControlBlock, waitForTasks, type LstmKernel, type WorkerRequest } from './lstm-thread-protocol';

/** How long the main thread waits for a worker's share before it declares the worker lost (ms). */
const TASK_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * A persistent pool of LSTM worker threads. The main thread computes a share of every batch itself
 * (it would only wait otherwise), so `threads` counts it: 2 threads = the main thread + 1 worker.
 *
 * The fused LSTM op is synchronous (tfjs ops are), so the main thread hands out tasks by message and
 * then blocks in Atomics.wait until the workers' completion counter reaches the task count; all arrays
 * live in SharedArrayBuffers, nothing is copied between threads. Workers are unref'd: an idle pool does
 * not keep the process alive.
 */
export class LstmThreadPool {
  /** The main thread's own runners; their traces stay here between forward and backward. */
  readonly mainSamples = new LstmSampleRunner();
  readonly mainSteps = new LstmStepRunner();
  private workers: Worker[] = [];
  private prepared = new Set<LstmKernel>();
  private starting: Promise<void> | null = null;
  private wanted = 1;

  /** Worker threads started and ready. */
  get workerCount(): number {
    return this.workers.length;
  }

  /** Threads that compute a batch now: the main thread plus ready workers. */
  get threadCount(): number {
    return 1 + this.workers.length;
  }

  /**
   * Starts workers until `threads` threads compute (the main thread included). Resolves when they are
   * ready. Asking for fewer threads than running stops the extra workers.
   */
  async resize(threads: number): Promise<void> {
    this.wanted = Math.max(1, Math.floor(threads));
    if (this.starting) await this.starting;
    while (this.workers.length > this.wanted - 1) await this.workers.pop()!.terminate();
    const missing = this.wanted - 1 - this.workers.length;
    if (missing <= 0) return;
    this.starting = Promise.all(Array.from({ length: missing }, () => this.spawn()))
      .then((ws) => {
        for (const w of ws)
          for (const kernel of this.prepared) w.postMessage({ kind: 'prepare', kernel } satisfies WorkerRequest);
        this.workers.push(...ws);
      })
      .finally(() => {
        this.starting = null;
      });
    await this.starting;
  }

  /** Stops every worker. */
  async stop(): Promise<void> {
    await this.resize(1);
  }

  /** Drops the traces kept by every thread (frees their memory). */
  clear(): void {
    this.mainSamples.clear();
    this.mainSteps.clear();
    for (const w of this.workers) w.postMessage({ kind: 'clear' } satisfies WorkerRequest);
  }

  /**
   * Has the workers load what `kernel` needs (tfjs and its wasm backend for 'steps') in the background,
   * so the first threaded call does not wait for it.
   */
  prepare(kernel: LstmKernel): void {
    if (this.prepared.has(kernel)) return;
    this.prepared.add(kernel);
    for (const w of this.workers) w.postMessage({ kind: 'prepare', kernel } satisfies WorkerRequest);
  }

  /** Runs `tasks[0]` here and `tasks[i]` on worker i-1, and returns when all finished. */
  forward(tasks: LstmForwardTask[], kernel: LstmKernel = 'samples'): void {
    this.run('forward', kernel, tasks);
  }

  backward(tasks: LstmBackwardTask[], kernel: LstmKernel = 'samples'): void {
    this.run('backward', kernel, tasks);
  }

  private run(kind: 'forward' | 'backward', kernel: LstmKernel, tasks: (LstmForwardTask | LstmBackwardTask)[]): void {
    if (tasks.length > this.threadCount)
      throw new Error(`LstmThreadPool: ${tasks.length} tasks for ${this.threadCount} threads`);
    const control = createControlBlock();
    for (let i = 1; i < tasks.length; i++) {
      this.workers[i - 1].postMessage({ kind, kernel, task: tasks[i], control } as WorkerRequest);
    }
    let ownError: unknown = null;
    try {
      const runner = kernel === 'steps' ? this.mainSteps : this.mainSamples;
      if (kind === 'forward') runner.forward(tasks[0] as LstmForwardTask);
      else runner.backward(tasks[0] as LstmBackwardTask);
    } catch (err) {
      ownError = err;
    }
    // Wait even after an error of our own: the workers are still writing into the shared arrays.
    waitForTasks(control, tasks.length - 1, TASK_TIMEOUT_MS);
    if (ownError) throw ownError;
  }

  private async spawn(): Promise<Worker> {
    const worker = spawnTsWorker(path.join(__dirname, 'lstm-worker.ts'));
    const [msg] = (await once(worker, 'message')) as [{ ready?: boolean }];
    if (!msg?.ready) throw new Error('LSTM worker did not start');
    worker.on('error', (err) => {
      console.error(`LSTM worker thread crashed: ${err.message}`);
      this.workers = this.workers.filter((w) => w !== worker);
    });
    worker.unref();
    return worker;
  }
}

let shared: LstmThreadPool | null = null;
let sharedThreads: number | null = null;
/** The default pool's start, begun by ensureLstmThreadsStarting. */
let sharedStarting: Promise<void> | null = null;

/** The process-wide pool the fused LSTM op uses. */
export function lstmThreadPool(): LstmThreadPool {
  shared ??= new LstmThreadPool();
  return shared;
}

/**
 * Threads the fused LSTM uses (the main thread included). Default: one per core. 1 computes in the
 * main thread only. Starts or stops workers and resolves when they are ready.
 */
export async function setLstmThreads(threads: number = availableThreads()): Promise<number> {
  sharedThreads = Math.max(1, Math.floor(threads));
  sharedStarting = null;
  await lstmThreadPool().resize(sharedThreads);
  return lstmThreadPool().threadCount;
}

/**
 * Starts the shared pool in the background with the default thread count, unless a thread count was
 * set. Until the workers are ready, calls compute in the main thread. Resolves when they are (or
 * could not start: then the main thread computes alone, as the printed message says).
 */
export function ensureLstmThreadsStarting(): Promise<void> {
  if (sharedThreads === null) {
    sharedThreads = availableThreads();
    sharedStarting = lstmThreadPool()
      .resize(sharedThreads)
      .catch((err: Error) => {
        console.error(`LSTM worker threads could not start, computing in the main thread: ${err.message}`);
      });
  }
  return sharedStarting ?? Promise.resolve();
}

/**
 * Starts the shared pool if needed and resolves with its thread count once the workers are ready.
 * Training awaits this first: a batch split over a different number of threads sums its gradients in
 * a different order, so batches computed before the workers are ready would make a seeded run differ
 * from the same run started again.
 */
export async function lstmThreadsReady(): Promise<number> {
  await ensureLstmThreadsStarting();
  return lstmThreadPool().threadCount;
}

/** Stops the shared pool's workers (tests, clean shutdown). */
export async function stopLstmThreads(): Promise<void> {
  if (shared) await shared.stop();
  sharedThreads = null;
  sharedStarting = null;
}
