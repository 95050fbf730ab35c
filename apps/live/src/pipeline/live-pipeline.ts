import { connect, filter, map, merge, mergeMap, tap, type Observable } from 'rxjs';
import type { FeatureConfig } from '@digits/features';
// The cut alone, not @digits/model's index: the main thread must not load tfjs (the worker does).
import { EMBEDDING_CUT, type UtteranceCut } from '@digits/model/utterance-cut';
import type {
  DigitsMessage,
  ErrorMessage,
  LevelMessage,
  PredictionMessage,
  SpectrogramMessage,
  SpeechMessage,
} from '@digits/protocol';
import {
  frameAudio,
  speechPipeline,
  type AudioChunk,
  type SpeechDetectorConfig,
  type SpeechPipelineEvent,
  type Utterance,
  type UtteranceEvent,
} from '@digits/stream';
import type { Classifier, ClassifierInfo } from '../classifier/classifier';
import { classifyUtterances, type PredictionTimings } from './classify-utterances';
import {
  digitStrings,
  STRING_DEFAULTS,
  STRING_RATE,
  type DigitStringsOptions,
  type StringInput,
} from './digit-strings';
import { spectrogramColumns } from './spectrogram-columns';
import { StreamResampler } from './stream-resampler';

/**
 * How the live pipeline cuts utterances for a classifier: the model's own cut (@digits/model's
 * Recognizer.cut, which enrolment and the benchmarks use too); for a classifier that does not give one,
 * the speech-embedding cut by input kind, else the cut's defaults.
 */
export function cutOverrides(info: Pick<ClassifierInfo, 'inputKind' | 'cut'>): UtteranceCut | undefined {
  return info.cut ?? (info.inputKind === 'embedding' ? EMBEDDING_CUT : undefined);
}

/** What the live pipeline emits: protocol messages, ready to broadcast. */
export type LiveMessage =
  LevelMessage | SpeechMessage | PredictionMessage | DigitsMessage | SpectrogramMessage | ErrorMessage;

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
  /** A digit-string model (classifier.info.recognizes 'strings'): the string hangover, maximum length, etc. */
  strings?: DigitStringsOptions;
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
  if (classifier.info.recognizes === 'strings') return stringPipeline(chunks$, classifier, options);
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

/**
 * livePipeline for a digit-string model: the detector gates (level and speech messages as for one digit),
 * and while a string is open its audio, at 16 kHz, streams to the model (digitStrings). The audio is framed
 * first so the detector's edges and the audio reach digitStrings in stream order. The detector's maximum
 * speech length is the maximum string length, so a string said without pauses is not cut at 1.5 s.
 *
 * ```
 * chunks$ ─ frames ─┬─ speechPipeline ─┬─ level, speech ─────────────────────────┬──> messages
 *                   │                  └─ speech edges ──┐                        │    (level, speech, prediction,
 *                   ├─ 16 kHz ───────────────────────────┴─ digitStrings (worker) ┤     digits, spectrogram, error)
 *                   └─ spectrogramColumns ────────────────────────────────────────┘
 * ```
 */
function stringPipeline(
  chunks$: Observable<AudioChunk>,
  classifier: Classifier,
  options: LivePipelineOptions,
): Observable<LiveMessage> {
  const open = classifier.openString?.bind(classifier);
  if (!open) throw new Error('livePipeline: this classifier recognises strings but cannot open a string stream');
  const strings = digitStrings(open, options.strings);
  const maxSpeechMs = options.strings?.maxStringMs ?? STRING_DEFAULTS.maxStringMs;
  const speech = (source: Observable<AudioChunk>) =>
    speechPipeline(source, {
      targetSampleRate: STRING_RATE,
      detector: { maxSpeechMs, ...options.detector },
      cut: cutOverrides({ inputKind: 'embedding' }),
      levelsPerSecond: options.levelsPerSecond,
    });
  const spectrogram = spectrogramColumns(options.featureConfig, { intervalMs: options.spectrogramIntervalMs });
  return chunks$.pipe(
    frameAudio(10),
    map((f): AudioChunk => ({ samples: f.samples, sampleRate: f.sampleRate })),
    connect((frames$) => {
      const resampler = new StreamResampler(STRING_RATE);
      const events$ = speech(frames$).pipe(filter((e): e is LevelMessage | SpeechMessage => e.type !== 'utterance'));
      return merge(
        events$.pipe(
          connect((ev$) =>
            merge(
              ev$,
              merge(
                ev$.pipe(
                  filter((e): e is SpeechMessage => e.type === 'speech'),
                  map((e): StringInput => ({ kind: 'speech', state: e.state, tMs: e.tMs })),
                ),
                frames$.pipe(
                  mergeMap((f) => resampler.push(f.samples, f.sampleRate)),
                  map((samples): StringInput => ({ kind: 'audio', samples })),
                ),
              ).pipe(strings),
            ),
          ),
        ),
        frames$.pipe(spectrogram),
      );
    }),
  );
}
