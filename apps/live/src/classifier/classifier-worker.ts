// The classifier worker thread: loads the model folder once, then featurises and classifies utterances
// in the order they arrive. Run by worker-classifier.ts through spawnTsWorker.
import { parentPort, workerData } from 'node:worker_threads';
import { probsByDigit } from './classifier';
import { loadLiveModel, type LiveModel } from './model-runner';
import type { ClassifierWorkerData, FromClassifierWorker, ToClassifierWorker } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('classifier-worker must run in a worker thread');
const post = (m: FromClassifierWorker) => port.postMessage(m);
const { modelDir } = workerData as ClassifierWorkerData;

async function classify(model: LiveModel, m: ToClassifierWorker): Promise<FromClassifierWorker> {
  const config = model.info.featureConfig;
  if (m.sampleRate !== config.sampleRate) {
    return {
      type: 'failed',
      id: m.id,
      message: `utterance at ${m.sampleRate} Hz, the model expects ${config.sampleRate} Hz`,
    };
  }
  const { probabilities, featureMs, inferenceMs } = await model.recognizer.classify(m.samples, m.sampleRate);
  return { type: 'result', id: m.id, probs: probsByDigit(probabilities, model.info.labels), featureMs, inferenceMs };
}

loadLiveModel(modelDir, (line) => post({ type: 'log', line })).then(
  (model) => {
    // One at a time, in arrival order: the timings then measure this utterance alone.
    let queue = Promise.resolve();
    port.on('message', (m: ToClassifierWorker) => {
      queue = queue.then(() =>
        classify(model, m).then(post, (err: Error) => post({ type: 'failed', id: m.id, message: err.message })),
      );
    });
    post({ type: 'ready', info: model.info });
  },
  (err: Error) => post({ type: 'load-failed', message: err.message }),
);
