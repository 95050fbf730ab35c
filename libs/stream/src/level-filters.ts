import { powerToDbfs } from './levels';

/**
 * Level of a frame's first difference (x[i] - x[i-1]) in dBFS: a 6 dB/octave tilt towards the highs, so
 * hiss keeps its level (+3 dB for white noise) while voicing and hum lose most of theirs (-13 dB at 300 Hz
 * and 8 kHz). Within the frame only: no filter state carries a click at a frame's edge into the next.
 */
export function hissDbfs(samples: Float32Array): number {
  let sum = 0;
  for (let i = 1; i < samples.length; i++) {
    const d = samples[i] - samples[i - 1];
    sum += d * d;
  }
  return powerToDbfs(samples.length > 1 ? sum / (samples.length - 1) : 0);
}
