import { filter, map, type OperatorFunction } from 'rxjs';
import { resample } from '@digits/dsp';
import { resolveCutUtterancesConfig } from './cut-utterances-config';
import { trimSilence } from './trim-silence';
import type { CutUtterancesConfig, SpeechEndEvent, SpeechEvent, Utterance } from './types';

/**
 * Turns each detected utterance (`end` event of detectSpeech) into a model input with the band and
 * form of the training data: its frames joined (pre-roll included), trimmed to near-minimal silence the
 * way the FSDD clips are (see trimSilence; threshold max(peak - trimTopDb, noise floor + trimAboveFloorDb)),
 * then resampled with @digits/dsp's librosa-exact `resample` from the source rate to `bandSampleRate`
 * (8,000 Hz, FSDD's rate: a 16 or 48 kHz microphone carries a band the model never heard) and on to
 * `targetSampleRate` (the model's FeatureConfig.sampleRate). A step whose rates are equal is skipped.
 * `start` events pass by without output. Stateless.
 *
 * ```
 * speech events:    --s------e------s----e---|
 * cutUtterances():  ---------U-----------V---|    U = { samples @ targetSampleRate, startMs, endMs, ... }
 * ```
 *
 * @example
 * frames$.pipe(detectSpeech(), cutUtterances({ targetSampleRate: featureConfig.sampleRate }))
 *   .subscribe((u) => classify(u.samples));
 *
 * @param config targetSampleRate (Hz) and overrides of DEFAULT_CUT_UTTERANCES_CONFIG; checked at once.
 */
export function cutUtterances(
  config: Pick<CutUtterancesConfig, 'targetSampleRate'> & Partial<CutUtterancesConfig>,
): OperatorFunction<SpeechEvent, Utterance> {
  const resolved = resolveCutUtterancesConfig(config);
  return (source) =>
    source.pipe(
      filter((event): event is SpeechEndEvent => event.type === 'end'),
      map((event) => cutUtterance(event, resolved)),
    );
}

/** cutUtterances for one `end` event (a pure function; `config` complete, e.g. from resolveCutUtterancesConfig). */
export function cutUtterance(event: SpeechEndEvent, config: CutUtterancesConfig): Utterance {
  const { frames } = event;
  const sampleRate = frames.length > 0 ? frames[0].sampleRate : config.bandSampleRate;
  let length = 0;
  for (const f of frames) length += f.samples.length;
  const joined = new Float32Array(length);
  let offset = 0;
  for (const f of frames) {
    joined.set(f.samples, offset);
    offset += f.samples.length;
  }
  const { start, end } = trimSilence(joined, sampleRate, {
    topDb: config.trimTopDb,
    noiseFloorDbfs: event.noiseFloorDbfs,
    aboveFloorDb: config.trimAboveFloorDb,
    windowMs: config.trimWindowMs,
    keepMs: config.trimKeepMs,
    keepEndMs: config.trimKeepEndMs,
  });
  let samples: Float32Array = joined.slice(start, end);
  let rate = sampleRate;
  for (const next of [config.bandSampleRate, config.targetSampleRate]) {
    if (next !== rate && samples.length > 0) samples = resample(samples, rate, next);
    rate = next;
  }
  const t0 = frames.length > 0 ? frames[0].tMs : event.startMs;
  return {
    samples,
    sampleRate: config.targetSampleRate,
    startMs: t0 + (start * 1000) / sampleRate,
    endMs: t0 + (end * 1000) / sampleRate,
    speechEndMs: event.endMs,
    endDetectedAtMs: event.endDetectedAtMs,
    reason: event.reason,
  };
}
