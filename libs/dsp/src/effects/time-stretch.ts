import { istft } from '../spectral/istft';
import { stft, type Stft, type StftOptions } from '../spectral/stft';
import { phaseVocoder, roundHalfEven } from './phase-vocoder';

/**
 * `librosa.effects.time_stretch(y, rate)` from librosa 0.9.2: stft, `phaseVocoder(rate)`, then istft to
 * round(n / rate) samples. rate > 1 speeds up (shorter), rate < 1 slows down (longer); pitch is kept.
 *
 * @param y    signal (float32)
 * @param rate speed-up factor (> 0)
 * @param opts STFT sizes: nFft (default 2048), hopLength (default nFft / 4), in samples
 * @returns    round(y.length / rate) samples (Python rounding, halves to even)
 */
export function timeStretch(y: Float32Array, rate: number, opts: StftOptions = {}): Float32Array {
  return timeStretchStft(stft(y, opts), y.length, rate);
}

/**
 * {@link timeStretch} at several rates, sharing one STFT of `y` (the same numbers as separate calls).
 * @returns one stretched signal per rate, in order
 */
export function timeStretches(y: Float32Array, rates: readonly number[], opts: StftOptions = {}): Float32Array[] {
  const D = stft(y, opts);
  return rates.map((rate) => timeStretchStft(D, y.length, rate));
}

/** time_stretch from an already computed STFT of a signal of `n` samples. */
export function timeStretchStft(D: Stft, n: number, rate: number): Float32Array {
  if (!(rate > 0)) throw new RangeError(`timeStretch: rate must be positive, got ${rate}`);
  const stretched = phaseVocoder(D, rate, D.hopLength);
  return istft(stretched, { length: roundHalfEven(n / rate) });
}
