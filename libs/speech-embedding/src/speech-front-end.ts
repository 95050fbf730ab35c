// The speech-embedding front end: openWakeWord's mel model and Google's speech_embedding, run with
// onnxruntime-node on the CPU. Audio in (16 kHz, [-1, 1]), one 96-number embedding per 80 ms out.
// onnxruntime-node (a native addon) is loaded only when a front end is: importing this lib costs nothing.
import type * as Ort from 'onnxruntime-node';
import { resample } from '@digits/dsp';
import { clipCanvas, energyCentre, poolAround } from './pooled-embedding';
import type { EmbeddingFrame } from './framing';
import { readFrontEndFiles, DEFAULT_FRONT_END_DIR, type FrontEndDescription } from './front-end-files';
import { sequenceModelBytes } from './sequence-model';
import {
  CHUNK_CONTEXT,
  CHUNK_SAMPLES,
  EMBEDDING_DIM,
  FIRST_WINDOW_CHUNK,
  FRAMES_PER_CHUNK,
  FRONT_END_RATE,
  INPUT_SCALE,
  MEL_BINS,
  WINDOW_FRAMES,
  melTransform,
} from './framing';

export interface SpeechFrontEndOptions {
  /** Folder with front-end.json and the two model files (default: the repository's models/speech-embedding). */
  dir?: string;
  /** onnxruntime intra-op threads (default 1: the live app and the trainer's workers share few cores). */
  threads?: number;
  /**
   * Default true: the mel of a silent chunk is computed once and a run of windows is embedded in one pass
   * over its frames (embedSequence). false: every chunk's mel and every window on its own, the path these
   * replaced (the same numbers, tested; kept to measure the difference).
   */
  shortcuts?: boolean;
}

export type { EmbeddingFrame } from './framing';

/** Windows per run of the sequence model (about 16 s of audio). */
const SEQUENCE_BLOCK_WINDOWS = 200;

export class SpeechFrontEnd {
  /** The mel of a chunk of digital silence (a clip's canvas is mostly that): computed once. */
  private silentChunk: Promise<Float32Array> | null = null;

  constructor(
    readonly description: FrontEndDescription,
    private readonly ort: typeof Ort,
    private readonly melSession: Ort.InferenceSession,
    private readonly embeddingSession: Ort.InferenceSession,
    /** The same embedding model taking any number of frames (see sequence-model.ts). */
    private readonly sequenceSession: Ort.InferenceSession,
    private readonly shortcuts = true,
  ) {}

  /** Mel frames (8 x 32, transformed) of one chunk: `CHUNK_CONTEXT + CHUNK_SAMPLES` samples, already scaled. */
  async melChunk(scaled: Float32Array): Promise<Float32Array> {
    if (scaled.length !== CHUNK_CONTEXT + CHUNK_SAMPLES) {
      throw new RangeError(`melChunk: expected ${CHUNK_CONTEXT + CHUNK_SAMPLES} samples, got ${scaled.length}`);
    }
    if (this.shortcuts && scaled.every((v) => v === 0)) {
      this.silentChunk ??= this.runMel(new Float32Array(scaled.length));
      return (await this.silentChunk).slice();
    }
    return this.runMel(scaled);
  }

