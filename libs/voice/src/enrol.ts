// Few-shot enrolment of one voice: the base network is kept as it is up to its classifier (the last Dense
// softmax layer), and only that layer is fine-tuned on the voice's takes (each with seeded augmented copies),
// with a pull toward the base weights so that voices the base already knew keep their answers. The result is
// an ordinary model folder: the same topology, the same features.json, other weights in the last layer.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { encodeWav16, resample, seededUniform } from '@digits/dsp';
import { clipLogMel, padClip, type FeatureConfig } from '@digits/features';
import {
  frontEndDir,
  initBackend,
  loadModelDir,
  predictProbs,
  saveModelDir,
  toModelInputs,
  type LoadedModel,
  type UtteranceCut,
  utteranceCut,
} from '@digits/model';
import { augmentForEmbedding, loadSpeechFrontEnd, nameSeed, type SpeechFrontEnd } from '@digits/speech-embedding';
import { checkTake, speechSpan, type EnrolTake } from './take-check';
import type { EnrolmentMeta } from './voice-dirs';

export interface EnrolOptions {
  /** The model folder to adapt (any model the recognizer loads). */
  baseModelDir: string;
  takes: readonly EnrolTake[];
  /** The personal model folder to write. */
  outDir: string;
  /** Replace outDir if it exists (default false: an existing folder is an error). */
  overwrite?: boolean;
  /** Recorded in meta.json; its a-z, 0-9 and - name the stored takes (default: outDir's base name). */
  voiceName?: string;
  /** Seeds the augmentation (default 33). */
  seed?: number;
  /** Usable takes needed of every digit (default 1). */
  minTakesPerDigit?: number;
  onProgress?: (done: number, total: number) => void;
  /** Overrides of ENROL_SETTINGS, for experiments (bench/tune-enrol); recorded in meta.json. */
  settings?: Partial<EnrolSettings>;
}

export interface EnrolResult {
  outDir: string;
  /** Names of the takes the model was adapted on. */
  takesUsed: string[];
  /** Takes left out (unusable audio), with the reason. */
  rejected: { name: string; reason: string }[];
  /** Compute seconds (featurising, fine-tuning, writing). */
  seconds: number;
  /** How the model was adapted. */
  method: string;
}

/** The enrolment recipe; written to meta.json as `settings`. */
export const ENROL_SETTINGS = Object.freeze({
  /** Copies of each take the head is trained on: the take itself, then seeded augmented copies. */
  copies: 8,
  /** The same for a speech-embedding model (its front end costs about 4 times a log-mel per copy; 8 chosen
   * over 4 by bench-enrol's nested selection, at about 8.5 s of CPU for 30 takes). */
  embeddingCopies: 8,
  /** Gain (dB, either way), white-noise SNR (dB) and the embedding's offset/centre jitter: the embedding recipe. */
  gainDb: 6,
  snrDb: [15, 35] as [number, number],
  centreErrorMs: 60,
  /** Speed (and pitch) change, as a fraction either way. */
  speed: 0.05,
  /** Silence (s) put before a log-mel model's take: up to this much (the segmenter's cut varies). */
  maxLeadSeconds: 0.05,
  /** Full-batch Adam steps and learning rate on the head. */
  steps: 120,
  learningRate: 0.01,
  /** Weight of the pull toward the base: loss = cross-entropy + pull * |dV|^2 (see fineTuneHead). */
  pull: 0.03,
});

export type EnrolSettings = {
  -readonly [K in keyof typeof ENROL_SETTINGS]: (typeof ENROL_SETTINGS)[K] extends number
    ? number
    : (typeof ENROL_SETTINGS)[K];
};

const METHOD = 'head-finetune';

/** The rate live audio is band-limited to before any model rate (FSDD's; as the live app's cutUtterances). */
const BAND_RATE = 8000;

/**
 * Adapts `baseModelDir` to the voice of `takes` and writes the personal model to `outDir` (atomically), with the
 * takes as 16-bit WAVs under `takes/` and meta.json recording the base, the takes and the settings.
 * Throws, before anything is computed, when outDir exists (without overwrite), when a digit lacks
 * minTakesPerDigit usable takes (naming the digits and every rejected take), or when the base cannot be adapted.
 */
