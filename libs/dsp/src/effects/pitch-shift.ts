import { resampleToLengthBatch } from '../resample/resample';
import { stft, type Stft, type StftOptions } from '../spectral/stft';
import { fixLength } from '../util/fix-length';
import { timeStretchStft } from './time-stretch';

/** Options of {@link pitchShift}. */
export interface PitchShiftOptions extends StftOptions {
  /** Steps per octave; default 12 (semitones). */
  binsPerOctave?: number;
  /**
   * Output length in samples; default y.length (librosa). Equal to `fixLength(pitchShift(y, ...), length)`,
   * but samples beyond `length` are never computed.
   */
  length?: number;
}

/**
 * `librosa.effects.pitch_shift(y, sr, n_steps)` from librosa 0.9.2 (res_type='kaiser_best'):
 * time-stretch by rate = 2^(-nSteps / binsPerOctave), resample from sampleRate / rate to sampleRate, and
 * fix the length to y.length. With nSteps = 0 the resample is skipped but the STFT round trip remains.
 *
 * @param y          signal (float32)
 * @param sampleRate sample rate of y in Hz
 * @param nSteps     shift in steps (semitones by default); positive = higher
 * @returns          y.length samples (or opts.length)
 */
export function pitchShift(
  y: Float32Array,
  sampleRate: number,
  nSteps: number,
  opts: PitchShiftOptions = {},
): Float32Array {
  return pitchShifts(y, sampleRate, [nSteps], opts)[0];
}

/**
 * {@link pitchShift} by several step counts, sharing one STFT of `y` (the same numbers as separate calls).
 * @returns one shifted signal per entry of `nStepsList`, in order
 */
export function pitchShifts(
  y: Float32Array,
  sampleRate: number,
  nStepsList: readonly number[],
  opts: PitchShiftOptions = {},
): Float32Array[] {
  const D = stft(y, opts);
  const length = opts.length ?? y.length;
  return nStepsList.map((n) => pitchShiftBatch([D], [y.length], sampleRate, n, opts.binsPerOctave ?? 12, [length])[0]);
}

/** Options of {@link timeStretchPitchShiftGrid}. */
export interface StretchShiftGridOptions extends StftOptions {
  /** Steps per octave; default 12 (semitones). */
  binsPerOctave?: number;
  /**
   * Length of every output in samples; default: the length of its time-stretched signal (librosa).
   * Equal to `fixLength(output, length)`, but samples beyond `length` are never computed.
   */
  length?: number;
}

/**
 * `pitch_shift(time_stretch(y, rate), sr, n_steps)` for every rate and step count, the project's
 * augmentation grid. Exactly the numbers of the separate calls, but shared work is done once: one STFT of
 * `y`, one STFT per stretched signal, and one resampling pass per step count over all rates.
 *
 * @param y           signal (float32)
 * @param sampleRate  sample rate in Hz
 * @param rates       time-stretch factors (> 1 faster)
 * @param nStepsList  pitch shifts in steps (semitones by default)
 * @returns           out[i][j] = pitch_shift(time_stretch(y, rates[i]), sampleRate, nStepsList[j])
 */
export function timeStretchPitchShiftGrid(
  y: Float32Array,
  sampleRate: number,
  rates: readonly number[],
  nStepsList: readonly number[],
  opts: StretchShiftGridOptions = {},
): Float32Array[][] {
  const D = stft(y, opts);
  const stretched = rates.map((rate) => timeStretchStft(D, y.length, rate));
  const spectra = stretched.map((s) => stft(s, opts));
  const lengths = stretched.map((s) => opts.length ?? s.length);
  const bySteps = nStepsList.map((n) =>
    pitchShiftBatch(
      spectra,
      stretched.map((s) => s.length),
      sampleRate,
      n,
      opts.binsPerOctave ?? 12,
      lengths,
    ),
  );
  return rates.map((_, i) => bySteps.map((shifted) => shifted[i]));
}

/** pitch_shift of several signals (given by their STFTs and lengths) by the same step count. */
function pitchShiftBatch(
  spectra: readonly Stft[],
  ns: readonly number[],
  sampleRate: number,
  nSteps: number,
  binsPerOctave: number,
  lengths: readonly number[],
): Float32Array[] {
  if (!Number.isInteger(binsPerOctave) || binsPerOctave < 1) {
    throw new RangeError(`pitchShift: binsPerOctave must be a positive integer, got ${binsPerOctave}`);
  }
  const rate = 2.0 ** (-nSteps / binsPerOctave);
  const srIn = sampleRate / rate;
  const stretched = spectra.map((D, i) => timeStretchStft(D, ns[i], rate));
  // librosa skips the resample when the rates are equal (nSteps = 0); then only fix_length remains.
  if (srIn === sampleRate) return stretched.map((s, i) => fixLength(s, lengths[i]));
  // fix_length(resample(stretched, sr / rate, sr), length), without computing the samples it would cut off.
  return resampleToLengthBatch(stretched, srIn, sampleRate, lengths);
}
