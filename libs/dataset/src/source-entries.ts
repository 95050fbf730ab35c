import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { buf as crc32 } from 'crc-32';
import { Inflate, unzipSync } from 'fflate';
import { checkWavPrefix, WavDecodeError } from '@digits/dsp';

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
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06))
  );
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
    if (d.isDirectory())
      unreadable.push({ entry: d.name, reason: 'a folder (only the top level of a folder is read)' });
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
        const results = await Promise.all(
          batch.map(async (f): Promise<ReadOutcome> => {
            return readFileBounded(f.location);
          }),
        );
        batch.forEach((f, j) => out.set(f, results[j]));
      }
      return out;
    },
  };
}

/**
 * Largest uncompressed size a zip entry may declare, in bytes; larger entries are listed as unreadable and
 * never inflated (a 97 KB zip can expand to gigabytes), and no entry is expanded past it. 64 MiB holds
 * 60 s (the decoder's DEFAULT_MAX_WAV_SECONDS) of 8-channel 48 kHz 16-bit audio (46 MB) or stereo 96 kHz
 * float32 (46 MB); FSDD clips are under 20 KB.
 */
export const MAX_ZIP_ENTRY_BYTES = 64 * 1024 * 1024;

/**
 * Largest plain file read as a recording, in bytes: the same bound as a zip entry. A larger file would be
 * refused by the decoder's 60 s cap anyway (at any common rate and channel count), so it is refused by its
 * size before a byte of it is read into memory.
 */
export const MAX_WAV_FILE_BYTES = MAX_ZIP_ENTRY_BYTES;

/** How much of a recording is read (or inflated) before its WAV header is checked: room for any common header. */
const WAV_PREFIX_BYTES = 64 * 1024;

/** The decoder's reason to refuse a recording already from its first bytes, or null (see `checkWavPrefix`). */
function wavPrefixProblem(prefix: Uint8Array, totalBytes: number, location: string): string | null {
  try {
    checkWavPrefix(prefix, totalBytes, location);
    return null;
  } catch (err) {
    if (err instanceof WavDecodeError) return err.problem;
    throw err;
  }
}

/**
 * Reads a file that should be one recording: its size is checked (on the open handle) before it is read,
 * so a huge file costs nothing. Failures are returned, not thrown.
 */
export async function readFileBounded(file: string, maxBytes = MAX_WAV_FILE_BYTES): Promise<ReadOutcome> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    return { error: `cannot read file: ${messageOf(err)}` };
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes)
      return { error: `file is ${size} bytes, more than the limit of ${maxBytes} bytes for one recording` };
    const bytes = new Uint8Array(size);
    let got = 0;
    let checked = false;
    while (got < size) {
      if (!checked && got >= Math.min(size, WAV_PREFIX_BYTES)) {
        // The header alone may already refuse the recording (a 1 Hz rate, a 2-hour data chunk): stop reading.
        checked = true;
        const problem = wavPrefixProblem(bytes.subarray(0, got), size, file);
        if (problem) return { error: problem };
      }
      const { bytesRead } = await handle.read(
        bytes,
        got,
        checked ? size - got : Math.min(size, WAV_PREFIX_BYTES) - got,
        got,
      );
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return { bytes: got === size ? bytes : bytes.subarray(0, got) };
  } catch (err) {
    return { error: `cannot read file: ${messageOf(err)}` };
  } finally {
    await handle.close();
  }
}

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
          unreadable.push({
            entry: info.name,
            reason: `zip entry uses unsupported compression method ${info.compression}`,
          });
        } else if (info.originalSize > maxEntryBytes) {
          unreadable.push({
            entry: info.name,
            reason: `zip entry declares ${info.originalSize} bytes uncompressed, more than the limit of ${maxEntryBytes}`,
          });
        } else {
          files.push({
            entry: info.name,
            name: info.name.slice(info.name.lastIndexOf('/') + 1),
            location: `${zipPath}:${info.name}`,
          });
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
      const records = centralDirectory(data);
      for (const f of wanted) {
        const record = records.get(f.entry);
        try {
          if (!record)
            throw new ZipEntryError(zipPath, f.entry, 'zip entry could not be expanded: not in the central directory');
          const checkPrefix = (prefix: Uint8Array, size: number) => wavPrefixProblem(prefix, size, f.location);
          out.set(f, { bytes: inflateZipEntry(zipPath, data, record, { maxEntryBytes, checkPrefix }) });
        } catch (err) {
          if (!(err instanceof ZipEntryError)) throw err;
          out.set(f, { error: err.problem });
        }
      }
      return out;
    },
  };
}

