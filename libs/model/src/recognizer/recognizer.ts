// The one way to use a saved model: load its folder, hand it audio, get a digit. Features are computed
// exactly as the model was trained (its own features.json travels with it), like tfjs speech-commands'
// create() + ensureModelLoaded().
import * as tf from '@tensorflow/tfjs';
import {
  clipAtRate,
  clipLogMel,
  featurizeClips,
  logMelSize,
  padClip,
  type ClipInput,
  type FeatureConfig,
  type SkippedClip,
} from '@digits/features';
import { initBackend, type InitBackendOptions } from '../backend/init-backend';
import { loadModelDir, type ModelMeta } from '../io/model-dir';
import { frontEndDir, type EmbeddingFeatures, type ModelFeatures } from '../io/model-features';
import {
  embedClips,
  loadSpeechFrontEnd,
  POOLED_DIM,
  POOLED_WINDOWS,
  type SpeechFrontEnd,
  type SpeechFrontEndOptions,
} from '@digits/speech-embedding';
import { predictProbs, toModelInputs, type InputKind } from '../model-inputs';
import { utteranceCut, type UtteranceCut } from './utterance-cut';

/** What a loaded recognizer is. */
export interface RecognizerInfo {
  /** The model folder it was loaded from. */
  dir: string;
  /** What the network sees: 'logmel', 'raw' (padded signal + mask) or 'embedding' (a pooled speech embedding). */
  inputKind: InputKind;
  /** Trainable and other parameters of the network. */
  params: number;
  /** meta.json (experiment, slug, title, result, ...), {} when the folder has none. */
  meta: ModelMeta;
  /** The tfjs backend in use, e.g. "wasm (SIMD, 1 thread, ...)". */
  backend: string;
}

/** The answer for one utterance. */
export interface Recognition {
  /** The most probable label (labels.json), e.g. "7". */
  label: string;
  /** Its probability. */
  confidence: number;
  /** Softmax outputs in label order (one per label). */
  probabilities: Float32Array;
  /** confidence < the model's unknownThreshold (false when the model has none). */
  unknown: boolean;
  /** Time spent resampling, padding and computing the log-mel, in ms. */
  featureMs: number;
  /** Time spent in the network, in ms. */
  inferenceMs: number;
}

/** Many clips classified at once (see {@link Recognizer.classifyClips}). */
export interface ClipsRecognition {
  /** kept.length rows of labels.length softmax outputs, row-major, in label order. */
  probs: Float32Array;
  /** Input indices of the classified clips, in input order. */
  kept: number[];
  /** Clips that could not be featurised, with the reason (only with skipFailures). */
  skipped: SkippedClip[];
}

export interface ClassifyClipsOptions {
  /** Feature cache folder; null or absent: no cache. */
  cacheDir?: string | null;
  /** Featurisation worker threads (default one per core; 0: this thread). */
  threads?: number;
  onProgress?: (done: number, total: number) => void;
  /** Leave out clips that cannot be featurised and list them in `skipped`; default false (an error naming them). */
  skipFailures?: boolean;
}

export interface Recognizer {
  readonly info: RecognizerInfo;
  /** What the model hears (its features.json): a log-mel config or a speech-embedding front end. */
  readonly features: ModelFeatures;
  /**
   * The log-mel config: the model's own for log-mel and raw models; for a speech-embedding model, the
   * dashboard's display config at the front end's 16 kHz (the rate utterances are best handed over at).
   */
  readonly featureConfig: FeatureConfig;
  /** Class labels in output order (labels.json). */
  readonly labels: string[];
  /** meta.json's unknownThreshold: below it a top probability means "not a digit". */
  readonly unknownThreshold: number | undefined;
  /** How utterances are trimmed for this model (live cut, enrolment takes, benchmarks): see utterance-cut.ts. */
  readonly cut: UtteranceCut;
  /** The network, for callers that need it (parameter counts, benchmarks). */
  readonly model: tf.LayersModel;
  /**
   * One utterance: mono samples at `sampleRate` Hz, resampled to the model's rate when they differ
   * (as training loaded its clips), padded or truncated to its length, featurised, classified.
   */
  classify(samples: Float32Array, sampleRate: number): Promise<Recognition>;
  /** WAV files (bytes) featurised on all cores with the model's config (and the feature cache), then classified. */
  classifyClips(clips: readonly ClipInput[], opts?: ClassifyClipsOptions): Promise<ClipsRecognition>;
  /** Frees the network's tensors. */
  dispose(): void;
}

export interface LoadRecognizerOptions {
  /** How the tfjs backend is chosen if nothing chose one yet (default: the fastest, choice not printed). */
  backend?: InitBackendOptions;
  /** Run the network once at load (kernels compiled, buffers allocated), so the first utterance is not slow. */
  warmUp?: boolean;
  /** A speech-embedding model's front end: onnxruntime threads, shortcuts (benchmarks compare them). */
  frontEnd?: Pick<SpeechFrontEndOptions, 'threads' | 'shortcuts'>;
}

/**
 * Loads a model folder (model.json, weights.bin, features.json, labels.json, meta.json) as a Recognizer.
 * Everything is checked before any audio is read: the files, features.json against its schema, and the
 * network's input shape against features.json (a features.json edited to `length: 1e9` or `nMels: 40`
 * is an error naming the folder and the file).
 */
