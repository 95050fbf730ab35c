import type * as tf from '@tensorflow/tfjs';
import type { Clip } from '@digits/dataset';
import type { ClipInput } from '@digits/features';
import { trainEmbeddingHead } from '@digits/model';
import { embedClips, loadSpeechFrontEnd, POOLED_DIM, type SpeechFrontEnd } from '@digits/speech-embedding';
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
  /** Called with each fold's trained head (11 outputs with unknowns) before it is measured. */
  onTrained?: (model: tf.LayersModel, classes: number, fold: ProtocolFold<Clip>) => Promise<void>;
}

/** Pooled vectors of clips (cached), with a progress bar; failed clips are named and left out. */
async function vectorsOf(
  fe: SpeechFrontEnd,
  label: string,
  clips: readonly ClipInput[],
  opts: EmbeddingTrainerOptions,
  augmentSeed: number | null,
) {
  const bar = startProgress(`embeddings: ${label}`, clips.length);
  const e = await embedClips(fe, clips, {
    cacheDir: opts.cacheDir,
    augment: augmentSeed === null ? null : { seed: augmentSeed },
    onProgress: (done) => bar.update(done),
  });
  bar.stop();
  for (const f of e.failed) opts.log(`embeddings: skipped ${f.name}: ${f.reason}`);
  const byIndex = new Map(e.rows.map((r, k) => [r, e.vectors.subarray(k * POOLED_DIM, (k + 1) * POOLED_DIM)]));
  return byIndex;
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
    }
    extra.forEach((c, i) => add(extraVectors.get(i), c.digit));
    unknownTrain?.clips.forEach((_, i) => {
      add(unknownTrainVectors.get(i), UNKNOWN_CLASS);
      add(unknownTrainAug.get(i), UNKNOWN_CLASS);
    });
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
