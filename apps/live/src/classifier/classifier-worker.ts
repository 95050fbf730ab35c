// The classifier worker thread: loads the model folder, then featurises and classifies utterances in the
// order they arrive; on request it loads another model folder and classifies with that from then on.
// Run by worker-classifier.ts through spawnTsWorker.
import { parentPort, workerData } from 'node:worker_threads';
import { probsByDigit } from './classifier';
import { loadLiveModel, type LiveModel } from './model-runner';
import type { ClassifierWorkerData, FromClassifierWorker, ToClassifierWorker } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('classifier-worker must run in a worker thread');
const post = (m: FromClassifierWorker) => port.postMessage(m);
const { modelDir } = workerData as ClassifierWorkerData;

async function classify(
  model: LiveModel,
  inputRate: number,
  m: Extract<ToClassifierWorker, { type: 'classify' }>,
): Promise<FromClassifierWorker> {
  // Utterances come at the first model's rate (the pipeline resamples to it); a model switched to later
  // may want another rate, which its recognizer resamples to.
  if (m.sampleRate !== inputRate) {
    return { type: 'failed', id: m.id, message: `utterance at ${m.sampleRate} Hz, the model expects ${inputRate} Hz` };
  }
  const { probabilities, featureMs, inferenceMs } = await model.recognizer.classify(m.samples, m.sampleRate);
  return { type: 'result', id: m.id, probs: probsByDigit(probabilities, model.info.labels), featureMs, inferenceMs };
}

const log = (line: string) => post({ type: 'log', line });

loadLiveModel(modelDir, log).then(
  (first) => {
    let model = first;
    const inputRate = first.info.featureConfig.sampleRate;
    // One at a time, in arrival order: the timings then measure this utterance alone.
    let queue = Promise.resolve();
    port.on('message', (m: ToClassifierWorker) => {
      if (m.type === 'switch') {
        // Loaded beside the queue, not in it: utterances go on with the current model until this one is ready.
        loadLiveModel(m.modelDir, log)
          .then((next) => {
            // Its labels must name the ten digits, or every classification would fail after the switch.
            probsByDigit(new Array<number>(10).fill(0), next.info.labels);
            return next;
          })
          .then(
            (next) => {
              const previous = model;
              model = next;
              // Freed once the utterances already queued on it are done.
              queue = queue.then(() => previous.recognizer.dispose());
              post({ type: 'switched', id: m.id, info: next.info });
            },
            (err: Error) => post({ type: 'switch-failed', id: m.id, message: err.message }),
          );
        return;
      }
      queue = queue.then(() => {
        const current = model;
        return classify(current, inputRate, m).then(post, (err: Error) =>
          post({ type: 'failed', id: m.id, message: err.message }),
        );
      });
    });
    post({ type: 'ready', info: model.info });
  },
  (err: Error) => post({ type: 'load-failed', message: err.message }),
);
