import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { buf as crc32 } from 'crc-32';
import { unzipSync } from 'fflate';

/** A file inside a folder or zip source, before it is read. */
export interface SourceFile {
  /** The entry as found: the file name in a folder, the full entry path in a zip (`recordings/7_jackson_32.wav`). */
  entry: string;
  /** The base name (`7_jackson_32.wav`). */
  name: string;
  /** A path a person can find it by: `<folder>/<name>` or `<zip>:<entry>`. */
  location: string;
}

/** The outcome of reading one file: its bytes, or why it could not be read. */
export type ReadOutcome = { bytes: Uint8Array } | { error: string };

/** A listed folder or zip: its files (not yet read), and entries that are not files to read. */
export interface SourceListing {
  kind: 'folder' | 'zip';
  /** Files in the source, in code-unit order of `entry`. */
  files: SourceFile[];
  /** Entries that cannot be read as files (sub-folders of a folder; zip entries in an unsupported compression), with why. */
  unreadable: { entry: string; reason: string }[];
  /** Reads the given files; failures of single files are returned, not thrown, so one bad file never ends a run. */
  read(files: SourceFile[]): Promise<Map<SourceFile, ReadOutcome>>;
}

/** Thrown when a whole source cannot be used: missing, unreadable, not a folder or zip. Its message names the path. */
export class DataSourceError extends Error {
  override name = 'DataSourceError';
}

/** How many files of a folder are read at once: enough to hide latency, well under typical open-file limits. */
const READ_CONCURRENCY = 64;

/** True when the bytes start like a zip archive (a local file header, or the end record of an empty zip). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b &&
    ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06));
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The kind of a path: throws {@link DataSourceError} naming it when it does not exist. */
export async function pathKind(p: string, what = 'Path'): Promise<'folder' | 'file'> {
  try {
    const st = await stat(p);
    return st.isDirectory() ? 'folder' : 'file';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataSourceError(`${what} not found: ${p}`);
    throw new DataSourceError(`${what} cannot be read: ${p} (${messageOf(err)})`);
  }
}

/** Lists the top level of a folder (sub-folders are reported, not searched: FSDD is flat). */
export async function listFolder(folder: string): Promise<SourceListing> {
  let dirents;
  try {
    dirents = await readdir(folder, { withFileTypes: true });
  } catch (err) {
    throw new DataSourceError(`Cannot list folder ${folder}: ${messageOf(err)}`);
  }
  dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: SourceFile[] = [];
  const unreadable: SourceListing['unreadable'] = [];
  for (const d of dirents) {
    if (d.isDirectory()) unreadable.push({ entry: d.name, reason: 'a folder (only the top level of a folder is read)' });
    else files.push({ entry: d.name, name: d.name, location: path.join(folder, d.name) });
  }
  return {
    kind: 'folder',
    files,
    unreadable,
    async read(wanted) {
      const out = new Map<SourceFile, ReadOutcome>();
      for (let i = 0; i < wanted.length; i += READ_CONCURRENCY) {
        const batch = wanted.slice(i, i + READ_CONCURRENCY);
        const results = await Promise.all(batch.map(async (f): Promise<ReadOutcome> => {
          try {
            const buf = await readFile(f.location);
            return { bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) };
          } catch (err) {
            return { error: `cannot read file: ${messageOf(err)}` };
          }
        }));
        batch.forEach((f, j) => out.set(f, results[j]));
      }
      return out;
    },
  };
}

/**
 * Largest uncompressed size a zip entry may declare, in bytes; larger entries are listed as unreadable and
 * never inflated (a 97 KB zip can expand to gigabytes). 64 MiB is far above 60 s of 8-channel 48 kHz float32.
 */
export const MAX_ZIP_ENTRY_BYTES = 64 * 1024 * 1024;

/** Compression methods fflate can expand: stored and deflate. */
const SUPPORTED_COMPRESSION = new Set([0, 8]);

/**
 * Lists a zip archive already in memory. Directory entries are not files and are left out silently;
 * nested paths are kept as entries (`recordings/7_jackson_32.wav`) with their base name as `name`.
 */
