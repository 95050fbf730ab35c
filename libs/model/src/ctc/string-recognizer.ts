// A saved digit-string model in use: audio in (any rate), the digits out with when each became certain, for a
// whole recording or a stream fed in pieces (the same answer either way: the network is causal).
import * as tf from '@tensorflow/tfjs';
import { seededUniform } from '@digits/dsp';
import {
  CHUNK_SAMPLES,
  EMBEDDING_DIM,
  FRONT_END_RATE,
  loadSpeechFrontEnd,
  toFrontEndRate,
  type EmbeddingFrame,
  type SpeechFrontEnd,
  type StreamingEmbedder,
} from '@digits/speech-embedding';
import { readModelFolder, type ModelMeta } from '../io/model-dir';
import { frontEndDir, type ModelFeatures } from '../io/model-features';
import { IncrementalCtcDecoder } from './ctc-decode';
import { StringNetStream, stringNetWeights, type StringNetWeights } from './string-net-stream';
import { STRING_BLANK, STRING_CLASSES, stringFrameProbs } from './string-model';

/** One recognised digit. */
export interface StringDigitOut {
  digit: number;
  /** Index of the embedding frame that made it certain (the front end's window index). */
  frame: number;
  /** Stream time (s) at which that frame's audio ends: when the digit became certain. */
  seconds: number;
  /** Its probability at that frame. */
  prob: number;
}

/** A recording's digits. */
export interface StringRecognition {
  /** The digits as text, e.g. "5551234". */
  text: string;
  digits: StringDigitOut[];
  /** Embedding frames the recording gave. */
  frames: number;
}

/** meta.json's ctc block of a string model. */
export type StringModelCtcMeta = NonNullable<ModelMeta['ctc']>;

/** A loaded digit-string model with its front end. */
export class StringRecognizer {
  private net: StringNetWeights | undefined | null = null;

  constructor(
    readonly model: tf.LayersModel,
    readonly frontEnd: SpeechFrontEnd,
    readonly ctc: StringModelCtcMeta,
    readonly meta: ModelMeta,
  ) {}

  /** Frame probabilities (frames x classes) of a sequence of embeddings. */
  frameProbs(frames: readonly EmbeddingFrame[]): Float32Array {
    const x = new Float32Array(frames.length * EMBEDDING_DIM);
    frames.forEach((f, i) => x.set(f.vector, i * EMBEDDING_DIM));
    return stringFrameProbs(this.model, x, frames.length, EMBEDDING_DIM);
  }

  /** The network's weights for stepping it frame by frame in JS (undefined: not buildStringModel's layers). */
  netWeights(): StringNetWeights | undefined {
    if (this.net === null) this.net = stringNetWeights(this.model);
    return this.net;
  }

  /** Greedy digits of embeddings already computed (e.g. cached). */
  decodeFrames(frames: readonly EmbeddingFrame[]): StringRecognition {
    const probs = this.frameProbs(frames);
    const dec = new IncrementalCtcDecoder(this.ctc.classes, this.ctc.blank);
    const digits = dec.push(probs).map((e) => ({
      digit: e.label,
      frame: frames[e.frame].index,
      seconds: frames[e.frame].endSample / FRONT_END_RATE,
      prob: e.prob,
    }));
    return { text: digits.map((d) => d.digit).join(''), digits, frames: frames.length };
  }

  /**
   * The digits of a whole recording. The front end's first embedding needs 0.8 s of audio, so the recording is
   * heard as a stream that was already listening would hear it: after `leadSeconds` (default 0.8) and before
   * 0.4 s of a faint noise floor (-80 dBFS); `seconds` are then times in the recording itself.
   */
  async recognize(
    samples: Float32Array,
    sampleRate: number,
    opts: { leadSeconds?: number } = {},
  ): Promise<StringRecognition> {
    const audio = toFrontEndRate(samples, sampleRate);
    const lead = Math.round((opts.leadSeconds ?? 0.8) * FRONT_END_RATE);
    const tail = Math.round(0.4 * FRONT_END_RATE);
    const padded = new Float32Array(lead + audio.length + tail);
    const rnd = seededUniform(audio.length);
    for (let i = 0; i < padded.length; i++) padded[i] = (rnd() - 0.5) * 2e-4;
    for (let i = 0; i < audio.length; i++) padded[lead + i] += audio[i];
    const r = this.decodeFrames(await this.frontEnd.embedAudio(padded, FRONT_END_RATE));
    for (const d of r.digits) d.seconds = Math.max(0, d.seconds - lead / FRONT_END_RATE);
    return r;
  }

  /** A stream of 16 kHz audio: each push returns the digits its audio made certain. */
  stream(): StringStream {
    return new StringStream(this, this.frontEnd.stream(FRONT_END_RATE));
  }

  async dispose(): Promise<void> {
    this.model.dispose();
    await this.frontEnd.release();
  }
}

/** One embedding frame of a stream, as the live app needs it: its best class, its digit probabilities, and the
 * digit it made certain, if any. */
export interface StringFrameOut {
  /** The front end's window index. */
  index: number;
  /** Stream sample (16 kHz) at which the frame's audio ends. */
  endSample: number;
  /** The frame's best class: a digit 0-9, or the blank. */
  best: number;
  /** The frame's probability of each digit 0-9 (the blank's share is the rest). */
  digitProbs: number[];
  /** The digit this frame made certain (the first frame of its run), if any. */
  emitted?: StringDigitOut;
}