  private async runMel(scaled: Float32Array): Promise<Float32Array> {
    const out = await this.melSession.run({
      [this.melSession.inputNames[0]]: new this.ort.Tensor('float32', scaled, [1, scaled.length]),
    });
    const data = out[this.melSession.outputNames[0]].data as Float32Array;
    if (data.length !== FRAMES_PER_CHUNK * MEL_BINS) {
      throw new Error(`mel model gave ${data.length} numbers for one chunk, expected ${FRAMES_PER_CHUNK * MEL_BINS}`);
    }
    const frames = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) frames[i] = melTransform(data[i]);
    return frames;
  }

  /** Embeddings (n x 96) of `n` windows of 76 mel frames each, laid out one after another. */
  async embedWindows(windows: Float32Array, n: number): Promise<Float32Array> {
    if (windows.length !== n * WINDOW_FRAMES * MEL_BINS) {
      throw new RangeError(
        `embedWindows: expected ${n} x ${WINDOW_FRAMES} x ${MEL_BINS} numbers, got ${windows.length}`,
      );
    }
    if (n === 0) return new Float32Array(0);
    const input = new this.ort.Tensor('float32', windows, [n, WINDOW_FRAMES, MEL_BINS, 1]);
    const out = await this.embeddingSession.run({ [this.embeddingSession.inputNames[0]]: input });
    return Float32Array.from(out[this.embeddingSession.outputNames[0]].data as Float32Array);
  }

  /**
   * Embeddings (n x 96) of every window of `frames` consecutive mel frames (76 + 8 (n - 1) of them): the
   * windows ending at frames 76, 84, ..., in one run of the model over the whole sequence. The same numbers
   * as embedWindows on each window cut out, at about a fifth of the cost for 9 overlapping windows.
   */
  async embedSequence(mel: Float32Array, frames: number): Promise<Float32Array> {
    if (mel.length !== frames * MEL_BINS || frames < WINDOW_FRAMES || (frames - WINDOW_FRAMES) % FRAMES_PER_CHUNK) {
      throw new RangeError(
        `embedSequence: expected ${WINDOW_FRAMES} + ${FRAMES_PER_CHUNK} k frames of ${MEL_BINS}, got ${mel.length} numbers for ${frames} frames`,
      );
    }
    const total = (frames - WINDOW_FRAMES) / FRAMES_PER_CHUNK + 1;
    const vectors = new Float32Array(total * EMBEDDING_DIM);
    // Long audio goes in blocks of windows (each window's numbers do not depend on its neighbours), so the
    // model's intermediate activations stay a few MB whatever the length.
    for (let w0 = 0; w0 < total; w0 += SEQUENCE_BLOCK_WINDOWS) {
      const n = Math.min(SEQUENCE_BLOCK_WINDOWS, total - w0);
      const blockFrames = WINDOW_FRAMES + FRAMES_PER_CHUNK * (n - 1);
      const from = w0 * FRAMES_PER_CHUNK * MEL_BINS;
      // A copy: the tensor takes a whole array, not a view.
      const block = mel.slice(from, from + blockFrames * MEL_BINS);
      const input = new this.ort.Tensor('float32', block, [1, blockFrames, MEL_BINS, 1]);
      const out = await this.sequenceSession.run({ [this.sequenceSession.inputNames[0]]: input });
      const data = out[this.sequenceSession.outputNames[0]].data as Float32Array;
      if (data.length !== n * EMBEDDING_DIM) {
        throw new Error(`embedding model gave ${data.length} numbers for ${n} windows, expected ${n * EMBEDDING_DIM}`);
      }
      // Channel-major (value c of window w at c * n + w) to one row per window.
      for (let c = 0; c < EMBEDDING_DIM; c++)
        for (let w = 0; w < n; w++) vectors[(w0 + w) * EMBEDDING_DIM + c] = data[c * n + w];
    }
    return vectors;
  }

  /** A stream: push audio as it arrives, get each new embedding as soon as its window is complete. */
  stream(sampleRate = FRONT_END_RATE): StreamingEmbedder {
    return new StreamingEmbedder(this, sampleRate);
  }

  /**
   * Every embedding of a whole buffer, exactly as a stream fed the same audio would give them (the same
   * chunks, the same windows), with all windows embedded in one call.
   */
  async embedAudio(samples: Float32Array, sampleRate = FRONT_END_RATE): Promise<EmbeddingFrame[]> {
    const audio = toFrontEndRate(samples, sampleRate);
    const mel = await melOfStream(this, audio);
    const frameCount = mel.length / MEL_BINS;
    const first = FIRST_WINDOW_CHUNK;
    const nChunks = frameCount / FRAMES_PER_CHUNK;
    const n = Math.max(0, nChunks - first);
    if (n === 0) return [];
    // Window w ends with chunk first + w, so all of them are one sequence from the first window's first frame.
    const startFrame = (first + 1) * FRAMES_PER_CHUNK - WINDOW_FRAMES;
    let vectors: Float32Array;
    if (this.shortcuts)
      vectors = await this.embedSequence(mel.subarray(startFrame * MEL_BINS), frameCount - startFrame);
    else {
      const windows = new Float32Array(n * WINDOW_FRAMES * MEL_BINS);
      for (let w = 0; w < n; w++) {
        const from = (startFrame + w * FRAMES_PER_CHUNK) * MEL_BINS;
        windows.set(mel.subarray(from, from + WINDOW_FRAMES * MEL_BINS), w * WINDOW_FRAMES * MEL_BINS);
      }
      vectors = await this.embedWindows(windows, n);
    }
    return Array.from({ length: n }, (_, w) => ({
      index: first + w,
      endSample: (first + w + 1) * CHUNK_SAMPLES,
      vector: vectors.slice(w * EMBEDDING_DIM, (w + 1) * EMBEDDING_DIM),
    }));
  }

  /**
   * A clip's pooled vector (mean + max of the windows around its energy centre), computed as a stream would:
   * the clip on a canvas of silence (see clipCanvas). For augmentation, `offset` (samples, >= 0) moves the
   * clip later on the canvas (another alignment with the 80 ms window grid) and `centreError` (samples) moves
   * the pooling centre off the energy centre, as a live segmenter's cut may.
   */
  async embedClip(
    samples: Float32Array,
    sampleRate: number,
    jitter: { offset?: number; centreError?: number } = {},
  ): Promise<Float32Array> {
    const clip = toFrontEndRate(samples, sampleRate);
    const centre = energyCentre(clip) + (jitter.centreError ?? 0);
    const canvas = clipCanvas(clip.length + (jitter.offset ?? 0), centre + (jitter.offset ?? 0));
    const stream = new Float32Array(canvas.length);
    stream.set(clip, canvas.lead + (jitter.offset ?? 0));
    const frames = await this.embedAudio(stream);
    return poolAround(frames, canvas.centre);
  }

  async release(): Promise<void> {
    await this.melSession.release();
    await this.embeddingSession.release();
    await this.sequenceSession.release();
  }
}