export function listZip(zipPath: string, data: Uint8Array, maxEntryBytes = MAX_ZIP_ENTRY_BYTES): SourceListing {
  const files: SourceFile[] = [];
  const unreadable: SourceListing['unreadable'] = [];
  try {
    // A filter that accepts nothing lists the central directory without expanding anything.
    unzipSync(data, {
      filter(info) {
        if (info.name.endsWith('/')) return false;
        if (!SUPPORTED_COMPRESSION.has(info.compression)) {
          unreadable.push({ entry: info.name, reason: `zip entry uses unsupported compression method ${info.compression}` });
        } else if (info.originalSize > maxEntryBytes) {
          unreadable.push({
            entry: info.name,
            reason: `zip entry declares ${info.originalSize} bytes uncompressed, more than the limit of ${maxEntryBytes}`,
          });
        } else {
          files.push({ entry: info.name, name: info.name.slice(info.name.lastIndexOf('/') + 1), location: `${zipPath}:${info.name}` });
        }
        return false;
      },
    });
  } catch (err) {
    throw new DataSourceError(`Cannot read zip archive ${zipPath}: ${messageOf(err)}`);
  }
  files.sort((a, b) => (a.entry < b.entry ? -1 : a.entry > b.entry ? 1 : 0));
  return {
    kind: 'zip',
    files,
    unreadable,
    async read(wanted) {
      const out = new Map<SourceFile, ReadOutcome>();
      const byEntry = new Map(wanted.map((f) => [f.entry, f]));
      const crcs = centralCrcs(data);
      const checked = (f: SourceFile, bytes: Uint8Array | undefined): ReadOutcome => {
        if (!bytes) return { error: 'zip entry could not be expanded' };
        const want = crcs.get(f.entry);
        const got = crc32(bytes) >>> 0;
        if (want !== undefined && want !== got) {
          return { error: `damaged zip entry ${f.entry}: CRC-32 is ${hex(got)}, the archive records ${hex(want)}` };
        }
        return { bytes };
      };
      try {
        const expanded = unzipSync(data, { filter: (info) => byEntry.has(info.name) });
        for (const f of wanted) out.set(f, checked(f, expanded[f.entry]));
      } catch {
        // One damaged entry makes the batch call throw; expand one at a time to find it and keep the rest.
        for (const f of wanted) {
          try {
            out.set(f, checked(f, unzipSync(data, { filter: (info) => info.name === f.entry })[f.entry]));
          } catch (err) {
            out.set(f, { error: `damaged zip entry: ${messageOf(err)}` });
          }
        }
      }
      return out;
    },
  };
}

/**
 * The CRC-32 of each entry from the central directory (fflate does not check them). Names are decoded as
 * fflate does: UTF-8 when flag bit 11 is set, else Latin-1. An archive this cannot walk gives an empty map.
 */
function centralCrcs(data: Uint8Array): Map<string, number> {
  const crcs = new Map<string, number>();
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let e = data.length - 22;
  while (e >= 0 && view.getUint32(e, true) !== 0x06054b50) e--;
  if (e < 0) return crcs;
  const count = view.getUint16(e + 10, true);
  let p = view.getUint32(e + 16, true);
  for (let i = 0; i < count && p + 46 <= data.length && view.getUint32(p, true) === 0x02014b50; i++) {
    const flags = view.getUint16(p + 8, true);
    const nameLen = view.getUint16(p + 28, true);
    const raw = data.subarray(p + 46, p + 46 + nameLen);
    const name = flags & 0x800 ? new TextDecoder().decode(raw) : String.fromCharCode(...raw);
    if (!crcs.has(name)) crcs.set(name, view.getUint32(p + 16, true));
    p += 46 + nameLen + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return crcs;
}

/** Reads and lists a zip file from disk. */
export async function listZipFile(zipPath: string): Promise<SourceListing> {
  let buf: Buffer;
  try {
    buf = await readFile(zipPath);
  } catch (err) {
    throw new DataSourceError(`Cannot read ${zipPath}: ${messageOf(err)}`);
  }
  const data = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  if (!looksLikeZip(data)) throw new DataSourceError(`Not a zip archive: ${zipPath}`);
  return listZip(zipPath, data);
}

/**
 * Lists a folder or a zip file; anything else is a {@link DataSourceError} naming the path.
 * @param what how the message names the path, e.g. `FSDD source`.
 */
export async function listSource(source: string, what = 'FSDD source'): Promise<SourceListing> {
  const kind = await pathKind(source, what);
  if (kind === 'folder') return listFolder(source);
  const listing = await listZipFile(source).catch((err: unknown) => {
    if (err instanceof DataSourceError && err.message.startsWith('Not a zip')) {
      throw new DataSourceError(`${what} is neither a folder nor a .zip archive: ${source}`);
    }
    throw err;
  });
  return listing;
}
