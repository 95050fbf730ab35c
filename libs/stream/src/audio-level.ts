import { map, type OperatorFunction } from 'rxjs';
import { peakDbfs, rmsDbfs } from './levels';
import type { AudioFrame, AudioLevel } from './types';

/**
 * The RMS and peak level of each frame, in dBFS (see `rmsDbfs`; silence reads -120, never -Infinity).
 * One level per frame, on the frame's clock; stateless.
 *
 * ```
 * frames:      --a--b--c--|
 * audioLevel:  --A--B--C--|    A = { rmsDbfs, peakDbfs, tMs: a.tMs, durationMs: a's length in ms }
 * ```
 *
 * @example
 * chunks$.pipe(frameAudio(10), audioLevel(), throttleLevel(20)).subscribe((l) => meter.show(l.rmsDbfs));
 */
export function audioLevel(): OperatorFunction<AudioFrame, AudioLevel> {
  return map((frame) => ({
    rmsDbfs: rmsDbfs(frame.samples),
    peakDbfs: peakDbfs(frame.samples),
    tMs: frame.tMs,
    durationMs: (frame.samples.length * 1000) / frame.sampleRate,
  }));
}
