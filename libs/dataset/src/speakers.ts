import { compareCodeUnits } from './clip-name';

/**
 * The four speakers of the reference notebook and of the 2,000-clip set it was run on. FSDD's own
 * repository has more (george and lucas as well, 3,000 clips in all); see `ReadDatasetOptions.speakers`.
 */
export const NOTEBOOK_SPEAKERS: readonly string[] = Object.freeze(['jackson', 'nicolas', 'theo', 'yweweler']);

/** Thrown when a speaker name is not in the data; the message lists the speakers that are. */
export class UnknownSpeakerError extends Error {
  override name = 'UnknownSpeakerError';
  constructor(
    readonly unknown: string[],
    readonly known: string[],
  ) {
    super(
      `Unknown speaker${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => `"${s}"`).join(', ')}; ` +
        `the data has ${known.length ? known.join(', ') : 'no speakers'}`,
    );
  }
}

/** Distinct speakers in code-unit order. */
export function distinctSpeakers(speakers: Iterable<string>): string[] {
  return [...new Set(speakers)].sort(compareCodeUnits);
}

/** Throws {@link UnknownSpeakerError} if any of `wanted` is not in `known`. */
export function assertKnownSpeakers(wanted: readonly string[], known: readonly string[]): void {
  const have = new Set(known);
  const unknown = wanted.filter((s) => !have.has(s));
  if (unknown.length) throw new UnknownSpeakerError(unknown, [...known]);
}

/**
 * Which speakers to keep from the speakers present in a source.
 * - `'all'`: every speaker.
 * - a list: exactly those (each must be present, else {@link UnknownSpeakerError}).
 * - undefined (the default): the notebook's four when the source has all four and more besides (FSDD's
 *   repository, 6 speakers), so that results compare with the notebook; otherwise every speaker
 *   (the 4-speaker set itself, or a small or custom set).
 */
export function chooseSpeakers(present: readonly string[], wanted: readonly string[] | 'all' | undefined): string[] {
  const sorted = distinctSpeakers(present);
  if (wanted === 'all') return sorted;
  if (wanted !== undefined) {
    if (wanted.length === 0) throw new Error('The speaker list is empty: name at least one speaker, or use "all"');
    assertKnownSpeakers(wanted, sorted);
    return distinctSpeakers(wanted);
  }
  const hasNotebookFour = NOTEBOOK_SPEAKERS.every((s) => sorted.includes(s));
  return hasNotebookFour && sorted.length > NOTEBOOK_SPEAKERS.length ? [...NOTEBOOK_SPEAKERS] : sorted;
}
