import { inverseRealFft } from './fft-plans';
import { hannWindow } from './hann-window';
import type { Stft } from './stft';

/** Options of {@link istft}. */
export interface IstftOptions {
  /** Output length in samples (zero-padded or cut); default: the centre-trimmed natural length. */
  length?: number;
}

/**
 * Inverse of a centred STFT, `librosa.istft(D, hop_length, length)` from librosa 0.9.2 with float32 output:
 * float64 irfft of each complex64 frame times the float64 Hann window, overlap-added into a float32 buffer,
 * divided by the float32 sum of squared windows wherever it exceeds float32's tiny, then the first nFft/2
 * samples dropped and the result fixed to `length`. With `length`, frames past the end are skipped
 * (as librosa does: at most ceil((length + nFft) / hop) frames).
 */
export function istft(D: Stft, opts: IstftOptions = {}): Float32Array {
  const { nFft, hopLength, bins } = D;
  const window = hannWindow(nFft);
  const length = opts.length;
  let nFrames = D.frames;
  if (length) nFrames = Math.min(nFrames, Math.ceil((length + nFft) / hopLength));
  const expected = nFft + hopLength * (nFrames - 1);
  const y = new Float32Array(Math.max(expected, 0));
  const frame = scratchFrame(nFft);
  const fround = Math.fround;
  for (let t = 0; t < nFrames; t++) {
    inverseRealFft(D.re, D.im, t * bins, frame);
    const start = t * hopLength;
    for (let j = 0; j < nFft; j++) y[start + j] = fround(y[start + j] + window[j] * frame[j]);
  }
  const windowSum = windowSumSquare(nFft, hopLength, nFrames);
  const tiny = 1.1754943508222875e-38; // np.finfo(float32).tiny
  for (let i = 0; i < y.length; i++) if (windowSum[i] > tiny) y[i] = y[i] / windowSum[i];

  const start = nFft >> 1;
  if (length === undefined || length === 0) return y.slice(start, Math.max(start, y.length - start));
  const out = new Float32Array(length);
  out.set(y.subarray(start, Math.min(y.length, start + length)));
  return out;
}

// Envelopes are reused: time stretching at a few rates meets the same frame counts again and again.
const envelopes = new Map<string, Float32Array>();

/**
 * `librosa.filters.window_sumsquare(window='hann', n_frames, hop_length, n_fft, dtype=float32)`: each frame adds
 * the float64 squared window to a float32 buffer (rounding at every addition). Cached; do not modify.
 */
function windowSumSquare(nFft: number, hopLength: number, nFrames: number): Float32Array {
  const key = `${nFft}/${hopLength}/${nFrames}`;
  let sum = envelopes.get(key);
  if (!sum) {
    const window = hannWindow(nFft);
    sum = new Float32Array(nFft + hopLength * (nFrames - 1));
    for (let t = 0; t < nFrames; t++) {
      const start = t * hopLength;
      for (let j = 0; j < nFft; j++) sum[start + j] = Math.fround(sum[start + j] + window[j] * window[j]);
    }
    if (envelopes.size > 256) envelopes.clear();
    envelopes.set(key, sum);
  }
  return sum;
}

let frameBuffer: Float64Array | undefined;
function scratchFrame(n: number): Float64Array {
  if (!frameBuffer || frameBuffer.length !== n) frameBuffer = new Float64Array(n);
  return frameBuffer;
}