export async function enrolVoice(opts: EnrolOptions): Promise<EnrolResult> {
  const t0 = performance.now();
  const outDir = path.resolve(opts.outDir);
  const baseDir = path.resolve(opts.baseModelDir);
  const voiceName = opts.voiceName ?? path.basename(outDir);
  const fileVoice =
    voiceName
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .slice(0, 40) || 'voice';
  if (outDir === baseDir) throw new Error(`${outDir}: the personal model cannot replace its own base model`);
  if (fs.existsSync(outDir) && !opts.overwrite)
    throw new Error(`${outDir} already exists; choose another folder or allow overwriting it (--force)`);
  const seed = opts.seed ?? 33;
  const minPerDigit = opts.minTakesPerDigit ?? 1;
  if (!Number.isInteger(minPerDigit) || minPerDigit < 1)
    throw new Error(`minTakesPerDigit must be a whole number >= 1, got ${minPerDigit}`);

  const { usable, rejected } = sortTakes(opts.takes, minPerDigit);
  await initBackend({ log: () => {} });
  const base = await loadModelDir(baseDir);
  // Takes are trimmed with the cut the live app uses for this model (Recognizer.cut).
  const cut = utteranceCut(base.inputKind, base.meta, `${baseDir}/meta.json`);
  let frontEnd: SpeechFrontEnd | null = null;
  try {
    const head = findHead(base, baseDir);
    const classOf = digitColumns(base.labels, baseDir);
    if (base.features.kind === 'speech-embedding') frontEnd = await openFrontEnd(base, baseDir);
    const s: EnrolSettings = { ...ENROL_SETTINGS, ...opts.settings };
    const copies = frontEnd ? s.embeddingCopies : s.copies;
    const total = usable.length * copies + s.steps;
    let done = 0;
    const tick = () => opts.onProgress?.(++done, total);

    // Network inputs of every copy of every take, copy 0 being the take itself.
    const rows: Float32Array[] = [];
    const labels: number[] = [];
    for (let i = 0; i < usable.length; i++) {
      const take = usable[i];
      // Band-limited and trimmed as the live app cuts an utterance, then at the network's rate (resampled once:
      // resampling is most of the cost, and speed changes of a few percent are cheap at the higher rate).
      const atTarget = resample(
        trimToSpeech(atBandRate(take), cut),
        BAND_RATE,
        frontEnd ? 16000 : base.featureConfig.sampleRate,
      );
      for (let c = 0; c < copies; c++) {
        const rand = seededUniform(nameSeed(`${seed}:${i}:${c}`));
        rows.push(await networkInput(atTarget, c === 0 ? null : rand, base, frontEnd, s));
        labels.push(classOf[take.digit]);
        tick();
      }
      await new Promise((r) => setImmediate(r)); // stay responsive in a worker
    }
    const rowSize = rows[0].length;
    const x = new Float32Array(rows.length * rowSize);
    rows.forEach((r, k) => x.set(r, k * rowSize));

    // The classifier's inputs (the network up to its last Dense), computed once.
    const extractor = tf.model({ inputs: base.model.inputs, outputs: head.input });
    const kind = base.inputKind;
    const inputs = (start: number, n: number) =>
      toModelInputs(kind, { x, n: rows.length, rowSize }, start, n, base.featureConfig);
    const h = await predictProbs(extractor, inputs, rows.length, 32);
    const baseOut = await predictProbs(base.model, inputs, rows.length, 32);
    const dim = h.length / rows.length;
    const [w0, b0] = head.layer.getWeights();
    checkHeadReproducesOutput(h, dim, w0, b0, baseOut, base.labels.length, baseDir);

    const weights = await fineTuneHead(h, dim, Int32Array.from(labels), w0, b0, base.labels.length, tick, s);
    const clean = usable.map((_, i) => i * copies);
    const takeAccuracy = {
      base: accuracy(h, dim, labels, w0, b0, clean, base.labels.length),
      personal: accuracy(h, dim, labels, weights[0], weights[1], clean, base.labels.length),
    };
    head.layer.setWeights(weights);
    tf.dispose(weights);

    const takeFiles = storedTakeNames(usable, fileVoice);
    const seconds = (performance.now() - t0) / 1000;
    const enrolment: EnrolmentMeta = {
      baseModel: baseDir,
      baseTitle: typeof base.meta.title === 'string' ? base.meta.title : undefined,
      voiceName,
      createdAt: new Date().toISOString(),
      method: METHOD,
      takes: usable.map((t, i) => ({ file: `takes/${takeFiles[i]}`, digit: t.digit, source: t.name })),
      rejected,
      settings: { ...s, seed, minTakesPerDigit: minPerDigit, headLayer: head.layer.name, takeAccuracy },
      seconds: Number(seconds.toFixed(2)),
    };
    const files: Record<string, Uint8Array> = {
      'features.json': fs.readFileSync(path.join(baseDir, 'features.json')),
    };
    usable.forEach((t, i) => {
      files[`takes/${takeFiles[i]}`] = encodeWav16(t.samples, Math.round(t.sampleRate));
    });
    if (fs.existsSync(outDir) && !opts.overwrite) throw new Error(`${outDir} appeared while enrolling; not replaced`);
    await saveModelDir(base.model, outDir, {
      featureConfig: base.featureConfig,
      labels: base.labels,
      extra: {
        ...base.meta,
        title: `${base.meta.title ?? base.meta.name ?? base.meta.slug ?? path.basename(baseDir)}, enrolled for ${voiceName}`,
        enrolment,
      },
      files,
    });
    return {
      outDir,
      takesUsed: usable.map((t) => t.name),
      rejected,
      seconds: (performance.now() - t0) / 1000,
      method: METHOD,
    };
  } finally {
    base.model.dispose();
    await frontEnd?.release();
  }
}

