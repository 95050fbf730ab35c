import { stratifiedSplit, type Clip } from '@digits/dataset';

/** Clips per digit that `--quick` keeps: enough for a stratified 80/20 split, small enough for minutes. */
export const QUICK_CLIPS_PER_DIGIT = 5;

/** A small stratified subset (the same clips for the same seed) that exercises every code path. */
export function quickSubset(clips: readonly Clip[], seed: number): Clip[] {
  const fraction = Math.min(1, (QUICK_CLIPS_PER_DIGIT * 10) / clips.length);
  if (fraction >= 1) return [...clips];
  return stratifiedSplit([...clips], { testFraction: fraction, seed: seed + 1 }).test;
}