/**
 * A zip entry that cannot be expanded: damaged, lying about its size, or over a limit. The message names
 * the archive and the entry; `problem` is the reason alone (for lists that already name the entry).
 */
export class ZipEntryError extends Error {
  override name = 'ZipEntryError';
  constructor(
    readonly zip: string,
    readonly entry: string,
    readonly problem: string,
  ) {
    super(`${zip}:${entry}: ${problem}`);
  }
}

/** One entry of a zip's central directory. */
export interface ZipEntryRecord {
  name: string;
  /** Compression method: 0 stored, 8 deflate. */
  compression: number;
  compressedSize: number;
  /** The uncompressed size the archive declares (the expanded entry must be exactly this long). */
  originalSize: number;
  crc: number;
  /** Offset of the entry's local header. */
  localOffset: number;
}

/** Compressed bytes handed to the inflater at a time: deflate expands at most ~1032x, so one step is <= ~0.5 MB. */
const INFLATE_STEP = 512;

/** Options of {@link inflateZipEntry}. */
export interface InflateZipEntryOptions {
  /** Never produce more than this many bytes, whatever the entry declares (default {@link MAX_ZIP_ENTRY_BYTES}). */
  maxEntryBytes?: number;
  /**
   * Called once with the first 64 KiB expanded (or the whole entry, if smaller) and the declared size; a
   * reason it returns stops the inflation there (the readers pass the WAV decoder's header check, so a
   * clip over the duration cap is refused without being expanded).
   */
  checkPrefix?: (prefix: Uint8Array, declaredSize: number) => string | null;
}

/**
 * Expands one zip entry with a streaming inflate and a running byte count: it stops as soon as the output
 * passes the entry's declared size or `maxEntryBytes`, so an entry that declares 1 KB and inflates to
 * gigabytes costs at most the limit in memory and time, never the lie. The CRC-32 is checked after.
 * @throws ZipEntryError naming the zip and entry
 */
