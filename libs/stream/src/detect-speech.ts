import { concatWith, defer, finalize, mergeMap, type OperatorFunction } from 'rxjs';
import { SpeechDetector } from './speech-detector';
import type { AudioFrame, SpeechDetectorConfig, SpeechEvent } from './types';

/**
 * Finds speech in a frame stream: energy and zero-crossing rate against an adaptive noise floor, with
 * pre-roll, hangover, a minimum and a maximum length (all in SpeechDetectorConfig, defaults in
 * DEFAULT_SPEECH_DETECTOR_CONFIG). Emits a `start` event once `minSpeechMs` of speech frames are seen,
 * and an `end` event carrying the whole utterance's frames (pre-roll, speech, hangover) once
 * `hangoverMs` of non-speech follow it, `maxSpeechMs` is reached, the sample rate changes or the stream
 * completes. Every `start` is followed by exactly one `end`; blips shorter than `minSpeechMs` produce
 * nothing. Decisions depend on the frames' stream time only, never on the wall clock.
 *
 * ```
 * frames (10 ms):    ..........SSSSSSSSSSSS.......................|      S = speech frame
 * detectSpeech():    -------------------s---------------------e---|
 *                      s: start at the 10th speech frame (minSpeechMs 100), tMs = onset
 *                      e: end after 20 silent frames (hangoverMs 200), endMs = end of the last S,
 *                         frames = 15 pre-roll frames + 12 S + 20 hangover frames
 * ```
 *
 * @example
 * chunks$.pipe(frameAudio(10), detectSpeech({ hangoverMs: 250 })).subscribe((e) =>
 *   console.log(e.type, e.type === 'start' ? e.tMs : `${e.startMs}-${e.endMs} (${e.reason})`));
 *
 * @param config overrides of DEFAULT_SPEECH_DETECTOR_CONFIG; checked at once (RangeError naming the field).
 */
export function detectSpeech(config: Partial<SpeechDetectorConfig> = {}): OperatorFunction<AudioFrame, SpeechEvent> {
  // Build one detector up front so a bad config throws here, at the call site, not at subscription.
  const checked = new SpeechDetector(config).config;
  return (source) =>
    defer(() => {
      let detector: SpeechDetector | undefined = new SpeechDetector(checked);
      return source.pipe(
        mergeMap((frame) => detector?.push(frame) ?? []),
        concatWith(defer(() => detector?.finish() ?? [])),
        finalize(() => {
          detector = undefined; // drop the buffered frames and the noise history
        }),
      );
    });
}
