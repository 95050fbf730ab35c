// What the enrolment benchmark (bench-enrol.ts) and its tuning script (tune-enrol.ts) share.
import type { InputClip } from '@digits/dataset';
import { defaultCacheDir } from '@digits/features';
import { argmaxRows, loadRecognizer } from '@digits/model';

/** The value after `name` on the command line, else `fallback`. */
export function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** Accuracy of `dir`'s model on `clips` (labels from the file names), through loadRecognizer; NaN for none. */
export async function accuracy(dir: string, clips: readonly InputClip[]): Promise<number> {
  if (clips.length === 0) return NaN;
  const r = await loadRecognizer(dir);
  try {
    const { probs, kept } = await r.classifyClips(clips, { cacheDir: defaultCacheDir(), threads: 0 });
    const digits = argmaxRows(probs);
    let right = 0;
    kept.forEach((k, i) => {
      if (String(digits[i]) === String(clips[k].digit)) right++;
    });
    return right / clips.length;
  } finally {
    r.dispose();
  }
}
