import { connect, filter, map, merge, tap, type Observable } from 'rxjs';
import type { FeatureConfig } from '@digits/features';
import { EMBEDDING_CUT, type UtteranceCut } from '@digits/model';
import type {
  ErrorMessage,
  LevelMessage,
  PredictionMessage,
  SpectrogramMessage,
  SpeechMessage,
} from '@digits/protocol';
import {
  speechPipeline,
  type AudioChunk,
  type SpeechDetectorConfig,
  type SpeechPipelineEvent,
  type Utterance,
  type UtteranceEvent,
} from '@digits/stream';
import type { Classifier, ClassifierInfo } from '../classifier/classifier';
import { classifyUtterances, type PredictionTimings } from './classify-utterances';
import { spectrogramColumns } from './spectrogram-columns';

/**
 * How the live pipeline cuts utterances for a classifier: the model's own cut (@digits/model's
 * Recognizer.cut, which enrolment and the benchmarks use too); for a classifier that does not give one,
 * the speech-embedding cut by input kind, else the cut's defaults.
 */
export function cutOverrides(info: Pick<ClassifierInfo, 'inputKind' | 'cut'>): UtteranceCut | undefined {
  return info.cut ?? (info.inputKind === 'embedding' ? EMBEDDING_CUT : undefined);
}

/** What the live pipeline emits: protocol messages, ready to broadcast. */
export type LiveMessage = LevelMessage | SpeechMessage | PredictionMessage | SpectrogramMessage | ErrorMessage;

/** Options of livePipeline. */
export interface LivePipelineOptions {
  /** The model's features: utterances are resampled to its sampleRate; the spectrogram uses its nMels and hop. */
  featureConfig: FeatureConfig;
  /** Confidence below which a prediction's digit is null, 0..1. Default 0.5. */
  threshold?: number | (() => number);
  /** Overrides of the speech detector's defaults (DEFAULT_SPEECH_DETECTOR_CONFIG). */
  detector?: Partial<SpeechDetectorConfig>;
  /** Level messages per second of stream time. Default 20. */
  levelsPerSecond?: number;
  /** Stream time per spectrogram message, in ms. Default 100. */
  spectrogramIntervalMs?: number;
  /** Called with each prediction's timings (benchmarks). */
  onTimings?: (timings: PredictionTimings) => void;
  /** Called with each utterance just before it goes to the classifier (enrolment takes). The classifier
   * may take its samples' buffer right after: copy what you keep, synchronously. */
  onUtterance?: (utterance: Utterance) => void;
}

/**
 * The live recognizer from audio chunks to dashboard messages, all from one subscription to `chunks$`:
 *
 * ```
 * chunks$ ──┬─ speechPipeline ──┬─ level, speech ─────────────────────────────┬──> messages
 *           │                   └─ utterance ─ classifyUtterances (worker) ───┤    (level, speech, prediction,
 *           └─ spectrogramColumns ────────────────────────────────────────────┘     spectrogram, error)
 * ```
 *
 * Completes once the source has completed and every prediction has been emitted.
 */
export function livePipeline(
  chunks$: Observable<AudioChunk>,
  classifier: Classifier,
  options: LivePipelineOptions,
): Observable<LiveMessage> {
  const { featureConfig } = options;
  if (classifier.info.featureConfig.sampleRate !== featureConfig.sampleRate) {
    throw new Error(
      `livePipeline: the classifier expects ${classifier.info.featureConfig.sampleRate} Hz, featureConfig says ${featureConfig.sampleRate} Hz`,
    );
  }
  const speech = (source: Observable<AudioChunk>) =>
    speechPipeline(source, {
      targetSampleRate: featureConfig.sampleRate,
      detector: options.detector,
      cut: cutOverrides(classifier.info),
      levelsPerSecond: options.levelsPerSecond,
    });
  const classify = classifyUtterances(classifier, { threshold: options.threshold, onTimings: options.onTimings });
  const spectrogram = spectrogramColumns(featureConfig, { intervalMs: options.spectrogramIntervalMs });
  return chunks$.pipe(
    connect((shared$) =>
      merge(
        speech(shared$).pipe(
          connect((events$) =>
            merge(
              events$.pipe(filter((e): e is LevelMessage | SpeechMessage => e.type !== 'utterance')),
              events$.pipe(
                filter((e: SpeechPipelineEvent): e is UtteranceEvent => e.type === 'utterance'),
                map((e) => e.utterance),
                tap((u) => options.onUtterance?.(u)),
                classify,
              ),
            ),
          ),
        ),
        shared$.pipe(spectrogram),
      ),
    ),
  );
}
