import type * as tf from '@tensorflow/tfjs';
import type { Clip } from '@digits/dataset';
import type { ClipInput } from '@digits/features';
import { trainEmbeddingHead } from '@digits/model';
import type { RoomPart } from '@digits/acoustics';
import { decodeWav, encodeWav16 } from '@digits/dsp';
import {
  backgroundAlone,
  embedClips,
  loadSpeechFrontEnd,
  nameSeed,
  POOLED_DIM,
  toFrontEndRate,
  type EmbedClipsOptions,
  type SpeechFrontEnd,
} from '@digits/speech-embedding';
import type { FoldClassifier, ProtocolFold } from '../protocols/protocols';
import { digitDecisions } from '../model5/model5-fold-trainer';
import { readUnknowns, UNKNOWN_CLASS } from '../model5/unknown-data';
import { foldUnknownRejection } from '../model5/unknown-rejection';
import { startProgress } from '../progress';

export interface EmbeddingTrainerOptions {
  seed: number;
  /** Head epochs (default 60). */
  epochs?: number;
  cacheDir: string | null;
  log: (line: string) => void;
  /** One augmented copy of every training clip (gain, noise, window alignment, centre error). Default true. */
  augment?: boolean;
  /** Clips added to every fold's training set (e.g. espeak-ng voices); never tested on. */
  extraTrain?: readonly Clip[];
  /** tools/unknowns folder: an unknown class trained on group a, rejection measured on group b. */
  unknownsDir?: string;
  /**
   * Room-augmented copies (@digits/acoustics training conditions: room, background at 0-30 dB, microphone
   * colouring, level) of every training clip and of the unknowns' group a, each copy drawn afresh; babble
   * backgrounds are made of `extraTrain` voices (never FSDD's, so no fold hears its held-out speaker). 0: none.
   */
  roomCopies?: number;
  /** Parts of the room training left out of every room copy (an ablation; see @digits/acoustics withoutParts). */
  roomsWithout?: readonly RoomPart[];
  /**
   * With room copies and unknowns: this many training backgrounds alone (no speech, in the copy's room) per
   * room copy, added to the unknown class, so a background a live detector cuts out is not taken for a digit.
   */
  roomBackgrounds?: number;
  /**
   * With room copies: one room copy of this many of `extraTrain` (every k-th, so every voice and digit), so the
   * synthetic voices are heard in rooms as digits too, not only as unknowns (the unknowns are synthetic words).
   */
  roomExtra?: number;
  /** Called with each fold's trained head (11 outputs with unknowns) before it is measured. */
  onTrained?: (model: tf.LayersModel, classes: number, fold: ProtocolFold<Clip>) => Promise<void>;
}

/** Pooled vectors of clips (cached), with a progress bar; failed clips are named and left out. */
async function vectorsOf(
  fe: SpeechFrontEnd,
  label: string,
  clips: readonly ClipInput[],
  opts: EmbeddingTrainerOptions,
  augment: number | EmbedClipsOptions['augment'],
) {
  const bar = startProgress(`embeddings: ${label}`, clips.length);
  const e = await embedClips(fe, clips, {
    cacheDir: opts.cacheDir,
    augment: typeof augment === 'number' ? { seed: augment } : augment,
    onProgress: (done) => bar.update(done),
  });
  bar.stop();
  for (const f of e.failed) opts.log(`embeddings: skipped ${f.name}: ${f.reason}`);
  const byIndex = new Map(e.rows.map((r, k) => [r, e.vectors.subarray(k * POOLED_DIM, (k + 1) * POOLED_DIM)]));
  return byIndex;
}

/** Up to 200 of the extra voices' clips at the front end's rate (every k-th, in order), as a babble pool. */
function babbleClips(extra: readonly Clip[]): { name: string; samples: Float32Array }[] {
  const step = Math.max(1, Math.ceil(extra.length / 200));
  const out: { name: string; samples: Float32Array }[] = [];
  for (let i = 0; i < extra.length; i += step) {
    try {
      const w = decodeWav(extra[i].bytes, extra[i].name);
      out.push({ name: extra[i].name, samples: toFrontEndRate(w.samples, w.sampleRate) });
    } catch {
      // An unreadable clip is named when the extra voices are embedded; here it is just not babble.
    }
  }
  return out;
}

