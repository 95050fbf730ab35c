import path from 'node:path';
import { compareClips, compareCodeUnits, FSDD_NAME_PATTERN, parseClipName } from './clip-name';
import { DataSourceError, listSource, type SourceFile } from './source-entries';
import { chooseSpeakers } from './speakers';
import type { Clip, ClipName, Dataset, SkippedEntry } from './types';
import { inspectWav } from './wav-info';

/** Options of {@link readDataset}. */
export interface ReadDatasetOptions {
  /**
   * Speakers to keep. Default: the notebook's four (jackson, nicolas, theo, yweweler) when the source has
   * them and more (FSDD's full repository), else all. `'all'` keeps every speaker; a list keeps exactly
   * those and fails on a name the source does not have. Left-out clips are counted in `excludedSpeakers`.
   */
  speakers?: readonly string[] | 'all';
}

/** The skip reason for an entry whose name is not FSDD's. */
export const NOT_FSDD_NAME = `not named ${FSDD_NAME_PATTERN}`;

/**
 * Reads the Free Spoken Digit Dataset from a folder (its top level) or a `.zip` archive (any depth, e.g.
 * `recordings/7_jackson_32.wav`). Entries not named `{digit}_{speaker}_{index}.wav`, undecodable WAVs and
 * duplicate names are skipped and listed with the reason; they never end the run. Every clip is decoded
 * once to check it and to learn its rate and length; only its bytes are kept.
 *
 * @param source a folder or zip path (relative paths resolve against the working directory), or the
 *   `DataSource` that `resolveDataSource` returned
 * @returns clips in {@link compareClips} order (digit, speaker, take), so splits do not depend on listing order
 * @throws DataSourceError naming the source when it is missing, not a folder or zip, or has no usable clip
 */
export async function readDataset(
  source: string | { path: string },
  options: ReadDatasetOptions = {},
): Promise<Dataset> {
  const abs = path.resolve(typeof source === 'string' ? source : source.path);
  const listing = await listSource(abs);
  const skipped: SkippedEntry[] = listing.unreadable.map((u) => ({ name: u.entry, reason: u.reason }));

  const named: { file: SourceFile; label: ClipName }[] = [];
  const firstByName = new Map<string, string>();
  for (const file of listing.files) {
    const label = parseClipName(file.name);
    if (!label) {
      skipped.push({ name: file.entry, reason: NOT_FSDD_NAME });
      continue;
    }
    const first = firstByName.get(file.name);
    if (first !== undefined) {
      skipped.push({ name: file.entry, reason: `duplicate of ${first}` });
      continue;
    }
    firstByName.set(file.name, file.entry);
    named.push({ file, label });
  }

  const kept = new Set(
    chooseSpeakers(
      named.map((n) => n.label.speaker),
      options.speakers,
    ),
  );
  const excluded = new Map<string, number>();
  const wanted = named.filter((n) => {
    if (kept.has(n.label.speaker)) return true;
    excluded.set(n.label.speaker, (excluded.get(n.label.speaker) ?? 0) + 1);
    return false;
  });

  const contents = await listing.read(wanted.map((w) => w.file));
  const clips: Clip[] = [];
  for (const { file, label } of wanted) {
    const got = contents.get(file);
    if (!got || 'error' in got) {
      skipped.push({ name: file.entry, reason: got?.error ?? 'not read' });
      continue;
    }
    const info = inspectWav(got.bytes, file.location);
    if ('error' in info) {
      skipped.push({ name: file.entry, reason: info.error });
      continue;
    }
    clips.push({ name: file.name, location: file.location, ...label, bytes: got.bytes, ...info });
  }

  if (clips.length === 0) throw noUsableClips(abs, listing.files.length + listing.unreadable.length, skipped);
  clips.sort(compareClips);
  skipped.sort((a, b) => compareCodeUnits(a.name, b.name));
  return {
    source: abs,
    clips,
    skipped,
    speakers: [...kept].sort(compareCodeUnits),
    excludedSpeakers: [...excluded]
      .sort((a, b) => compareCodeUnits(a[0], b[0]))
      .map(([speaker, n]) => ({ speaker, clips: n })),
  };
}

/**
 * The error for a source with nothing usable: says what was found and what was expected.
 * @param needsLabels true (readDataset) when the file names must be FSDD's, as they carry the labels;
 *   false (readClips) when any WAV will do, so the message does not ask for FSDD names
 */
export function noUsableClips(
  source: string,
  entries: number,
  skipped: SkippedEntry[],
  needsLabels = true,
): DataSourceError {
  const expected = needsLabels
    ? `expected WAV files named ${FSDD_NAME_PATTERN} (e.g. 7_jackson_32.wav) in the folder, or anywhere in the zip`
    : 'expected WAV files (any name), folders of them, or zip archives of them';
  const what = needsLabels ? 'FSDD recordings' : 'recordings';
  if (entries === 0) return new DataSourceError(`No usable ${what} in ${source}: it is empty; ${expected}`);
  const shown = skipped
    .slice(0, 3)
    .map((s) => `${s.name}: ${s.reason}`)
    .join('; ');
  const more = skipped.length > 3 ? `; and ${skipped.length - 3} more` : '';
  return new DataSourceError(
    `No usable ${what} in ${source}: ${entries} entr${entries === 1 ? 'y' : 'ies'}, none usable (${shown}${more}); ${expected}`,
  );
}