/** Usable takes, and the rejected ones; throws when a digit has fewer than `minPerDigit` usable takes. */
function sortTakes(takes: readonly EnrolTake[], minPerDigit: number) {
  const usable: EnrolTake[] = [];
  const rejected: { name: string; reason: string }[] = [];
  for (const t of takes) {
    const why = checkTake(t);
    if (why) rejected.push({ name: t.name, reason: why });
    else usable.push(t);
  }
  const count = new Array<number>(10).fill(0);
  for (const t of usable) count[t.digit]++;
  const short = count.map((n, d) => ({ d, n })).filter((c) => c.n < minPerDigit);
  if (short.length > 0) {
    const what = short.map((c) => `${c.d} (${c.n})`).join(', ');
    const lines = [
      `${takes.length === 0 ? 'no takes given' : `not enough usable takes`}: every digit 0-9 needs at least ${minPerDigit}; ` +
        `digits short of that (usable takes): ${what}`,
      ...rejected.map((r) => `  rejected ${r.name}: ${r.reason}`),
    ];
    throw new Error(lines.join('\n'));
  }
  return { usable, rejected };
}

/** The classifier: the network's last Dense layer, which must be a softmax. */
function findHead(base: LoadedModel, dir: string): { layer: tf.layers.Layer; input: tf.SymbolicTensor } {
  const layer = [...base.model.layers].reverse().find((l) => l.getClassName() === 'Dense');
  if (!layer) throw new Error(`${dir}: the network has no Dense layer to adapt`);
  const activation = (layer.getConfig() as { activation?: unknown }).activation;
  if (activation !== 'softmax')
    throw new Error(`${dir}: its last Dense layer "${layer.name}" is not a softmax (${String(activation)})`);
  const input = layer.input;
  if (Array.isArray(input)) throw new Error(`${dir}: its last Dense layer "${layer.name}" is shared`);
  return { layer, input };
}

/** Output column of each digit 0-9 (labels.json must name all ten). */
function digitColumns(labels: readonly string[], dir: string): number[] {
  return Array.from({ length: 10 }, (_, d) => {
    const k = labels.indexOf(String(d));
    if (k < 0) throw new Error(`${dir}/labels.json: no label "${d}"; enrolment needs the ten digits`);
    return k;
  });
}

async function openFrontEnd(base: LoadedModel, dir: string): Promise<SpeechFrontEnd> {
  if (base.features.kind !== 'speech-embedding') throw new Error('not a speech-embedding model');
  const f = base.features.embedding;
  const frontEnd = await loadSpeechFrontEnd({ dir: frontEndDir(f) });
  const d = frontEnd.description;
  if (d.melSha256 !== f.melSha256 || d.embeddingSha256 !== f.embeddingSha256) {
    await frontEnd.release();
    throw new Error(`${dir}/features.json: its front end's files have other sha256s than ${frontEndDir(f)} holds`);
  }
  return frontEnd;
}

/** A take at 8 kHz, as the live app hands any microphone's audio to a model (FSDD's band). */
function atBandRate(take: EnrolTake): Float32Array {
  return take.sampleRate === BAND_RATE ? take.samples : resample(take.samples, take.sampleRate, BAND_RATE);
}

/**
 * The speech with the model's keeps either side (its cut: the live app trims an utterance with the same;
 * 10 ms each side by default). A take has no stream noise floor, so the cut's trimAboveFloorDb has nothing
 * to act on here.
 */
