import { melFilterbankSparse } from './mel-filterbank';
import { powerSpectrogram } from './power-spectrogram';
import { stftSizes } from './stft';

/** Parameters of a mel spectrogram (librosa defaults where omitted). */
export interface MelSpectrogramOptions {
  /** Sample rate of the signal in Hz. */
  sampleRate: number;
  /** FFT size in samples; default 2048. */
  nFft?: number;
  /** Hop between frames in samples; default nFft / 4. */
  hopLength?: number;
  /** Number of mel bands; default 128. */
  nMels?: number;
  /** Lowest band edge in Hz; default 0. */
  fmin?: number;
  /** Highest band edge in Hz; default sampleRate / 2. */
  fmax?: number;
}

/** A band-major mel spectrogram: band m at frame t is `data[m * frames + t]` (band 0 is the lowest). */
export interface MelSpectrogram {
  readonly nMels: number;
  readonly frames: number;
  readonly data: Float32Array;
}

/**
 * `librosa.feature.melspectrogram(y=y, sr=sampleRate, n_fft, hop_length, n_mels, fmin, fmax)` (power 2,
 * Slaney mel, centred STFT with zero padding), float32: mel_fb @ |STFT|^2.
 * Each band only multiplies over its non-zero bins (the filterbank is sparse); sums are float64 then rounded.
 */
export function melSpectrogram(y: Float32Array, opts: MelSpectrogramOptions): MelSpectrogram {
  const { nFft, hopLength } = stftSizes(opts);
  const power = powerSpectrogram(y, { nFft, hopLength });
  const fb = melFilterbankSparse({
    sampleRate: opts.sampleRate,
    nFft,
    nMels: opts.nMels,
    fmin: opts.fmin,
    fmax: opts.fmax,
  });
  const { frames, bins, data: P } = power;
  const { nMels, weights, first, end } = fb;
  const out = new Float32Array(nMels * frames);
  for (let m = 0; m < nMels; m++) {
    const row = m * bins;
    const k0 = first[m];
    const k1 = end[m];
    for (let t = 0; t < frames; t++) {
      const col = t * bins;
      let sum = 0;
      for (let k = k0; k < k1; k++) sum += weights[row + k] * P[col + k];
      out[m * frames + t] = sum;
    }
  }
  return { nMels, frames, data: out };
}