/** Audio at another rate goes through the project's own resampler (resampy's kaiser_best), in-process. */
export function toFrontEndRate(samples: Float32Array, sampleRate: number): Float32Array {
  return sampleRate === FRONT_END_RATE ? samples : resample(samples, sampleRate, FRONT_END_RATE);
}

/** Mel frames of every whole chunk of `audio` (16 kHz), as a stream starting at its first sample computes them. */
async function melOfStream(frontEnd: SpeechFrontEnd, audio: Float32Array): Promise<Float32Array> {
  const nChunks = Math.floor(audio.length / CHUNK_SAMPLES);
  const mel = new Float32Array(nChunks * FRAMES_PER_CHUNK * MEL_BINS);
  const buf = new Float32Array(CHUNK_CONTEXT + CHUNK_SAMPLES);
  for (let k = 0; k < nChunks; k++) {
    const start = k * CHUNK_SAMPLES - CHUNK_CONTEXT;
    for (let i = 0; i < buf.length; i++) {
      const s = start + i;
      buf[i] = s < 0 ? 0 : audio[s] * INPUT_SCALE;
    }
    mel.set(await frontEnd.melChunk(buf), k * FRAMES_PER_CHUNK * MEL_BINS);
  }
  return mel;
}

/**
 * Incremental embeddings: each 80 ms of new audio costs one mel call and one embedding window, never a
 * recomputation of what came before. `push` calls are queued, so they may be made without awaiting.
 */