function trimToSpeech(samples: Float32Array, cut: UtteranceCut): Float32Array {
  const { start, end } = speechSpan(samples, BAND_RATE);
  const before = Math.round(((cut.trimKeepMs ?? 10) / 1000) * BAND_RATE);
  const after = Math.round(((cut.trimKeepEndMs ?? 10) / 1000) * BAND_RATE);
  return samples.slice(Math.max(0, start - before), Math.min(samples.length, end + after));
}

/**
 * One network input row of a take at the network's rate: as it is (rand null) or an augmented copy: a small
 * speed change, gain and white noise (the embedding recipe), and the timing jitter of each kind of model
 * (lead silence for a log-mel; the window offset and centre error for an embedding).
 */
async function networkInput(
  take: Float32Array,
  rand: (() => number) | null,
  base: LoadedModel,
  frontEnd: SpeechFrontEnd | null,
  s: EnrolSettings,
): Promise<Float32Array> {
  let audio = take;
  let jitter = { offset: 0, centreError: 0 };
  if (rand) {
    audio = changeSpeed(audio, 1 + (rand() * 2 - 1) * s.speed);
    const a = augmentForEmbedding(audio, Math.floor(rand() * 2 ** 32), {
      gainDb: s.gainDb,
      snrDb: s.snrDb,
      centreErrorMs: s.centreErrorMs,
    });
    audio = a.samples;
    jitter = { offset: a.offset, centreError: a.centreError };
  }
  if (frontEnd) return frontEnd.embedClip(audio, 16000, jitter);
  const config: FeatureConfig = base.featureConfig;
  if (rand) {
    const lead = Math.floor(rand() * s.maxLeadSeconds * config.sampleRate);
    const shifted = new Float32Array(lead + audio.length);
    shifted.set(audio, lead);
    audio = shifted;
  }
  const padded = padClip(audio, config);
  return base.inputKind === 'raw' ? padded : clipLogMel(padded, config);
}

/**
 * Plays `x` `factor` times as fast (pitch moving with it) by linear interpolation. Exact enough here: the
 * audio was band-limited to 4 kHz and sits at 16 kHz or more, and factors are within a few percent of 1.
 */
export function changeSpeed(x: Float32Array, factor: number): Float32Array {
  const n = Math.max(1, Math.floor((x.length - 1) / factor) + 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i * factor;
    const j = Math.floor(t);
    const f = t - j;
    out[i] = j + 1 < x.length ? x[j] * (1 - f) + x[j + 1] * f : x[Math.min(j, x.length - 1)];
  }
  return out;
}

/** Throws unless softmax(h W0 + b0) gives the network's outputs (its first `outputs` columns): else the head is not the last step. */
function checkHeadReproducesOutput(
  h: Float32Array,
  dim: number,
  w0: tf.Tensor,
  b0: tf.Tensor,
  baseOut: Float32Array,
  outputs: number,
  dir: string,
): void {
  const p = tf.tidy(() =>
    tf.softmax(tf.add(tf.matMul(tf.tensor2d(h, [h.length / dim, dim]), w0), b0)).arraySync(),
  ) as number[][];
  const n = h.length / dim;
  let worst = 0;
  for (let r = 0; r < n; r++)
    for (let k = 0; k < outputs; k++) worst = Math.max(worst, Math.abs(p[r][k] - baseOut[r * outputs + k]));
  if (worst > 1e-3)
    throw new Error(
      `${dir}: the network's output is not its last Dense layer's softmax (differs by ${worst.toFixed(4)}); cannot adapt it`,
    );
}

/**
 * Fine-tunes the head (kernel dim x units, bias) on rows h with labels, full batch, classes weighted equally.
 * The change is learnt on standardised inputs, z = (h - mean) / sd over the enrolment rows: logits =
 * h W0 + b0 + z dV + db, so one step moves every input dimension alike whatever its scale (a pooled embedding's
 * dimensions differ by orders of magnitude), and the pull |dV|^2 + |db|^2 bounds the change of the logits in
 * units of the inputs' spread. dV is folded back into the kernel at the end (W = W0 + dV / sd, b = b0 + db -
 * mean dV / sd). Output columns beyond `outputs` (model 5's "unknown") are left as they are. Returns [kernel, bias].
 */
