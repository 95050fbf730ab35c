// Slaney's mel scale (librosa's default, htk=False): linear below 1 kHz, logarithmic above.
const F_SP = 200.0 / 3;
const MIN_LOG_HZ = 1000.0;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27.0;

/** `librosa.hz_to_mel(f)` (Slaney): frequency in Hz to mels. */
export function hzToMel(hz: number): number {
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : (hz - 0.0) / F_SP;
}

/** `librosa.mel_to_hz(m)` (Slaney): mels to frequency in Hz. */
export function melToHz(mel: number): number {
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : 0.0 + F_SP * mel;
}

/**
 * `librosa.mel_frequencies(n, fmin, fmax)`: n frequencies in Hz, equally spaced on the Slaney mel scale
 * from fmin to fmax inclusive (numpy linspace arithmetic).
 */
export function melFrequencies(n: number, fmin = 0, fmax = 11025): Float64Array {
  const minMel = hzToMel(fmin);
  const maxMel = hzToMel(fmax);
  const out = new Float64Array(n);
  const step = (maxMel - minMel) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = melToHz(i === n - 1 && n > 1 ? maxMel : i * step + minMel);
  return out;
}

/** `librosa.fft_frequencies(sr, n_fft)`: centre frequency in Hz of each rfft bin 0..nFft/2 (numpy rfftfreq). */
export function fftFrequencies(sampleRate: number, nFft: number): Float64Array {
  const bins = (nFft >> 1) + 1;
  const val = 1.0 / (nFft * (1.0 / sampleRate));
  const out = new Float64Array(bins);
  for (let k = 0; k < bins; k++) out[k] = k * val;
  return out;
}