export class StreamingEmbedder {
  private readonly context = new Float32Array(CHUNK_CONTEXT + CHUNK_SAMPLES); // scaled; [0, 480) = the context
  private filled = CHUNK_CONTEXT; // samples in `context` (the first 480 are the stream's leading silence)
  private readonly mel = new Float32Array(WINDOW_FRAMES * MEL_BINS + FRAMES_PER_CHUNK * MEL_BINS);
  private melFrames = 0; // frames held in `mel` (at most WINDOW_FRAMES + 8)
  private chunks = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly rate: number;

  constructor(
    private readonly frontEnd: SpeechFrontEnd,
    sampleRate: number,
  ) {
    if (sampleRate !== FRONT_END_RATE) {
      // A stream at another rate is resampled per push by the caller's own stream resampler; this class
      // takes 16 kHz only so that its output is exactly the batch output.
      throw new RangeError(`StreamingEmbedder takes ${FRONT_END_RATE} Hz audio, got ${sampleRate} Hz`);
    }
    this.rate = sampleRate;
  }

  get sampleRate(): number {
    return this.rate;
  }

  /** Stream samples consumed so far that made whole chunks. */
  get samplesProcessed(): number {
    return this.chunks * CHUNK_SAMPLES;
  }

  push(samples: Float32Array): Promise<EmbeddingFrame[]> {
    const next = this.queue.then(() => this.consume(samples));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async consume(samples: Float32Array): Promise<EmbeddingFrame[]> {
    const out: EmbeddingFrame[] = [];
    let i = 0;
    while (i < samples.length) {
      const take = Math.min(samples.length - i, this.context.length - this.filled);
      for (let j = 0; j < take; j++) this.context[this.filled + j] = samples[i + j] * INPUT_SCALE;
      this.filled += take;
      i += take;
      if (this.filled === this.context.length) {
        const frame = await this.chunkDone();
        if (frame) out.push(frame);
      }
    }
    return out;
  }

  private async chunkDone(): Promise<EmbeddingFrame | null> {
    const frames = await this.frontEnd.melChunk(this.context);
    this.context.copyWithin(0, CHUNK_SAMPLES);
    this.filled = CHUNK_CONTEXT;
    const k = this.chunks++;
    // Keep the last WINDOW_FRAMES frames: shift when full, then append this chunk's 8.
    const keep = WINDOW_FRAMES - FRAMES_PER_CHUNK;
    if (this.melFrames > keep) {
      this.mel.copyWithin(0, (this.melFrames - keep) * MEL_BINS, this.melFrames * MEL_BINS);
      this.melFrames = keep;
    }
    this.mel.set(frames, this.melFrames * MEL_BINS);
    this.melFrames += FRAMES_PER_CHUNK;
    if (this.melFrames < WINDOW_FRAMES) return null;
    const window = this.mel.slice((this.melFrames - WINDOW_FRAMES) * MEL_BINS, this.melFrames * MEL_BINS);
    const vector = await this.frontEnd.embedWindows(window, 1);
    return { index: k, endSample: (k + 1) * CHUNK_SAMPLES, vector };
  }
}

/** Loads and checks the front end's files (sha256), then starts both ONNX sessions on the CPU. */
export async function loadSpeechFrontEnd(options: SpeechFrontEndOptions = {}): Promise<SpeechFrontEnd> {
  const files = readFrontEndFiles(options.dir ?? DEFAULT_FRONT_END_DIR);
  const threads = options.threads ?? 1;
  const ort = await import('onnxruntime-node');
  const sessionOptions: Ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  };
  const mel = await ort.InferenceSession.create(files.mel, sessionOptions);
  const embedding = await ort.InferenceSession.create(files.embedding, sessionOptions);
  const sequence = await ort.InferenceSession.create(sequenceModelBytes(files.embedding), sessionOptions);
  return new SpeechFrontEnd(files.description, ort, mel, embedding, sequence, options.shortcuts ?? true);
}
