import { hzToMel, melToHz, seededUniform } from '@digits/dsp';
import type { FeatureConfig } from './feature-config';

/**
 * Augmentation of log-mel spectrograms (band-major, nMels x frames, dB with the maximum at 0 and the
 * floor at -topDb, as `clipLogMel` makes them), applied per batch in JS so every epoch sees new variants
 * at no featurisation cost. Each step imitates something that differs between FSDD's four speakers and a
 * new voice at a live microphone:
 * - vocal-tract / pitch: a frequency warp by a factor alpha (a new speaker's formants and pitch sit
 *   higher or lower; the warp follows the mel scale, so it is a shift in the log-frequency region);
 * - speaking rate and timing: a time stretch and a shift of the utterance inside the 0.8 s window;
 * - microphone and room: a random smooth equaliser curve (a different frequency response), additive noise with a random level and spectral tilt in the power domain over
 *   the active (non-padding) frames, and a random reduction of the dynamic range;
 * - SpecAugment: one band mask and two time masks.
 * Gain needs no augmentation: the log-mel is referenced to its own maximum.
 */
export interface LogMelAugmentOptions {
  /** Frequency warp factor range (log-uniform). Default [0.85, 1.18] (about -3 to +3 semitones). */
  warp?: [number, number];
  /** Time stretch rate range (log-uniform). Default [0.8, 1.25]. */
  rate?: [number, number];
  /** Shift of the utterance in frames, range. Default [-2, 4]. */
  shift?: [number, number];
  /** Probability of additive noise. Default 0.5. */
  noiseProb?: number;
  /** Noise level relative to the spectrogram maximum, dB range. Default [-70, -30]. */
  noiseDb?: [number, number];
  /** Widest band mask, bands. Default 6. */
  bandMask?: number;
  /** Widest time mask, frames (two masks). Default 4. */
  timeMask?: number;
  /** Largest random equaliser swing (dB) of a smooth per-band gain curve plus tilt; 0 disables. Default 6. */
  eqDb?: number;
  /** Probability that a row is left unchanged. Default 0.15. */
  identityProb?: number;
}

/** Augments log-mel rows; one instance per training run (its generator is seeded). */
export class LogMelAugmenter {
  private readonly rand: () => number;
  private readonly bands: number;
  private readonly frames: number;
  private readonly floor: number;
  private readonly centresHz: Float64Array;
  private readonly melStep: number;
  private readonly o: Required<LogMelAugmentOptions>;

  constructor(config: FeatureConfig, frames: number, seed: number, options: LogMelAugmentOptions = {}) {
    this.rand = seededUniform(seed);
    this.bands = config.nMels;
    this.frames = frames;
    this.floor = -config.topDb;
    this.melStep = hzToMel(config.sampleRate / 2) / (config.nMels + 1);
    this.centresHz = Float64Array.from({ length: config.nMels }, (_, b) => melToHz((b + 1) * this.melStep));
    this.o = {
      warp: options.warp ?? [0.85, 1.18],
      rate: options.rate ?? [0.8, 1.25],
      shift: options.shift ?? [-2, 4],
      noiseProb: options.noiseProb ?? 0.5,
      noiseDb: options.noiseDb ?? [-70, -30],
      bandMask: options.bandMask ?? 6,
      timeMask: options.timeMask ?? 4,
      eqDb: options.eqDb ?? 6,
      identityProb: options.identityProb ?? 0.15,
    };
  }

  private uniform([lo, hi]: [number, number]): number {
    return lo + (hi - lo) * this.rand();
  }

  private logUniform([lo, hi]: [number, number]): number {
    return Math.exp(this.uniform([Math.log(lo), Math.log(hi)]));
  }

