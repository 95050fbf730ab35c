import { encodeWav16 } from '@digits/dsp';

/** A signal's min/max per time bucket: what a waveform plot shows, at a size a page can hold. */
export interface EnvelopePoint {
  /** Bucket start, s. */
  t: number;
  min: number;
  max: number;
}

/** One point of an amplitude spectrum: frequency (Hz) and |X(f)|. */
export interface SpectrumPoint {
  hz: number;
  amp: number;
}

/** Rounds to `digits` significant digits so chart data (and so the SVG) stays small and stable. */
export function round(x: number, digits = 4): number {
  return x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(digits));
}

/** Min/max envelope of `samples` (at `sampleRate` Hz) over at most `buckets` equal time buckets. */
export function waveformEnvelope(samples: Float32Array, sampleRate: number, buckets = 400): EnvelopePoint[] {
  const n = samples.length;
  const size = Math.max(1, Math.ceil(n / buckets));
  const out: EnvelopePoint[] = [];
  for (let start = 0; start < n; start += size) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = start; i < Math.min(n, start + size); i++) {
      if (samples[i] < lo) lo = samples[i];
      if (samples[i] > hi) hi = samples[i];
    }
    out.push({ t: round(start / sampleRate, 5), min: round(lo), max: round(hi) });
  }
  return out;
}

/** Scales to a peak of 1, as ThinkDSP's read_wave (Wave.normalize) does. */
export function peakNormalize(samples: Float32Array): Float32Array {
  let peak = 0;
  for (const v of samples) peak = Math.max(peak, Math.abs(v));
  return peak === 0 ? samples.slice() : samples.map((v) => v / peak);
}

/** ThinkDSP's `wave1 + wave2`: both start at t=0, so the shorter is zero-padded to the longer. */
export function addWaves(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(Math.max(a.length, b.length));
  out.set(a);
  for (let i = 0; i < b.length; i++) out[i] += b[i];
  return out;
}

/**
 * The notebook's `wave.make_spectrum().plot()` (ThinkDSP): |np.fft.rfft(ys)| against
 * np.fft.rfftfreq(n, 1/framerate), with no window and at the file's own rate. A direct DFT because n
 * is the clip's length (not a power of two) and the bins must be rfft's; clips are a few thousand
 * samples, so this takes milliseconds. To keep the chart light, bins are reduced to at most `points`
 * by taking each bucket's largest amplitude (the peaks a reader looks at survive).
 */
export function amplitudeSpectrum(samples: Float32Array, sampleRate: number, points = 800): SpectrumPoint[] {
  const n = samples.length;
  const bins = Math.floor(n / 2) + 1;
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  const amps = new Float64Array(bins);
  for (let f = 0; f < bins; f++) {
    let re = 0;
    let im = 0;
    let idx = 0;
    for (let t = 0; t < n; t++) {
      re += samples[t] * cos[idx];
      im -= samples[t] * sin[idx];
      idx += f;
      if (idx >= n) idx -= n;
    }
    amps[f] = Math.hypot(re, im);
  }
  const size = Math.max(1, Math.ceil(bins / points));
  const out: SpectrumPoint[] = [];
  for (let start = 0; start < bins; start += size) {
    let best = start;
    for (let f = start; f < Math.min(bins, start + size); f++) if (amps[f] > amps[best]) best = f;
    out.push({ hz: round((best * sampleRate) / n, 5), amp: round(amps[best]) });
  }
  return out;
}

/** A WAV file as a data: URI, so the page plays it with no file beside it. */
export function wavDataUri(wavBytes: Uint8Array): string {
  return `data:audio/wav;base64,${Buffer.from(wavBytes).toString('base64')}`;
}

/** Float samples in [-1, 1] encoded as 16-bit PCM WAV, as a data: URI. */
export function samplesDataUri(samples: Float32Array, sampleRate: number): string {
  return wavDataUri(encodeWav16(samples, sampleRate));
}

/** A row-major (nMels, frames) log-mel as chart rows: mel band, frame, dB. */
export function logMelRows(
  logMel: Float32Array,
  nMels: number,
  frames: number,
): { mel: number; frame: number; db: number }[] {
  const rows: { mel: number; frame: number; db: number }[] = [];
  for (let m = 0; m < nMels; m++) {
    for (let f = 0; f < frames; f++) rows.push({ mel: m, frame: f, db: round(logMel[m * frames + f], 3) });
  }
  return rows;
}