export function inflateZipEntry(
  zipPath: string,
  data: Uint8Array,
  record: ZipEntryRecord,
  options: InflateZipEntryOptions = {},
): Uint8Array {
  const fail = (problem: string): never => {
    throw new ZipEntryError(zipPath, record.name, problem);
  };
  const maxEntryBytes = options.maxEntryBytes ?? MAX_ZIP_ENTRY_BYTES;
  if (!SUPPORTED_COMPRESSION.has(record.compression))
    fail(`zip entry uses unsupported compression method ${record.compression}`);
  if (record.originalSize > maxEntryBytes) {
    fail(`zip entry declares ${record.originalSize} bytes uncompressed, more than the limit of ${maxEntryBytes}`);
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const lh = record.localOffset;
  if (lh + 30 > data.length || view.getUint32(lh, true) !== 0x04034b50) {
    fail(`damaged zip entry: no local header at offset ${lh}`);
  }
  const start = lh + 30 + view.getUint16(lh + 26, true) + view.getUint16(lh + 28, true);
  const end = start + record.compressedSize;
  if (end > data.length)
    fail(
      `damaged zip entry: ${record.compressedSize} compressed bytes declared, only ${Math.max(0, data.length - start)} present`,
    );
  const compressed = data.subarray(start, end);
  const declared = record.originalSize;
  let bytes: Uint8Array;
  if (record.compression === 0) {
    if (compressed.length !== declared)
      fail(`damaged zip entry: stored entry holds ${compressed.length} bytes, declares ${declared}`);
    bytes = compressed;
  } else {
    bytes = new Uint8Array(declared);
    let produced = 0;
    let finished = false;
    const inflater = new Inflate((chunk, final) => {
      if (produced + chunk.length > declared) {
        fail(
          `zip entry inflates to more than the ${declared} bytes it declares (stopped after ${produced + chunk.length})`,
        );
      }
      bytes.set(chunk, produced);
      const before = produced;
      produced += chunk.length;
      if (
        options.checkPrefix &&
        before < Math.min(declared, WAV_PREFIX_BYTES) &&
        produced >= Math.min(declared, WAV_PREFIX_BYTES)
      ) {
        const problem = options.checkPrefix(bytes.subarray(0, produced), declared);
        if (problem) fail(problem);
      }
      if (final) finished = true;
    });
    try {
      for (let at = 0; at < compressed.length; at += INFLATE_STEP) {
        const next = Math.min(at + INFLATE_STEP, compressed.length);
        inflater.push(compressed.subarray(at, next), next === compressed.length);
      }
      if (compressed.length === 0) inflater.push(new Uint8Array(0), true);
    } catch (err) {
      if (err instanceof ZipEntryError) throw err;
      fail(`damaged zip entry: ${messageOf(err)}`);
    }
    if (!finished || produced !== declared)
      fail(`damaged zip entry: inflates to ${produced} bytes, declares ${declared}`);
  }
  const got = crc32(bytes) >>> 0;
  if (got !== record.crc)
    fail(`damaged zip entry ${record.name}: CRC-32 is ${hex(got)}, the archive records ${hex(record.crc)}`);
  return bytes;
}

/**
 * The entries of a zip's central directory by name (the first of duplicate names). Names are decoded as
 * fflate does: UTF-8 when flag bit 11 is set, else Latin-1; ZIP64 sizes and offsets are read from their
 * extra field. An archive this cannot walk gives the entries found before the damage.
 */
export function centralDirectory(data: Uint8Array): Map<string, ZipEntryRecord> {
  const records = new Map<string, ZipEntryRecord>();
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let e = data.length - 22;
  while (e >= 0 && view.getUint32(e, true) !== 0x06054b50) e--;
  if (e < 0) return records;
  let count = view.getUint16(e + 10, true);
  let p = view.getUint32(e + 16, true);
  // ZIP64: the end record's locator sits just before it and points at the ZIP64 end record.
  if ((count === 0xffff || p === 0xffffffff) && e >= 20 && view.getUint32(e - 20, true) === 0x07064b50) {
    const z = Number(view.getBigUint64(e - 12, true));
    if (z + 56 <= data.length && view.getUint32(z, true) === 0x06064b50) {
      count = Number(view.getBigUint64(z + 32, true));
      p = Number(view.getBigUint64(z + 48, true));
    }
  }
  for (let i = 0; i < count && p + 46 <= data.length && view.getUint32(p, true) === 0x02014b50; i++) {
    const flags = view.getUint16(p + 8, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const raw = data.subarray(p + 46, p + 46 + nameLen);
    const name = flags & 0x800 ? new TextDecoder().decode(raw) : String.fromCharCode(...raw);
    let compressedSize = view.getUint32(p + 20, true);
    let originalSize = view.getUint32(p + 24, true);
    let localOffset = view.getUint32(p + 42, true);
    if (compressedSize === 0xffffffff || originalSize === 0xffffffff || localOffset === 0xffffffff) {
      const zip64 = zip64Fields(view, p + 46 + nameLen, extraLen);
      if (originalSize === 0xffffffff) originalSize = zip64.shift() ?? originalSize;
      if (compressedSize === 0xffffffff) compressedSize = zip64.shift() ?? compressedSize;
      if (localOffset === 0xffffffff) localOffset = zip64.shift() ?? localOffset;
    }
    if (!records.has(name)) {
      records.set(name, {
        name,
        compression: view.getUint16(p + 10, true),
        compressedSize,
        originalSize,
        crc: view.getUint32(p + 16, true),
        localOffset,
      });
    }
    p += 46 + nameLen + extraLen + view.getUint16(p + 32, true);
  }
  return records;
}

/** The 64-bit values of a ZIP64 extra field (id 0x0001) within `[at, at + length)`, in their order. */
function zip64Fields(view: DataView, at: number, length: number): number[] {
  const end = Math.min(at + length, view.byteLength);
  for (let q = at; q + 4 <= end;) {
    const id = view.getUint16(q, true);
    const size = view.getUint16(q + 2, true);
    if (id === 0x0001) {
      const out: number[] = [];
      for (let r = q + 4; r + 8 <= Math.min(q + 4 + size, end); r += 8) out.push(Number(view.getBigUint64(r, true)));
      return out;
    }
    q += 4 + size;
  }
  return [];
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
