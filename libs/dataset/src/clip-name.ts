import type { ClipName, Digit } from './types';

/**
 * `{digit}_{speaker}_{index}.wav`: one decimal digit, a speaker without `_`, a non-negative take index.
 * The extension is matched case-insensitively because archives made on some systems upper-case it.
 */
const FSDD_NAME = /^([0-9])_([^_/\\]+)_([0-9]+)\.wav$/i;

/** What {@link parseClipName} expects, for messages. */
export const FSDD_NAME_PATTERN = '{digit}_{speaker}_{index}.wav';

/**
 * Parses an FSDD file name such as `7_jackson_32.wav` (a base name, not a path).
 * The label is the text before the first `_`, as in the notebook.
 * @returns the digit, speaker and take, or null if the name is not `{digit}_{speaker}_{index}.wav`.
 */
export function parseClipName(name: string): ClipName | null {
  const m = FSDD_NAME.exec(name);
  if (!m) return null;
  return { digit: Number(m[1]) as Digit, speaker: m[2], take: Number(m[3]) };
}

/** True for a name ending in `.wav` (any case). */
export function isWavName(name: string): boolean {
  return /\.wav$/i.test(name);
}

/** Plain code-unit order: unlike `localeCompare` it is the same on every machine and locale. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The fields {@link compareClips} orders by. */
export interface Sortable {
  name: string;
  digit: Digit | null;
  speaker: string | null;
  take: number | null;
}

/**
 * The dataset's canonical order, so that splits do not depend on the directory listing or zip order:
 * FSDD-named clips by digit, then speaker (code-unit order), then take (numerically, so 2 before 10),
 * then the full name; clips without a label after them, by name in code-unit order.
 */
export function compareClips(a: Sortable, b: Sortable): number {
  const aLabelled = a.digit !== null;
  const bLabelled = b.digit !== null;
  if (aLabelled !== bLabelled) return aLabelled ? -1 : 1;
  if (aLabelled && bLabelled) {
    if (a.digit !== b.digit) return (a.digit as number) - (b.digit as number);
    const bySpeaker = compareCodeUnits(a.speaker ?? '', b.speaker ?? '');
    if (bySpeaker !== 0) return bySpeaker;
    if (a.take !== b.take) return (a.take ?? 0) - (b.take ?? 0);
  }
  return compareCodeUnits(a.name, b.name);
}
