import { connect, filter, map, merge, mergeMap, type Observable } from 'rxjs';
import type { LevelMessage, SpeechMessage } from '@digits/protocol';
import { audioLevel } from './audio-level';
import { cutUtterances } from './cut-utterances';
import { detectSpeech } from './detect-speech';
import { frameAudio } from './frame-audio';
import { throttleLevel } from './throttle-level';
import type { AudioChunk, CutUtterancesConfig, SpeechDetectorConfig, Utterance } from './types';

/** Options of speechPipeline; only targetSampleRate is required. */
export interface SpeechPipelineOptions {
  /** Sample rate of the emitted utterances, in Hz: the model's FeatureConfig.sampleRate (usually 22,050). */
  targetSampleRate: number;
  /** Overrides of DEFAULT_SPEECH_DETECTOR_CONFIG. */
  detector?: Partial<SpeechDetectorConfig>;
  /** Overrides of DEFAULT_CUT_UTTERANCES_CONFIG (band rate, trimming). */
  cut?: Partial<Omit<CutUtterancesConfig, 'targetSampleRate'>>;
  /** Frame length in ms; default 10. */
  frameMs?: number;
  /** Level messages per second of stream time; default 20. */
  levelsPerSecond?: number;
}

/** An utterance cut from the stream, ready for featurisation and classification. */
export interface UtteranceEvent {
  type: 'utterance';
  utterance: Utterance;
}

/** What speechPipeline emits: protocol `level` and `speech` messages (ready to send) and utterances. */
export type SpeechPipelineEvent = LevelMessage | SpeechMessage | UtteranceEvent;

/**
 * The live pipeline up to the classifier: frames the chunks, measures the level (throttled for the
 * dashboard), detects speech and cuts utterances, all from one subscription to `source$` (multicast
 * with `connect`, so a cold source is read once). A `speech` start message carries the detector's onset
 * (first speech frame); each end message carries the utterance's trimmed end (its endMs) and is followed
 * at once by that `utterance`. Levels are RMS/peak of 1/levelsPerSecond windows of stream time.
 *
 * ```
 * chunks:          --c--c--c--c--c--c--c--c--c--c--|
 * speechPipeline:  --L-----L--S--L-----L--S(U)--L--|   L level, S speech start/end, U utterance
 * ```
 *
 * @example
 * speechPipeline(micChunks$, { targetSampleRate: featureConfig.sampleRate }).subscribe((e) => {
 *   if (e.type === 'utterance') classifier.post(e.utterance.samples);
 *   else ws.send(JSON.stringify(e));
 * });
 */
export function speechPipeline(
  source$: Observable<AudioChunk>,
  options: SpeechPipelineOptions,
): Observable<SpeechPipelineEvent> {
  // Operators are built (and their configs checked) now, so bad options throw here.
  const levels = throttleLevel(options.levelsPerSecond ?? 20);
  const detect = detectSpeech(options.detector);
  const cut = cutUtterances({ ...options.cut, targetSampleRate: options.targetSampleRate });
  return source$.pipe(
    frameAudio(options.frameMs ?? 10),
    connect((frames$) =>
      merge(
        frames$.pipe(
          audioLevel(),
          levels,
          map((l): LevelMessage => ({ type: 'level', rmsDbfs: l.rmsDbfs, peakDbfs: l.peakDbfs, tMs: l.tMs })),
        ),
        frames$.pipe(
          detect,
          connect((events$) =>
            merge(
              events$.pipe(
                filter((e) => e.type === 'start'),
                map((e): SpeechMessage => ({ type: 'speech', state: 'start', tMs: e.tMs })),
              ),
              // The end message carries the trimmed end, so it agrees with the utterance that follows it.
              events$.pipe(
                cut,
                mergeMap((utterance): [SpeechMessage, UtteranceEvent] => [
                  { type: 'speech', state: 'end', tMs: utterance.endMs },
                  { type: 'utterance', utterance },
                ]),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
