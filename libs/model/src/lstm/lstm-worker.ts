/**
 * Worker-thread entry of the LSTM thread pool (see lstm-thread-pool.ts). Runs forward and backward
 * tasks on its share of a batch with its own runners (so its traces stay here between the two passes)
 * and reports completion through the shared control block: the main thread waits with Atomics.wait,
 * inside a synchronous tfjs op, and cannot receive messages meanwhile.
 *
 * The 'steps' kernel needs tfjs; the worker starts its own wasm backend the first time it is asked,
 * so workers that only run the 'samples' kernel never load tfjs.
 */
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import { LstmSampleRunner, type LstmBackwardTask, type LstmForwardTask } from './lstm-sample-runner';
import { reportDone, type WorkerRequest } from './lstm-thread-protocol';
import type { LstmStepRunner } from './lstm-step-runner';

const samples = new LstmSampleRunner();
let steps: LstmStepRunner | null = null;

// Loaded on demand through require: the worker registered tsx's CommonJS hooks only.
const lazyRequire = createRequire(__filename);

async function stepRunner(): Promise<LstmStepRunner> {
  if (!steps) {
    const { initBackend } = lazyRequire('../backend/init-backend') as typeof import('../backend/init-backend');
    await initBackend({ prefer: 'wasm', log: () => {} });
    const { LstmStepRunner: Runner } = lazyRequire('./lstm-step-runner') as typeof import('./lstm-step-runner');
    steps = new Runner();
  }
  return steps;
}

async function handle(msg: WorkerRequest): Promise<void> {
  if (msg.kind === 'clear') {
    samples.clear();
    steps?.clear();
    return;
  }
  if (msg.kind === 'prepare') {
    await stepRunner();
    return;
  }
  let error: string | null = null;
  try {
    const runner = msg.kernel === 'steps' ? await stepRunner() : samples;
    if (msg.kind === 'forward') runner.forward(msg.task as LstmForwardTask);
    else runner.backward(msg.task as LstmBackwardTask);
  } catch (err) {
    error = (err as Error).stack ?? String(err);
  }
  reportDone(msg.control, error);
}

// One message at a time, in order (the first 'steps' task may wait for tfjs to start).
let queue: Promise<void> = Promise.resolve();
parentPort!.on('message', (msg: WorkerRequest) => {
  queue = queue.then(() => handle(msg)).catch((err: Error) => console.error(`LSTM worker: ${err.message}`));
});

parentPort!.postMessage({ ready: true });
