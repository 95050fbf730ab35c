import { meanPower, powerToDbfs } from './levels';

/** How `trimSilence` decides what is silence. */
export interface TrimSilenceOptions {
  /** Windows more than this far below the loudest window are silence, in dB. */
  topDb: number;
  /** Noise floor of the recording, in dBFS; windows less than `aboveFloorDb` above it are silence too.
   * Optional: without it only `topDb` applies. */
  noiseFloorDbfs?: number;
  /** Margin above `noiseFloorDbfs`, in dB. */
  aboveFloorDb: number;
  /** Analysis window and hop, in ms. */
  windowMs: number;
  /** Audio kept before the first loud window (and after the last one unless keepEndMs is given), in ms. */
  keepMs: number;
  /** Audio kept after the last loud window, in ms. Default keepMs. */
  keepEndMs?: number;
}

/**
 * Where the sound in `samples` begins and ends, like the FSDD clips were cut: leading and trailing
 * windows quieter than both (loudest window - topDb) and (noise floor + aboveFloorDb) are dropped, and
 * `keepMs` (`keepEndMs` after) of audio is kept on either side of the outermost loud windows. Silence inside is kept. The
 * loudest window always survives, so the range is never empty for non-empty input.
 *
 * @returns sample indices: `samples.subarray(start, end)` is the kept part; {0, 0} for no samples.
 */
export function trimSilence(
  samples: Float32Array,
  sampleRate: number,
  options: TrimSilenceOptions,
): { start: number; end: number } {
  const n = samples.length;
  if (n === 0) return { start: 0, end: 0 };
  const w = Math.max(1, Math.round((sampleRate * options.windowMs) / 1000));
  const windows = Math.ceil(n / w);
  const levels = new Float64Array(windows);
  let peak = -Infinity;
  for (let i = 0; i < windows; i++) {
    levels[i] = powerToDbfs(meanPower(samples, i * w, Math.min(n, (i + 1) * w)));
    if (levels[i] > peak) peak = levels[i];
  }
  let threshold = peak - options.topDb;
  if (options.noiseFloorDbfs !== undefined)
    threshold = Math.max(threshold, options.noiseFloorDbfs + options.aboveFloorDb);
  threshold = Math.min(threshold, peak);
  let first = 0;
  while (levels[first] < threshold) first++;
  let last = windows - 1;
  while (levels[last] < threshold) last--;
  const keep = Math.round((sampleRate * options.keepMs) / 1000);
  const keepEnd = Math.round((sampleRate * (options.keepEndMs ?? options.keepMs)) / 1000);
  return { start: Math.max(0, first * w - keep), end: Math.min(n, (last + 1) * w + keepEnd) };
}
