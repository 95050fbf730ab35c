// A worker thread that enrols one voice (workerData: EnrolOptions without onProgress) and posts back
// { progress } messages, then { result } or { error }: how a server enrols without blocking its main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { enrolVoice, type EnrolOptions } from '../enrol';

const opts = workerData as Omit<EnrolOptions, 'onProgress'>;
enrolVoice({ ...opts, onProgress: (done, total) => parentPort!.postMessage({ progress: [done, total] }) }).then(
  (result) => parentPort!.postMessage({ result }),
  (e: Error) => parentPort!.postMessage({ error: e.message }),
);
