import { catchError, defer, from, map, mergeMap, of, type OperatorFunction } from 'rxjs';
import type { ErrorMessage, PredictionMessage } from '@digits/protocol';
import type { Utterance } from '@digits/stream';
import type { Classification, Classifier } from '../classifier/classifier';

/** Options of classifyUtterances. */
export interface ClassifyUtterancesOptions {
  /** Below this top probability the prediction's digit is null (the recognizer declines), 0..1. Default 0.5. */
  threshold?: number | (() => number);
  /** Called with each utterance's timings just before its prediction is emitted (benchmarks, logs). */
  onTimings?: (timings: PredictionTimings) => void;
  /** Wall clock in ms; default performance.now (tests pass a fake). */
  now?: () => number;
}

/** Where the time of one prediction went. */
export interface PredictionTimings extends Classification {
  /** Stream ms from the end of speech (the detector's last speech frame) to its decision: the hangover. */
  decisionMs: number;
  /** Wall ms from the utterance leaving the detector to the prediction being emitted (queue, worker). */
  processingMs: number;
  /** Part of processingMs spent waiting for earlier utterances' classifications (the classifier works in
   * order, one at a time): 0 in real time; large when a --fast file brings utterances faster than that. */
  queueMs: number;
  /** decisionMs + processingMs: the prediction's latencyMs. */
  latencyMs: number;
}

/** The default confidence threshold of `--threshold`. */
export const DEFAULT_THRESHOLD = 0.5;

/** The prediction message for one utterance: top digit (or null below `threshold`), its probability, all ten. */
export function predictionMessage(
  utterance: Utterance,
  probs: number[],
  threshold: number,
  latencyMs: number,
): PredictionMessage {
  let best = 0;
  for (let d = 1; d < probs.length; d++) if (probs[d] > probs[best]) best = d;
  const clamp = (p: number) => (Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0);
  const confidence = clamp(probs[best]);
  return {
    type: 'prediction',
    digit: confidence >= threshold ? best : null,
    confidence,
    probs: probs.map(clamp),
    startMs: Math.max(0, utterance.startMs),
    endMs: Math.max(0, utterance.startMs, utterance.endMs),
    latencyMs: Math.max(0, latencyMs),
  };
}

/**
 * Classifies each utterance with `classifier` (in its worker thread) and emits its `prediction` message,
 * in utterance order (the classifier answers in order). A failed classification becomes an `error`
 * message rather than ending the stream. Completes when the input has completed and every pending
 * classification has answered, so "every prediction sent" is simply completion.
 *
 * latencyMs = stream ms from the end of speech (utterance.speechEndMs, the detector's last speech frame,
 * not the trimmed endMs) to the detector's decision (endDetectedAtMs, i.e. the hangover), plus wall ms from the decision reaching this operator to the
 * prediction being emitted. For a live source that is "end of speech to message"; for a `--fast` file,
 * whose stream time runs ahead of the wall clock, it is still hangover + processing.
 *
 * ```
 * utterances:          --u-------v------|
 * classifyUtterances:  -----P-------Q---|      P, Q: prediction messages (or error messages)
 * ```
 */
export function classifyUtterances(
  classifier: Classifier,
  options: ClassifyUtterancesOptions = {},
): OperatorFunction<Utterance, PredictionMessage | ErrorMessage> {
  const given = options.threshold ?? DEFAULT_THRESHOLD;
  if (typeof given === 'number' && !(given >= 0 && given <= 1))
    throw new RangeError(`threshold must be in 0..1, got ${given}`);
  // A function follows the model in use (a personal model brings its own unknown threshold).
  const threshold = () => {
    const t = typeof given === 'number' ? given : given();
    return t >= 0 && t <= 1 ? t : DEFAULT_THRESHOLD;
  };
  const now = options.now ?? (() => performance.now());
  return (source) =>
    defer(() => {
      // When the latest classification answered. Answers come in order, so when one answers, this is
      // its predecessor's answer time: the classifier was busy with earlier work until then.
      let busyUntil = -Infinity;
      return source.pipe(
        mergeMap((utterance) => {
          const detectedAt = now();
          return defer(() => from(classifier.classify(utterance.samples, utterance.sampleRate))).pipe(
            map((result): PredictionMessage => {
              const doneAt = now();
              const queueMs = Math.min(doneAt - detectedAt, Math.max(0, busyUntil - detectedAt));
              busyUntil = doneAt;
              const decisionMs = Math.max(0, utterance.endDetectedAtMs - utterance.speechEndMs);
              const processingMs = doneAt - detectedAt;
              const latencyMs = decisionMs + processingMs;
              options.onTimings?.({ ...result, decisionMs, processingMs, queueMs, latencyMs });
              return predictionMessage(utterance, result.probs, threshold(), latencyMs);
            }),
            catchError((err: Error) =>
              of<ErrorMessage>({ type: 'error', message: err.message, code: 'classification-failed' }),
            ),
          );
        }),
      );
    });
}
