// Putting a signal into a background at a chosen signal-to-noise ratio, and level changes.

/** Mean of squares. */
export function meanPower(x: Float32Array): number {
  let p = 0;
  for (const v of x) p += v * v;
  return p / Math.max(1, x.length);
}

/** 10 log10 of the power ratio of `signal` to `noise` (the same length), in dB. */
export function measureSnrDb(signal: Float32Array, noise: Float32Array): number {
  return 10 * Math.log10(meanPower(signal) / meanPower(noise));
}

export interface MixOptions {
  /** The signal's power, if not its own mean power (e.g. a dry clip's, for a reverberant one with its tail). */
  signalPower?: number;
  /** Where in `noise` to start (it is repeated as needed). Default 0. */
  noiseOffset?: number;
}

/**
 * `signal` plus `noise` scaled so that signal power / noise power = snrDb (noise repeated or cut to the
 * signal's length, its power measured over the part used). Returns the mix and the scaled noise.
 */
export function mixAtSnr(
  signal: Float32Array,
  noise: Float32Array,
  snrDb: number,
  opts: MixOptions = {},
): { mixed: Float32Array; noise: Float32Array } {
  if (!Number.isFinite(snrDb)) throw new RangeError(`mixAtSnr: snrDb must be finite, got ${snrDb}`);
  if (noise.length === 0) throw new RangeError('mixAtSnr: an empty noise');
  const offset = opts.noiseOffset ?? 0;
  const used = Float32Array.from({ length: signal.length }, (_, i) => noise[(offset + i) % noise.length]);
  const ps = opts.signalPower ?? meanPower(signal);
  const pn = meanPower(used);
  const gain = pn > 0 ? Math.sqrt(ps / pn / 10 ** (snrDb / 10)) : 0;
  const mixed = new Float32Array(signal.length);
  for (let i = 0; i < signal.length; i++) {
    used[i] *= gain;
    mixed[i] = signal[i] + used[i];
  }
  return { mixed, noise: used };
}

/** `x` times 10^(db / 20), as a new array. */
export function applyGainDb(x: Float32Array, db: number): Float32Array {
  const g = 10 ** (db / 20);
  return Float32Array.from(x, (v) => v * g);
}

/**
 * Slow level changes (a talker turning, a gain control at work): a gain in dB that moves linearly between
 * random values in +-maxDb every `segmentMs`, applied to a copy of `x`.
 */
export function levelChanges(
  x: Float32Array,
  sampleRate: number,
  rand: { range(lo: number, hi: number): number },
  maxDb = 6,
  segmentMs = 400,
): Float32Array {
  const seg = Math.max(1, Math.round((segmentMs / 1000) * sampleRate));
  const points = Array.from({ length: Math.ceil(x.length / seg) + 2 }, () => rand.range(-maxDb, maxDb));
  return Float32Array.from(x, (v, i) => {
    const k = Math.floor(i / seg);
    const f = i / seg - k;
    return v * 10 ** ((points[k] * (1 - f) + points[k + 1] * f) / 20);
  });
}
