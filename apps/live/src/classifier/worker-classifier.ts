import { statSync } from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { spawnTsWorker } from '@digits/threads';
import type { Classification, Classifier, ClassifierInfo, StringFrame, StringSession } from './classifier';
import type { ClassifierWorkerData, FromClassifierWorker, ToClassifierWorker } from './worker-protocol';

/** The module run in the worker thread. */
export const CLASSIFIER_WORKER_MODULE = path.join(__dirname, 'classifier-worker.ts');

/** Options of startWorkerClassifier. */
export interface WorkerClassifierOptions {
  /** Where the worker's notes go (the tfjs backend chosen). Default: stderr. */
  log?: (line: string) => void;
  /** Longest wait for the model to load, in ms. Default 120,000 (a cold wasm start on a slow machine). */
  loadTimeoutMs?: number;
}

/** The files a model folder must hold; checked before a thread is started, for a clear message. */
const MODEL_FILES = ['model.json', 'weights.bin', 'features.json', 'labels.json'];

/** Throws a clear error if `dir` is not a model folder (missing folder or files). */
export function checkModelFolder(dir: string): void {
  const hint =
    'pass --model <folder> with a model saved by `digits train` (model.json, weights.bin, features.json, labels.json)';
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new Error(`model folder ${dir} does not exist; ${hint}`);
  }
  if (!isDir) throw new Error(`model path ${dir} is not a folder; ${hint}`);
  const missing = MODEL_FILES.filter((f) => {
    try {
      return !statSync(path.join(dir, f)).isFile();
    } catch {
      return true;
    }
  });
  if (missing.length > 0) throw new Error(`model folder ${dir} lacks ${missing.join(', ')}; ${hint}`);
}

/**
 * Loads the model folder in a worker thread and returns a Classifier that featurises (padClip + clipLogMel
 * of @digits/features, with the model's own features.json) and classifies there, so capture and the event
 * loop never wait on inference. Rejects with a clear message when the folder is missing, incomplete or
 * corrupt (before anything else starts).
 */
export async function startWorkerClassifier(
  modelDir: string,
  options: WorkerClassifierOptions = {},
): Promise<Classifier> {
  checkModelFolder(modelDir);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const workerData: ClassifierWorkerData = { modelDir: path.resolve(modelDir) };
  const worker = spawnTsWorker(CLASSIFIER_WORKER_MODULE, { workerData });
  const info = await new Promise<ClassifierInfo>((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      void worker.terminate();
      reject(new Error(`cannot load the model in ${modelDir}: ${message}`));
    };
    const timer = setTimeout(
      () => fail(`no answer within ${options.loadTimeoutMs ?? 120000} ms`),
      options.loadTimeoutMs ?? 120000,
    );
    const onMessage = (m: FromClassifierWorker) => {
      if (m.type === 'log') log(m.line);
      else if (m.type === 'ready') {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        resolve(m.info);
      } else if (m.type === 'load-failed') fail(m.message);
    };
    const onError = (err: Error) => fail(err.message);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.once('exit', (code) => fail(`the worker exited (${code})`));
  });
  return new WorkerClassifier(worker, info, log);
}

class WorkerClassifier implements Classifier {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (c: Classification) => void; reject: (e: Error) => void }>();
  private readonly switches = new Map<
    number,
    { dir: string; resolve: (i: ClassifierInfo) => void; reject: (e: Error) => void }
  >();
  private readonly stringCalls = new Map<number, { resolve: (f: StringFrame[]) => void; reject: (e: Error) => void }>();
  private nextStream = 1;
  private dead: string | undefined;

  constructor(
    private readonly worker: Worker,
    public info: ClassifierInfo,
    log: (line: string) => void,
  ) {
    worker.removeAllListeners('exit');
    worker.on('message', (m: FromClassifierWorker) => {
      if (m.type === 'log') return log(m.line);
      if (m.type === 'switched' || m.type === 'switch-failed') {
        const s = this.switches.get(m.id);
        this.switches.delete(m.id);
        if (m.type === 'switched') {
          this.info = m.info;
          s?.resolve(m.info);
        } else s?.reject(new Error(`cannot switch to the model in ${s?.dir}: ${m.message}`));
        return;
      }
      if (m.type === 'string-frames' || m.type === 'string-closed') {
        const c = this.stringCalls.get(m.id);
        this.stringCalls.delete(m.id);
        c?.resolve(m.type === 'string-frames' ? m.frames : []);
        return;
      }
      if (m.type === 'failed' && this.stringCalls.has(m.id)) {
        const c = this.stringCalls.get(m.id);
        this.stringCalls.delete(m.id);
        c?.reject(new Error(`string recognition failed: ${m.message}`));
        return;
      }
      if (m.type !== 'result' && m.type !== 'failed') return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.type === 'result') p.resolve({ probs: m.probs, featureMs: m.featureMs, inferenceMs: m.inferenceMs });
      else p.reject(new Error(`classification failed: ${m.message}`));
    });
    worker.on('error', (err) => this.fail(`classifier worker crashed: ${err.message}`));
    worker.on('exit', (code) => this.fail(`classifier worker exited (${code})`));
  }

  classify(samples: Float32Array, sampleRate: number): Promise<Classification> {
    if (this.dead) return Promise.reject(new Error(this.dead));
    const id = this.nextId++;
    // Transfer the buffer instead of copying it, unless the array is a view into a larger one.
    const own =
      samples.byteOffset === 0 && samples.byteLength === samples.buffer.byteLength ? samples : samples.slice();
    const message: ToClassifierWorker = { type: 'classify', id, samples: own, sampleRate };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(message, [own.buffer as ArrayBuffer]);
    });
  }

  switchModel(modelDir: string): Promise<ClassifierInfo> {
    if (this.dead) return Promise.reject(new Error(this.dead));
    try {
      checkModelFolder(modelDir);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    const id = this.nextId++;
    const message: ToClassifierWorker = { type: 'switch', id, modelDir: path.resolve(modelDir) };
    return new Promise((resolve, reject) => {
      this.switches.set(id, { dir: modelDir, resolve, reject });
      this.worker.postMessage(message);
    });
  }

  openString(): StringSession {
    const stream = this.nextStream++;
    const call = (message: ToClassifierWorker, transfer: ArrayBuffer[] = []): Promise<StringFrame[]> => {
      if (this.dead) return Promise.reject(new Error(this.dead));
      return new Promise((resolve, reject) => {
        this.stringCalls.set(message.id, { resolve, reject });
        this.worker.postMessage(message, transfer);
      });
    };
    return {
      push: (samples) => {
        const own =
          samples.byteOffset === 0 && samples.byteLength === samples.buffer.byteLength ? samples : samples.slice();
        return call({ type: 'string-push', id: this.nextId++, stream, samples: own }, [own.buffer as ArrayBuffer]);
      },
      close: () => call({ type: 'string-close', id: this.nextId++, stream }).then(() => undefined),
    };
  }

  async close(): Promise<void> {
    this.fail('classifier closed');
    await this.worker.terminate();
  }

  private fail(reason: string): void {
    this.dead ??= reason;
    for (const p of [...this.pending.values(), ...this.switches.values(), ...this.stringCalls.values()])
      p.reject(new Error(reason));
    this.pending.clear();
    this.stringCalls.clear();
    this.switches.clear();
  }
}
