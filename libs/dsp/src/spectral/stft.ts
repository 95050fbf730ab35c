import { realFft } from './fft-plans';
import { hannWindow } from './hann-window';

/** STFT settings shared by `stft`, `istft` and the features built on them. */
export interface StftOptions {
  /** FFT size in samples (a power of two); default 2048. */
  nFft?: number;
  /** Hop between frames in samples; default nFft / 4 (512). */
  hopLength?: number;
}

/**
 * A complex64 STFT, frame-major: bin k of frame t is `re[t * bins + k] + i im[t * bins + k]`.
 * Frame t is centred on input sample t * hopLength.
 */
export interface Stft {
  readonly nFft: number;
  readonly hopLength: number;
  /** nFft / 2 + 1 */
  readonly bins: number;
  readonly frames: number;
  readonly re: Float32Array;
  readonly im: Float32Array;
}

/** Resolved STFT sizes with librosa's defaults. */
export function stftSizes(opts: StftOptions = {}): { nFft: number; hopLength: number } {
  const nFft = opts.nFft ?? 2048;
  const hopLength = opts.hopLength ?? Math.floor(nFft / 4);
  if (!Number.isInteger(nFft) || nFft < 4 || (nFft & (nFft - 1)) !== 0) {
    throw new RangeError(`nFft must be a power of two >= 4, got ${nFft}`);
  }
  if (!Number.isInteger(hopLength) || hopLength < 1)
    throw new RangeError(`hopLength must be a positive integer, got ${hopLength}`);
  return { nFft, hopLength };
}

/** Number of frames of a centred STFT of `n` samples: 1 + floor(n / hopLength) (librosa, center=True). */
export function stftFrameCount(n: number, nFft = 2048, hopLength = Math.floor(nFft / 4)): number {
  const padded = n + 2 * Math.floor(nFft / 2);
  return 1 + Math.floor((padded - nFft) / hopLength);
}

/**
 * Calls `visit(t, spectrum)` for every frame of the centred STFT of `y`, librosa 0.9.2's numeric path:
 * zero padding of nFft/2 on each side, each float32 frame times the float64 periodic Hann window, float64
 * rfft. `spectrum` holds interleaved float64 (Re, Im) for bins 0..nFft/2 and is reused between frames.
 */
export function forEachStftFrame(
  y: Float32Array,
  nFft: number,
  hopLength: number,
  visit: (t: number, spectrum: Float64Array) => void,
): number {
  if (y.length < 1) throw new RangeError('stft: empty signal');
  const window = hannWindow(nFft);
  const frames = stftFrameCount(y.length, nFft, hopLength);
  const frame = scratch(nFft, 0);
  const spectrum = scratch(2 * nFft, 1);
  const pad = nFft >> 1;
  const n = y.length;
  // Frames that see only zeros (the padding, or the zero tail of a padded clip) have an all-zero spectrum:
  // skip their FFT. Samples up to `lastNonZero` are the only ones that matter.
  let lastNonZero = n - 1;
  while (lastNonZero >= 0 && y[lastNonZero] === 0) lastNonZero--;
  let zeroSpectrum = false;
  for (let t = 0; t < frames; t++) {
    const start = t * hopLength - pad;
    if (start > lastNonZero) {
      if (!zeroSpectrum) {
        spectrum.fill(0);
        zeroSpectrum = true;
      }
    } else {
      const j0 = Math.max(0, -start);
      const j1 = Math.min(nFft, n - start);
      frame.fill(0, 0, j0);
      for (let j = j0; j < j1; j++) frame[j] = y[start + j] * window[j];
      frame.fill(0, Math.max(j0, j1), nFft);
      realFft(frame, spectrum);
    }
    visit(t, spectrum);
  }
  return frames;
}

/**
 * Centred STFT like `librosa.stft(y, n_fft, hop_length)` with its 0.9.2 defaults (periodic Hann window,
 * win_length = n_fft, center=True, pad_mode='constant'), rounded to complex64 as librosa does for float32 input.
 *
 * @param y    signal (float32)
 * @param opts nFft (default 2048), hopLength (default nFft / 4), in samples
 */
export function stft(y: Float32Array, opts: StftOptions = {}): Stft {
  const { nFft, hopLength } = stftSizes(opts);
  const bins = (nFft >> 1) + 1;
  const frames = stftFrameCount(y.length, nFft, hopLength);
  const re = new Float32Array(frames * bins);
  const im = new Float32Array(frames * bins);
  forEachStftFrame(y, nFft, hopLength, (t, spectrum) => {
    const base = t * bins;
    for (let k = 0; k < bins; k++) {
      re[base + k] = spectrum[2 * k];
      im[base + k] = spectrum[2 * k + 1];
    }
    // pocketfft writes exact +0 imaginary parts at DC and Nyquist; keep the sign of zero the same.
    im[base] = 0;
    im[base + bins - 1] = 0;
  });
  return { nFft, hopLength, bins, frames, re, im };
}

// Per-size work buffers: the library is synchronous, so a buffer is never used by two calls at once.
const scratchBuffers = new Map<string, Float64Array>();
function scratch(size: number, slot: number): Float64Array {
  const key = `${size}:${slot}`;
  let buf = scratchBuffers.get(key);
  if (!buf) {
    buf = new Float64Array(size);
    scratchBuffers.set(key, buf);
  }
  return buf;
}
