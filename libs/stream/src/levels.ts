/** Level reported for digital silence, in dBFS. Keeps every level finite so it can travel as JSON. */
export const DBFS_FLOOR = -120;

const FLOOR_POWER = 10 ** (DBFS_FLOOR / 10);

/** dBFS of a mean power (mean of squares), clamped at DBFS_FLOOR. */
export function powerToDbfs(power: number): number {
  return power > FLOOR_POWER ? 10 * Math.log10(power) : DBFS_FLOOR;
}

/** Mean of squares of `samples[start, end)`; 0 for an empty range. */
export function meanPower(samples: Float32Array, start = 0, end = samples.length): number {
  if (end <= start) return 0;
  let sum = 0;
  for (let i = start; i < end; i++) sum += samples[i] * samples[i];
  return sum / (end - start);
}

/**
 * RMS level in dBFS: 20*log10(sqrt(mean(x^2))), so a full-scale square wave reads 0 dBFS and a
 * full-scale sine -3.01 dBFS. Silence (and an empty array) reads DBFS_FLOOR (-120).
 */
export function rmsDbfs(samples: Float32Array): number {
  return powerToDbfs(meanPower(samples));
}

/** Peak level in dBFS: 20*log10(max |x|), clamped at DBFS_FLOOR (-120). */
export function peakDbfs(samples: Float32Array): number {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) {
    const a = Math.abs(samples[i]);
    if (a > peak) peak = a;
  }
  return powerToDbfs(peak * peak);
}

/**
 * Zero crossings per second: sign changes between neighbouring samples after removing the mean
 * (so a DC offset does not hide them), times sampleRate / (n - 1). 0 for fewer than 2 samples.
 * Per second rather than per sample so that one threshold fits every sample rate.
 */
export function zeroCrossingsPerSecond(samples: Float32Array, sampleRate: number): number {
  const n = samples.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += samples[i];
  mean /= n;
  let crossings = 0;
  let prev = samples[0] - mean >= 0;
  for (let i = 1; i < n; i++) {
    const cur = samples[i] - mean >= 0;
    if (cur !== prev) crossings++;
    prev = cur;
  }
  return (crossings * sampleRate) / (n - 1);
}
