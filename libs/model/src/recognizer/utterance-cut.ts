// How an utterance is cut for a model: the trim a live segmenter (libs/stream's cutUtterance) and an
// enrolment take use, as overrides of the cut's defaults. It travels with the model (Recognizer.cut), so the
// live app, enrolment and the benchmarks cut the same way for the same model.
import { z } from 'zod';
import type { InputKind } from '../model-inputs';
import type { ModelMeta } from '../io/model-dir';

/** Overrides of libs/stream's trim defaults (DEFAULT_CUT_UTTERANCES_CONFIG: 10 ms kept each side, 6 dB above the noise floor). */
export const UtteranceCutSchema = z
  .object({
    /** Audio kept before the first loud window, in ms. */
    trimKeepMs: z.number().min(0).max(1000).optional(),
    /** Audio kept after the last loud window, in ms. */
    trimKeepEndMs: z.number().min(0).max(1000).optional(),
    /** A window is loud when it is this many dB above the stream's noise floor (and within trimTopDb of the peak). */
    trimAboveFloorDb: z.number().min(0).max(60).optional(),
  })
  .strict();
export type UtteranceCut = z.infer<typeof UtteranceCutSchema>;

/**
 * A speech-embedding model keeps 60 ms after the last loud window: in noise the trim drops weak final
 * consonants (the "t" of "eight") with the windows under the noise floor; the embedding, pooled around the
 * energy centre, wants them and does not mind the extra noise. Chosen on the official fold's held-out takes
 * in 20 dB white noise (model 6: 95.5% with 10 ms, 97.5% with 60, 96-97.5% for 40-150;
 * `apps/live/bench/live-steps.ts --folds official`).
 */
export const EMBEDDING_CUT: Readonly<UtteranceCut> = Object.freeze({ trimKeepEndMs: 60 });

/**
 * Model 5 (log-mel CNN, clips padded at the end, so position-sensitive) is cut at its first loud window, and a
 * window counts as loud from 3 dB above the noise floor: in noise the default cut started up to 90 ms late or
 * kept 10 ms of noise first. Chosen on models/model5's 600 held-out takes of its random split (16 kHz stream,
 * `live-steps.ts --models models/model5 --folds test-split --clips-per-fold 600`): clean / 30 dB / 20 dB
 * 99.3 / 98.8 / 95.5% with the default cut, 99.0 / 98.8 / 97.8% with this one (span, the clip's own samples
 * in the stream: 99.3 / 98.8 / 97.0%); at 48 kHz on the same takes 99.5 / 99.0 / 96.8% against 99.3 / 99.3 / 98.0%.
 */
export const MODEL5_CUT: Readonly<UtteranceCut> = Object.freeze({ trimKeepMs: 0, trimAboveFloorDb: 3 });

/**
 * The cut of a model: meta.json's `cut` when it has one (checked), else the one measured for its kind
 * (EMBEDDING_CUT, MODEL5_CUT for experiment 5), else none (the stream's defaults). `source` names the file
 * in errors.
 */
export function utteranceCut(inputKind: InputKind, meta: ModelMeta, source = 'meta.json'): UtteranceCut {
  const declared = (meta as { cut?: unknown }).cut;
  if (declared !== undefined) {
    const r = UtteranceCutSchema.safeParse(declared);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new Error(`${source}: field "cut${issue.path.map((p) => `.${String(p)}`).join('')}": ${issue.message}`);
    }
    return r.data;
  }
  if (inputKind === 'embedding') return { ...EMBEDDING_CUT };
  if (inputKind === 'logmel' && Number((meta as { experiment?: unknown }).experiment) === 5) return { ...MODEL5_CUT };
  return {};
}