/**
 * Streaming recognition: every new embedding (80 ms) runs the network over the last receptive-field frames and
 * feeds the last output frame to an incremental greedy decoder, so a digit comes out on the first frame whose
 * best class is that digit. Pushes are queued: they may be made without awaiting. Memory is bounded: the
 * front end keeps one window and this keeps the last receptive-field embeddings.
 */
export class StringStream {
  private readonly window: EmbeddingFrame[] = [];
  private readonly decoder: IncrementalCtcDecoder;
  private queue: Promise<unknown> = Promise.resolve();
  /** The network stepped frame by frame in JS, when its layers allow; else tfjs over the receptive field. */
  private readonly net: StringNetStream | undefined;

  constructor(
    private readonly recognizer: StringRecognizer,
    private readonly embedder: StreamingEmbedder,
  ) {
    this.decoder = new IncrementalCtcDecoder(recognizer.ctc.classes, recognizer.ctc.blank);
    const weights = recognizer.netWeights();
    this.net = weights && new StringNetStream(weights);
  }

  /** The digits this audio made certain. */
  async push(samples: Float32Array): Promise<StringDigitOut[]> {
    return (await this.pushFrames(samples)).flatMap((f) => (f.emitted ? [f.emitted] : []));
  }

  /** Every embedding frame this audio completed, with its best class and digit probabilities. */
  pushFrames(samples: Float32Array): Promise<StringFrameOut[]> {
    const next = this.queue.then(async () => {
      const out: StringFrameOut[] = [];
      const { classes, blank, receptiveFieldFrames: rf } = this.recognizer.ctc;
      for (const frame of await this.embedder.push(samples)) {
        let last: Float32Array;
        if (this.net) last = this.net.push(frame.vector);
        else {
          this.window.push(frame);
          if (this.window.length > rf) this.window.shift();
          const probs = this.recognizer.frameProbs(this.window);
          last = probs.subarray(probs.length - classes);
        }
        let best = 0;
        for (let c = 1; c < classes; c++) if (last[c] > last[best]) best = c;
        const digitProbs = Array.from({ length: 10 }, (_, d) => last[d < blank ? d : d + 1]);
        const e = this.decoder.push(last)[0];
        out.push({
          index: frame.index,
          endSample: frame.endSample,
          best,
          digitProbs,
          emitted: e && {
            digit: e.label,
            frame: frame.index,
            seconds: frame.endSample / FRONT_END_RATE,
            prob: e.prob,
          },
        });
      }
      return out;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/**
 * Loads a digit-string model folder (written by `digits train-strings`): a speech-embedding features.json,
 * meta.json with `"input": "embedding-sequence"` and its ctc block, a network taking (frames, 96) and giving
 * (frames, classes). Starts the front end features.json names (its sha256s checked).
 */
export async function loadStringRecognizer(dir: string): Promise<StringRecognizer> {
  const { model, features, meta } = await readModelFolder(dir);
  try {
    checkStringModel(model, features, meta, dir);
  } catch (e) {
    model.dispose();
    throw e;
  }
  const embedding = (features as Extract<ModelFeatures, { kind: 'speech-embedding' }>).embedding;
  const frontEnd = await loadSpeechFrontEnd({ dir: frontEndDir(embedding) });
  const d = frontEnd.description;
  if (d.melSha256 !== embedding.melSha256 || d.embeddingSha256 !== embedding.embeddingSha256) {
    model.dispose();
    await frontEnd.release();
    throw new Error(`${dir}/features.json: the front end's files are not the ones this model was trained on`);
  }
  return new StringRecognizer(model, frontEnd, meta.ctc!, meta);
}

function checkStringModel(model: tf.LayersModel, features: ModelFeatures, meta: ModelMeta, dir: string): void {
  if (meta.input !== 'embedding-sequence' || !meta.ctc)
    throw new Error(`${dir}/meta.json: not a digit-string model (expected "input": "embedding-sequence" and "ctc")`);
  if (features.kind !== 'speech-embedding')
    throw new Error(`${dir}/features.json: a digit-string model needs a speech-embedding front end`);
  const inShape = JSON.stringify(model.inputs[0].shape);
  const outShape = model.outputs[0].shape;
  if (inShape !== JSON.stringify([null, null, EMBEDDING_DIM]))
    throw new Error(`${dir}: a digit-string model must take [null,null,${EMBEDDING_DIM}], this one takes ${inShape}`);
  if (outShape[outShape.length - 1] !== meta.ctc.classes || meta.ctc.blank >= meta.ctc.classes)
    throw new Error(
      `${dir}/meta.json: ctc says ${meta.ctc.classes} classes with blank ${meta.ctc.blank}; the network gives ${outShape[outShape.length - 1]}`,
    );
  if (meta.ctc.frameHopMs !== (CHUNK_SAMPLES / FRONT_END_RATE) * 1000)
    throw new Error(`${dir}/meta.json: ctc.frameHopMs ${meta.ctc.frameHopMs} is not the front end's 80 ms`);
}

/** meta.json's ctc block for a model built by buildStringModel with `receptiveFieldFrames`. */
export function stringModelCtcMeta(receptiveFieldFrames: number): StringModelCtcMeta {
  return {
    kind: 'digit-strings',
    blank: STRING_BLANK,
    classes: STRING_CLASSES,
    frameHopMs: (CHUNK_SAMPLES / FRONT_END_RATE) * 1000,
    receptiveFieldFrames,
  };
}

/** labels.json of a string model: the digits, then the blank. */
export const STRING_LABELS: readonly string[] = Object.freeze([
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  'blank',
]);
