import { forEachStftFrame, stftFrameCount, stftSizes, type StftOptions } from './stft';

/** A real spectrogram, frame-major: bin k of frame t is `data[t * bins + k]`. */
export interface Spectrogram {
  readonly bins: number;
  readonly frames: number;
  readonly data: Float32Array;
}

/**
 * Power spectrogram `abs(librosa.stft(y)) ** 2` in float32, as librosa 0.9.2 computes it: each bin is first
 * rounded to complex64, its magnitude is a float32 hypot, and the square is a float32 product.
 *
 * @param y    signal (float32)
 * @param opts nFft (default 2048), hopLength (default nFft / 4), in samples
 */
export function powerSpectrogram(y: Float32Array, opts: StftOptions = {}): Spectrogram {
  const { nFft, hopLength } = stftSizes(opts);
  const bins = (nFft >> 1) + 1;
  const frames = stftFrameCount(y.length, nFft, hopLength);
  const data = new Float32Array(frames * bins);
  const fround = Math.fround;
  forEachStftFrame(y, nFft, hopLength, (t, spectrum) => {
    const base = t * bins;
    for (let k = 0; k < bins; k++) {
      const re = fround(spectrum[2 * k]);
      const im = fround(spectrum[2 * k + 1]);
      const magnitude = fround(Math.sqrt(re * re + im * im)); // hypotf: exact squares, one double rounding
      data[base + k] = magnitude * magnitude;
    }
  });
  return { bins, frames, data };
}
