import { fftFrequencies, melFrequencies } from './mel-scale';

/** Parameters of a Slaney mel filterbank. */
export interface MelFilterbankOptions {
  /** Sample rate in Hz. */
  sampleRate: number;
  /** FFT size in samples; the filterbank has nFft / 2 + 1 columns. */
  nFft: number;
  /** Number of mel bands; default 128 (librosa's default). */
  nMels?: number;
  /** Lowest band edge in Hz; default 0. */
  fmin?: number;
  /** Highest band edge in Hz; default sampleRate / 2. */
  fmax?: number;
}

/** A mel filterbank with the non-zero span of each band, for sparse products. */
export interface MelFilterbank {
  readonly nMels: number;
  readonly bins: number;
  /** Row-major (nMels, bins) float32 weights. */
  readonly weights: Float32Array;
  /** Band m is non-zero only on bins [first[m], end[m]). */
  readonly first: Int32Array;
  readonly end: Int32Array;
}

const cache = new Map<string, MelFilterbank>();

/**
 * `librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax)` with htk=False and norm='slaney', float32:
 * triangular filters on the Slaney mel scale, each scaled by 2 / (bandwidth in Hz).
 *
 * @returns row-major (nMels, nFft/2 + 1) weights: `w[m * bins + k]` is band m at rfft bin k.
 *   The array is cached and shared: do not modify it.
 */
export function melFilterbank(opts: MelFilterbankOptions): Float32Array {
  return melFilterbankSparse(opts).weights;
}

/** {@link melFilterbank} together with each band's non-zero bin range (cached by parameters). */
export function melFilterbankSparse(opts: MelFilterbankOptions): MelFilterbank {
  const { sampleRate, nFft } = opts;
  const nMels = opts.nMels ?? 128;
  const fmin = opts.fmin ?? 0;
  const fmax = opts.fmax ?? sampleRate / 2;
  const key = `${sampleRate}/${nFft}/${nMels}/${fmin}/${fmax}`;
  const hit = cache.get(key);
  if (hit) return hit;

  const bins = (nFft >> 1) + 1;
  const fftFreqs = fftFrequencies(sampleRate, nFft);
  const melF = melFrequencies(nMels + 2, fmin, fmax);
  const weights = new Float32Array(nMels * bins);
  const first = new Int32Array(nMels);
  const end = new Int32Array(nMels);
  for (let m = 0; m < nMels; m++) {
    const fdiffLo = melF[m + 1] - melF[m];
    const fdiffHi = melF[m + 2] - melF[m + 1];
    // Slaney normalisation; librosa multiplies the float32 weights by this float64 factor, then rounds.
    const enorm = 2.0 / (melF[m + 2] - melF[m]);
    first[m] = bins;
    end[m] = 0;
    for (let k = 0; k < bins; k++) {
      // ramps = mel_f - fftfreqs; lower = -ramps[m] / fdiff[m]; upper = ramps[m + 2] / fdiff[m + 1]
      const lower = -(melF[m] - fftFreqs[k]) / fdiffLo;
      const upper = (melF[m + 2] - fftFreqs[k]) / fdiffHi;
      const tri = Math.fround(Math.max(0, Math.min(lower, upper)));
      const w = Math.fround(tri * enorm);
      weights[m * bins + k] = w;
      if (w !== 0) {
        if (k < first[m]) first[m] = k;
        end[m] = k + 1;
      }
    }
    if (end[m] === 0) first[m] = 0; // an empty band (too many mels for nFft)
  }
  const fb = { nMels, bins, weights, first, end };
  cache.set(key, fb);
  return fb;
}