  /** A new augmented copy of one band-major row (nMels * frames values). */
  augment(row: Float32Array): Float32Array {
    const { bands: B, frames: T, floor } = this;
    if (this.rand() < this.o.identityProb) return Float32Array.from(row);
    const alpha = this.logUniform(this.o.warp);
    const rate = this.logUniform(this.o.rate);
    const shift = this.uniform(this.o.shift);
    // Frequency warp then time stretch + shift, both by linear interpolation; outside the source: floor.
    const warped = new Float32Array(B * T);
    for (let b = 0; b < B; b++) {
      const src = hzToMel(this.centresHz[b] / alpha) / this.melStep - 1;
      const b0 = Math.floor(src);
      const w = src - b0;
      for (let t = 0; t < T; t++) {
        const v0 = b0 >= 0 && b0 < B ? row[b0 * T + t] : floor;
        const v1 = b0 + 1 >= 0 && b0 + 1 < B ? row[(b0 + 1) * T + t] : floor;
        warped[b * T + t] = v0 + w * (v1 - v0);
      }
    }
    const out = new Float32Array(B * T);
    const active = new Uint8Array(T);
    for (let t = 0; t < T; t++) {
      const src = (t - shift) * rate;
      const t0 = Math.floor(src);
      const w = src - t0;
      const in0 = t0 >= 0 && t0 < T;
      const in1 = t0 + 1 >= 0 && t0 + 1 < T;
      let peak = floor;
      for (let b = 0; b < B; b++) {
        const v0 = in0 ? warped[b * T + t0] : floor;
        const v1 = in1 ? warped[b * T + t0 + 1] : floor;
        const v = v0 + w * (v1 - v0);
        out[b * T + t] = v;
        if (v > peak) peak = v;
      }
      active[t] = peak > floor + 1e-3 ? 1 : 0;
    }
    if (this.o.eqDb > 0 && this.rand() < 0.7) {
      const amp = this.rand() * this.o.eqDb;
      const cycles = 0.5 + this.rand() * 1.5;
      const phase = this.rand() * 2 * Math.PI;
      const tilt = (this.rand() - 0.5) * 2 * this.o.eqDb;
      for (let b = 0; b < B; b++) {
        const gain = amp * Math.cos((2 * Math.PI * cycles * b) / B + phase) + tilt * (b / (B - 1) - 0.5);
        for (let t = 0; t < T; t++) if (active[t]) out[b * T + t] += gain;
      }
    }
    if (this.rand() < this.o.noiseProb) {
      // Noise over the utterance's own frames (the padding stays digital silence, as in the live path).
      const level = this.uniform(this.o.noiseDb);
      const tilt = this.uniform([-12, 6]);
      for (let b = 0; b < B; b++) {
        const bandDb = level + tilt * (b / (B - 1) - 0.5);
        for (let t = 0; t < T; t++) {
          if (!active[t]) continue;
          const nDb = bandDb + 4 * (this.rand() - 0.5);
          const i = b * T + t;
          out[i] = 10 * Math.log10(10 ** (out[i] / 10) + 10 ** (nDb / 10));
        }
      }
    }
    // Re-reference to the maximum and clamp to the floor, as power_to_db(ref=max, top_db) does; with some
    // probability a smaller dynamic range (a noisier, more compressed recording chain).
    let max = -Infinity;
    for (let i = 0; i < out.length; i++) if (out[i] > max) max = out[i];
    const range = this.rand() < 0.25 ? this.uniform([45, -floor]) : -floor;
    for (let i = 0; i < out.length; i++) out[i] = Math.max(-range, out[i] - max);
    for (let i = 0; i < out.length; i++) if (out[i] < floor) out[i] = floor;
    // SpecAugment: masks set to the floor (silence), the value the padding has.
    const bw = Math.floor(this.rand() * (this.o.bandMask + 1));
    const b0 = Math.floor(this.rand() * (B - bw));
    for (let b = b0; b < b0 + bw; b++) out.fill(floor, b * T, b * T + T);
    for (let m = 0; m < 2; m++) {
      const tw = Math.floor(this.rand() * (this.o.timeMask + 1));
      const t0 = Math.floor(this.rand() * (T - tw));
      for (let b = 0; b < B; b++) out.fill(floor, b * T + t0, b * T + t0 + tw);
    }
    return out;
  }
}
