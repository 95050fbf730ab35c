import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { compareClips, isWavName, parseClipName } from './clip-name';
import { noUsableClips } from './read-dataset';
import {
  DataSourceError,
  listFolder,
  listZip,
  looksLikeZip,
  pathKind,
  readFileBounded,
  type SourceFile,
  type SourceListing,
} from './source-entries';
import type { ClipCollection, InputClip, SkippedEntry } from './types';
import { inspectWav } from './wav-info';

/**
 * Reads recordings for featurisation or prediction from any mix of single WAV files, folders (their
 * top-level `*.wav` files) and zip archives (their `*.wav` entries at any depth). Unlike
 * {@link readDataset} a WAV need not be named like FSDD: if its name does not parse, its digit, speaker and
 * take are null. Non-WAV entries of folders and zips, and WAVs that do not decode, are skipped with the
 * reason; there is no speaker filter.
 *
 * @param paths files, folders or zips (relative paths resolve against the working directory)
 * @returns clips in the order of `paths`; within a folder or zip in {@link compareClips} order
 * @throws DataSourceError naming a path that does not exist or cannot be read, or when nothing at all is usable
 */
export async function readClips(paths: readonly string[]): Promise<ClipCollection> {
  if (paths.length === 0) throw new DataSourceError('No inputs given: name WAV files, folders or zip archives');
  const clips: InputClip[] = [];
  const skipped: SkippedEntry[] = [];
  let entries = 0;
  for (const p of paths) {
    const abs = path.resolve(p);
    const listing = await listInput(abs);
    entries += listing.files.length + listing.unreadable.length;
    for (const u of listing.unreadable) skipped.push({ name: where(listing, abs, u.entry), reason: u.reason });
    const wavs: SourceFile[] = [];
    for (const f of listing.files) {
      // A single file given by name is read whatever its extension: the decoder says if it is not a WAV.
      if (listing.kind === 'file' || isWavName(f.name)) wavs.push(f);
      else skipped.push({ name: f.location, reason: 'not a .wav file' });
    }
    const contents = await listing.read(wavs);
    const found: InputClip[] = [];
    for (const f of wavs) {
      const got = contents.get(f);
      const info = !got || 'error' in got ? { error: got?.error ?? 'not read' } : inspectWav(got.bytes, f.location);
      if ('error' in info) {
        skipped.push({ name: f.location, reason: info.error });
        continue;
      }
      const label = parseClipName(f.name);
      found.push({
        name: f.name,
        location: f.location,
        digit: label?.digit ?? null,
        speaker: label?.speaker ?? null,
        take: label?.take ?? null,
        bytes: (got as { bytes: Uint8Array }).bytes,
        ...info,
      });
    }
    clips.push(...found.sort(compareClips));
  }
  if (clips.length === 0) {
    throw noUsableClips(
      paths.length === 1 ? path.resolve(paths[0]) : paths.map((p) => path.resolve(p)).join(', '),
      entries,
      skipped,
      false,
    );
  }
  return { clips, skipped };
}

type InputListing = Omit<SourceListing, 'kind'> & { kind: SourceListing['kind'] | 'file' };

/** Name of an entry for messages: a full path for folder entries, `<zip>:<entry>` for zip entries. */
function where(listing: InputListing, abs: string, entry: string): string {
  return listing.kind === 'zip' ? `${abs}:${entry}` : path.join(abs, entry);
}

/** A folder, a zip (recognised by its bytes, not its extension) or a single file presented as a listing of one. */
async function listInput(abs: string): Promise<InputListing> {
  const kind = await pathKind(abs, 'Input');
  if (kind === 'folder') return listFolder(abs);
  let head: Uint8Array;
  try {
    const handle = await open(abs, 'r');
    try {
      head = new Uint8Array(4);
      head = head.subarray(0, (await handle.read(head, 0, 4, 0)).bytesRead);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new DataSourceError(`Input cannot be read: ${abs} (${err instanceof Error ? err.message : String(err)})`);
  }
  if (looksLikeZip(head)) {
    let buf: Buffer;
    try {
      buf = await readFile(abs);
    } catch (err) {
      throw new DataSourceError(`Input cannot be read: ${abs} (${err instanceof Error ? err.message : String(err)})`);
    }
    return listZip(abs, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
  }
  // A single recording: read only if its size is within MAX_WAV_FILE_BYTES (else skipped with the reason).
  const file: SourceFile = { entry: path.basename(abs), name: path.basename(abs), location: abs };
  return {
    kind: 'file',
    files: [file],
    unreadable: [],
    read: async (wanted) => {
      const got = await readFileBounded(abs);
      return new Map(wanted.map((f) => [f, got]));
    },
  };
}
