/**
 * Worker-thread entry of the LSTM thread pool (see lstm-thread-pool.ts). Runs forward and backward
 * tasks on its share of a batch with its own LstmSampleRunner (so its traces stay here between the two
 * passes) and reports completion through the shared control array, because the main thread waits for
 * it with Atomics.wait, inside a synchronous tfjs op, and cannot receive messages meanwhile.
 */
import { parentPort } from 'node:worker_threads';
import { LstmSampleRunner, type LstmBackwardTask, type LstmForwardTask } from './lstm-sample-runner';
import { reportDone, type WorkerRequest } from './lstm-thread-protocol';

const runner = new LstmSampleRunner();

parentPort!.on('message', (msg: WorkerRequest) => {
  if (msg.kind === 'clear') {
    runner.clear();
    return;
  }
  let error: string | null = null;
  try {
    if (msg.kind === 'forward') runner.forward(msg.task as LstmForwardTask);
    else runner.backward(msg.task as LstmBackwardTask);
  } catch (err) {
    error = (err as Error).stack ?? String(err);
  }
  reportDone(msg.control, error);
});

parentPort!.postMessage({ ready: true });
