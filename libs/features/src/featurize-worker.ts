// Worker thread of featurizeClips: computes one clip's features per message.
import { parentPort } from 'node:worker_threads';
import { computeClipFeatures, type ClipJob } from './clip-job';

parentPort!.on('message', (job: ClipJob) => {
  try {
    const r = computeClipFeatures(job);
    const transfer = [r.logMels?.buffer, r.signals?.buffer].filter((b): b is ArrayBuffer => !!b);
    parentPort!.postMessage({ id: job.id, ...r }, transfer);
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
