// The classifier worker thread: loads the model folder, then featurises and classifies utterances in the
// order they arrive; on request it loads another model folder and classifies with that from then on.
// Run by worker-classifier.ts through spawnTsWorker.
import { parentPort, workerData } from 'node:worker_threads';
import { probsByDigit } from './classifier';
import { modelDirKind, type StringStream } from '@digits/model';
import { loadLiveModel, loadLiveStringModel, type LiveModel, type LiveStringModel } from './model-runner';
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

/**
 * A digit-string model: one string stream open at a time (a push for a new stream id ends the previous one),
 * its pushes answered in order with their frames. No classify, no switch.
 */
function serveStrings(model: LiveStringModel): void {
  let open: { id: number; stream: StringStream } | undefined;
  let queue = Promise.resolve();
  port!.on('message', (m: ToClassifierWorker) => {
    if (m.type === 'switch')
      return post({ type: 'switch-failed', id: m.id, message: 'a digit-string model cannot switch models' });
    if (m.type === 'classify')
      return post({
        type: 'failed',
        id: m.id,
        message: 'a digit-string model recognises string streams, not utterances',
      });
    queue = queue.then(async () => {
      if (m.type === 'string-close') {
        if (open?.id === m.stream) open = undefined;
        return post({ type: 'string-closed', id: m.id });
      }
      if (open?.id !== m.stream) open = { id: m.stream, stream: model.recognizer.stream() };
      try {
        const frames = await open.stream.pushFrames(m.samples);
        post({
          type: 'string-frames',
          id: m.id,
          frames: frames.map((f) => ({
            endSample: f.endSample,
            best: f.best,
            digitProbs: f.digitProbs,
            ...(f.emitted ? { digit: f.emitted.digit } : {}),
          })),
        });
      } catch (err) {
        post({ type: 'failed', id: m.id, message: (err as Error).message });
      }
    });
  });
  post({ type: 'ready', info: model.info });
}

// A bad meta.json is reported by loadLiveModel, with the folder's other problems.
const kind = (() => {
  try {
    return modelDirKind(modelDir);
  } catch {
    return 'digit';
  }
})();
if (kind === 'string')
  loadLiveStringModel(modelDir, log).then(serveStrings, (err: Error) =>
    post({ type: 'load-failed', message: err.message }),
  );
else
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
        if (m.type !== 'classify')
          return post({ type: 'failed', id: m.id, message: 'a one-digit model has no string streams' });
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