async function fineTuneHead(
  h: Float32Array,
  dim: number,
  y: Int32Array,
  w0: tf.Tensor,
  b0: tf.Tensor,
  outputs: number,
  tick: () => void,
  s: EnrolSettings,
): Promise<[tf.Tensor, tf.Tensor]> {
  const n = y.length;
  const units = w0.shape[1] as number;
  const counts = new Map<number, number>();
  for (const c of y) counts.set(c, (counts.get(c) ?? 0) + 1);
  const weights = Float32Array.from(y, (c) => 1 / counts.get(c)! / counts.size);
  const { mean, sd } = columnStats(h, dim);
  const z = new Float32Array(h.length);
  for (let r = 0; r < n; r++) for (let j = 0; j < dim; j++) z[r * dim + j] = (h[r * dim + j] - mean[j]) / sd[j];
  const zT = tf.tensor2d(z, [n, dim]);
  const baseLogits = tf.tidy(() => tf.add(tf.matMul(tf.tensor2d(h, [n, dim]), w0), b0));
  const yT = tf.oneHot(tf.tensor1d(y, 'int32'), units);
  const wT = tf.tensor1d(weights);
  const dV = tf.variable(tf.zeros([dim, outputs]));
  const db = tf.variable(tf.zeros([outputs]));
  // Frozen columns (if any) get no change.
  const pad = (t: tf.Tensor, axis: number) =>
    units > outputs ? tf.concat([t, tf.zeros(axis === 1 ? [dim, units - outputs] : [units - outputs])], axis) : t;
  const optimizer = tf.train.adam(s.learningRate);
  for (let step = 0; step < s.steps; step++) {
    tf.tidy(() => {
      optimizer.minimize(() => {
        const logits = tf.add(baseLogits, tf.add(tf.matMul(zT, pad(dV, 1)), pad(db, 0)));
        const logp = tf.logSoftmax(logits);
        const ce = tf.neg(tf.sum(tf.mul(wT, tf.sum(tf.mul(yT, logp), 1))));
        const pull = tf.add(tf.sum(tf.square(dV)), tf.sum(tf.square(db)));
        return tf.add(ce, tf.mul(s.pull, pull)) as tf.Scalar;
      });
    });
    tick();
    if (step % 20 === 19) await new Promise((r) => setImmediate(r));
  }
  const out = tf.tidy(() => {
    const sdT = tf.tensor2d(sd, [dim, 1]);
    const dW = tf.div(pad(dV, 1), sdT);
    const kernel = tf.add(w0, dW);
    const bias = tf.sub(tf.add(b0, pad(db, 0)), tf.matMul(tf.tensor2d(mean, [1, dim]), dW).reshape([units]));
    return [kernel, bias] as [tf.Tensor, tf.Tensor];
  });
  optimizer.dispose();
  tf.dispose([zT, baseLogits, yT, wT, dV, db]);
  return out;
}

/** Per-column mean and standard deviation of n x dim rows; a column that barely varies gets a floor, not 0. */
function columnStats(x: Float32Array, dim: number): { mean: Float32Array; sd: Float32Array } {
  const n = x.length / dim;
  const mean = new Float32Array(dim);
  const v = new Float64Array(dim);
  for (let r = 0; r < n; r++) for (let j = 0; j < dim; j++) mean[j] += x[r * dim + j] / n;
  for (let r = 0; r < n; r++) for (let j = 0; j < dim; j++) v[j] += (x[r * dim + j] - mean[j]) ** 2 / n;
  let avg = 0;
  for (let j = 0; j < dim; j++) avg += v[j] / dim;
  const sd = Float32Array.from(v, (vj) => Math.sqrt(vj + 1e-4 * avg + 1e-12));
  return { mean, sd };
}

/** Share of `rows` whose top digit column (of the first `outputs`) under (w, b) is the label. */
function accuracy(
  h: Float32Array,
  dim: number,
  labels: number[],
  w: tf.Tensor,
  b: tf.Tensor,
  rows: number[],
  outputs: number,
): number {
  const logits = tf.tidy(() =>
    tf.add(tf.matMul(tf.tensor2d(h, [h.length / dim, dim]), w), b).arraySync(),
  ) as number[][];
  let right = 0;
  for (const r of rows) {
    const row = logits[r].slice(0, outputs);
    if (row.indexOf(Math.max(...row)) === labels[r]) right++;
  }
  return rows.length === 0 ? 0 : right / rows.length;
}

/** File names for the stored takes: `{digit}_{voice}_{k}.wav`, k counting each digit's takes from 0. */
function storedTakeNames(takes: readonly EnrolTake[], voice: string): string[] {
  const next = new Array<number>(10).fill(0);
  return takes.map((t) => `${t.digit}_${voice}_${next[t.digit]++}.wav`);
}