/**
 * A protocol training callback for the speech-embedding model. Every clip is embedded once (and cached),
 * plain and as one augmented copy; each fold trains a fresh head on its training clips' vectors (+ extra
 * voices, + unknowns as an 11th class) and predicts its test clips' plain vectors.
 */
export async function embeddingFoldTrainer(allClips: readonly Clip[], opts: EmbeddingTrainerOptions) {
  const fe = await loadSpeechFrontEnd();
  const augment = opts.augment ?? true;
  const plain = await vectorsOf(fe, 'clips', allClips, opts, null);
  const augmented = augment
    ? await vectorsOf(fe, 'clips, augmented', allClips, opts, opts.seed)
    : new Map<number, Float32Array>();
  const extra = opts.extraTrain ?? [];
  const extraVectors = extra.length
    ? await vectorsOf(fe, 'extra voices', extra, opts, null)
    : new Map<number, Float32Array>();
  const unknownTrain = opts.unknownsDir ? readUnknowns(opts.unknownsDir, 'a') : undefined;
  const unknownTest = opts.unknownsDir ? readUnknowns(opts.unknownsDir, 'b') : undefined;
  const unknownTrainVectors = unknownTrain
    ? await vectorsOf(fe, 'unknowns (group a)', unknownTrain.clips, opts, null)
    : new Map<number, Float32Array>();
  const unknownTrainAug =
    unknownTrain && augment
      ? await vectorsOf(fe, 'unknowns (group a), augmented', unknownTrain.clips, opts, opts.seed)
      : new Map<number, Float32Array>();
  // Room copies: seeds apart from the plain augmented copy's; babble from at most 200 of the extra voices.
  const roomCopies = opts.roomCopies ?? 0;
  const babblePool = roomCopies > 0 ? babbleClips(extra) : [];
  const rooms = opts.roomsWithout?.length ? { without: [...opts.roomsWithout] } : {};
  const roomAugment = (k: number) => ({
    seed: opts.seed + 1000 * (k + 1),
    options: { rooms },
    pools: { babble: babblePool.map((b) => b.samples) },
    poolsKey: `extra-train:${babblePool.length}:${nameSeed(babblePool.map((b) => b.name).join(','))}`,
  });
  const roomVectors: Map<number, Float32Array>[] = [];
  const unknownRoomVectors: Map<number, Float32Array>[] = [];
  for (let k = 0; k < roomCopies; k++) {
    roomVectors.push(await vectorsOf(fe, `clips, room copy ${k + 1}`, allClips, opts, roomAugment(k)));
    if (unknownTrain)
      unknownRoomVectors.push(
        await vectorsOf(fe, `unknowns (group a), room copy ${k + 1}`, unknownTrain.clips, opts, roomAugment(k)),
      );
  }
  // Room copies of some extra voices (copy 1's seed): without them only the unknowns' synthetic voices are
  // ever heard in a room, and "synthetic voice in a room" can stand in for "not a digit".
  const extraRoomVectors = new Map<number, Float32Array>();
  if (roomCopies > 0 && (opts.roomExtra ?? 0) > 0 && extra.length) {
    const step = Math.max(1, Math.floor(extra.length / opts.roomExtra!));
    const picked = extra.flatMap((c, i) => (i % step === 0 ? [i] : [])).slice(0, opts.roomExtra);
    const v = await vectorsOf(
      fe,
      'extra voices, room copy',
      picked.map((i) => extra[i]),
      opts,
      roomAugment(0),
    );
    for (const [k, vec] of v) extraRoomVectors.set(picked[k], vec);
  }
  // Backgrounds alone for the unknown class, made once per run (deterministic, so their vectors are cached).
  const backgroundVectors: Float32Array[] = [];
  const nBackgrounds = unknownTrain && roomCopies > 0 ? (opts.roomBackgrounds ?? 0) : 0;
  if (nBackgrounds > 0) {
    const pools = { babble: babblePool.map((b) => b.samples) };
    const clips: ClipInput[] = [];
    for (let k = 0; k < roomCopies; k++)
      for (let i = 0; i < nBackgrounds; i++) {
        const x = backgroundAlone(opts.seed + 1000 * (k + 1) + 7 * i + 3, rooms, pools);
        if (x) clips.push({ name: `background/${k}/${i}.wav`, bytes: encodeWav16(x, 16000) });
      }
    const v = await vectorsOf(fe, 'backgrounds alone (unknown)', clips, opts, null);
    backgroundVectors.push(...v.values());
  }
  const unknownTestVectors = unknownTest
    ? await vectorsOf(fe, 'unknowns (group b)', unknownTest.clips, opts, null)
    : new Map<number, Float32Array>();
  await fe.release();
  const classes = unknownTrain ? 11 : 10;
  const rowOf = new Map(allClips.map((c, i) => [c.name, i]));

  return async (
    train: readonly Clip[],
    fold: ProtocolFold<Clip>,
  ): Promise<FoldClassifier<Clip> & { model: tf.LayersModel }> => {
    const rows: Float32Array[] = [];
    const labels: number[] = [];
    const add = (v: Float32Array | undefined, y: number) => {
      if (v) {
        rows.push(v);
        labels.push(y);
      }
    };
    for (const c of train) {
      const i = rowOf.get(c.name)!;
      add(plain.get(i), c.digit);
      add(augmented.get(i), c.digit);
      for (const r of roomVectors) add(r.get(i), c.digit);
    }
    extra.forEach((c, i) => {
      add(extraVectors.get(i), c.digit);
      add(extraRoomVectors.get(i), c.digit);
    });
    unknownTrain?.clips.forEach((_, i) => {
      add(unknownTrainVectors.get(i), UNKNOWN_CLASS);
      add(unknownTrainAug.get(i), UNKNOWN_CLASS);
      for (const r of unknownRoomVectors) add(r.get(i), UNKNOWN_CLASS);
    });
    for (const v of backgroundVectors) add(v, UNKNOWN_CLASS);
    const x = new Float32Array(rows.length * POOLED_DIM);
    rows.forEach((r, k) => x.set(r, k * POOLED_DIM));
    const model = await trainEmbeddingHead(x, Int32Array.from(labels), POOLED_DIM, {
      classes,
      seed: opts.seed,
      epochs: opts.epochs,
    });
    await opts.onTrained?.(model, classes, fold);
    const probsOf = async (vectors: (Float32Array | undefined)[]) => {
      const tf = await import('@tensorflow/tfjs');
      const xs = new Float32Array(vectors.length * POOLED_DIM);
      vectors.forEach((v, k) => {
        if (v) xs.set(v, k * POOLED_DIM);
      });
      const y = tf.tidy(() => model.predict(tf.tensor2d(xs, [vectors.length, POOLED_DIM])) as tf.Tensor);
      const out = (await y.data()) as Float32Array;
      y.dispose();
      return out;
    };
    const testVectors = (test: readonly Clip[]) => test.map((c) => plain.get(rowOf.get(c.name)!));
    const decide = async (test: readonly Clip[]) => {
      const vs = testVectors(test);
      const d = digitDecisions(await probsOf(vs), classes);
      // A clip the front end could not read has no answer: it counts as wrong.
      vs.forEach((v, k) => {
        if (!v) d.digit[k] = -1;
      });
      return d;
    };
    return {
      model,
      predict: async (test) => (await decide(test)).digit,
      unknownRejection: unknownTest
        ? async (test) => {
            const d = await decide(test);
            const u = digitDecisions(
              await probsOf(unknownTest.clips.map((_, i) => unknownTestVectors.get(i))),
              classes,
            );
            return foldUnknownRejection(test, d, u, unknownTest.entries);
          }
        : undefined,
      dispose: () => model.dispose(),
    };
  };
}