export async function loadRecognizer(dir: string, opts: LoadRecognizerOptions = {}): Promise<Recognizer> {
  const backend = await initBackend(opts.backend ?? { log: () => {} });
  const { model, features, featureConfig: config, labels, meta, inputKind: kind } = await loadModelDir(dir);
  const unknownThreshold = meta.unknownThreshold;
  const cut = utteranceCut(kind, meta, `${dir}/meta.json`);
  const embedder =
    features.kind === 'speech-embedding' ? await embeddingFrontEnd(dir, features.embedding, opts.frontEnd) : null;
  const rowSize = embedder ? embedder.dim : kind === 'raw' ? config.length : logMelSize(config);
  const run = (x: Float32Array, n: number) =>
    predictProbs(model, (i, m) => toModelInputs(kind, { x, n, rowSize }, i, m, config), n, 32);

  const classify = async (samples: Float32Array, sampleRate: number): Promise<Recognition> => {
    const t0 = performance.now();
    let x: Float32Array;
    if (embedder) x = await embedder.embedClip(samples, sampleRate);
    else {
      const padded = padClip(clipAtRate(samples, sampleRate, config), config);
      x = kind === 'raw' ? padded : clipLogMel(padded, config);
    }
    const t1 = performance.now();
    const probabilities = await run(x, 1);
    const inferenceMs = performance.now() - t1;
    let best = 0;
    for (let k = 1; k < probabilities.length; k++) if (probabilities[k] > probabilities[best]) best = k;
    const confidence = probabilities[best];
    return {
      label: labels[best],
      confidence,
      probabilities,
      unknown: unknownThreshold !== undefined && confidence < unknownThreshold,
      featureMs: t1 - t0,
      inferenceMs,
    };
  };

  const classifyClips = async (
    clips: readonly ClipInput[],
    o: ClassifyClipsOptions = {},
  ): Promise<ClipsRecognition> => {
    if (embedder) {
      const e = await embedder.embedClips(clips, { cacheDir: o.cacheDir ?? null, onProgress: o.onProgress });
      if (e.failed.length > 0 && !o.skipFailures) {
        throw new Error(`could not featurise ${e.failed.map((f) => `${f.name} (${f.reason})`).join(', ')}`);
      }
      const probs = e.rows.length === 0 ? new Float32Array(0) : await run(e.vectors, e.rows.length);
      return { probs, kept: e.rows, skipped: e.failed };
    }
    const batch = await featurizeClips(clips, {
      config,
      logMels: kind === 'logmel',
      signals: kind === 'raw',
      cacheDir: o.cacheDir ?? null,
      threads: o.threads,
      onProgress: o.onProgress,
      skipFailures: o.skipFailures,
    });
    const n = batch.kept.length;
    const probs = n === 0 ? new Float32Array(0) : await run(kind === 'raw' ? batch.signals! : batch.logMels!, n);
    return { probs, kept: batch.kept, skipped: batch.skipped };
  };

  // The first run compiles kernels and allocates buffers; pay that at load, not on the first digit.
  if (opts.warmUp) await classify(new Float32Array(config.length), config.sampleRate);
  return {
    info: { dir, inputKind: kind, params: model.countParams(), meta, backend: backend.detail },
    features,
    featureConfig: config,
    labels,
    unknownThreshold,
    cut,
    model,
    classify,
    classifyClips,
    dispose: () => {
      model.dispose();
      void embedder?.release();
    },
  };
}

/** A speech-embedding model's front end, loaded (onnxruntime only for such models) and checked against features.json. */
async function embeddingFrontEnd(
  dir: string,
  features: EmbeddingFeatures,
  options: LoadRecognizerOptions['frontEnd'] = {},
) {
  const feDir = frontEndDir(features);
  let frontEnd: SpeechFrontEnd;
  try {
    frontEnd = await loadSpeechFrontEnd({ ...options, dir: feDir });
  } catch (e) {
    throw new Error(
      `${dir}/features.json: its front end "${features.frontEnd}" could not be loaded: ${(e as Error).message}`,
    );
  }
  const d = frontEnd.description;
  if (d.melSha256 !== features.melSha256 || d.embeddingSha256 !== features.embeddingSha256) {
    await frontEnd.release();
    throw new Error(
      `${dir}/features.json: the model was trained on front-end files with other sha256s than ${feDir} holds (a different front end)`,
    );
  }
  if (features.pooledWindows !== POOLED_WINDOWS) {
    await frontEnd.release();
    throw new Error(
      `${dir}/features.json: pooledWindows ${features.pooledWindows}; this version pools ${POOLED_WINDOWS}`,
    );
  }
  return {
    dim: POOLED_DIM,
    embedClip: (samples: Float32Array, sampleRate: number) => frontEnd.embedClip(samples, sampleRate),
    embedClips: (
      clips: readonly ClipInput[],
      o: { cacheDir: string | null; onProgress?: (done: number, total: number) => void },
    ) => embedClips(frontEnd, clips, o),
    release: () => frontEnd.release(),
  };
}
