import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { DataSourceError, looksLikeZip } from './source-entries';

/**
 * FSDD's public repository as a zip of its default branch. It holds `recordings/` with 3,000 clips of six
 * speakers (the notebook's four plus george and lucas) besides code and docs.
 */
export const FSDD_ARCHIVE_URL = 'https://github.com/Jakobovski/free-spoken-digit-dataset/archive/refs/heads/master.zip';

/** What to do when the data is not there and cannot be downloaded; ends every download error. */
export const DATA_LAYOUT_HINT =
  'Pass --data <folder|zip> or set FSDD_DATA to a folder of FSDD recordings named {digit}_{speaker}_{index}.wav ' +
  '(e.g. 7_jackson_32.wav) or to a .zip of them (e.g. recordings/7_jackson_32.wav inside), ' +
  'or put them at ./data/recordings.zip or ./data/recordings/.';

/** FSDD's licence terms, which every copy must carry; written next to a downloaded copy. */
export const FSDD_ATTRIBUTION =
  'Free Spoken Digit Dataset (FSDD) by Zohar Jackson and contributors,\n' +
  'https://github.com/Jakobovski/free-spoken-digit-dataset\n' +
  'Licensed under Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0),\n' +
  'https://creativecommons.org/licenses/by-sa/4.0/\n';

/** Progress of a download. */
export interface DownloadProgress {
  /** Bytes received so far. */
  receivedBytes: number;
  /** The size the server announced (Content-Length), or null when it did not (GitHub often does not). */
  totalBytes: number | null;
}

/** Options of {@link downloadFsdd}. */
export interface DownloadFsddOptions {
  /** The zip to create, e.g. `<cwd>/data/recordings.zip`. Its folder is created if needed. */
  destination: string;
  /** Where to fetch the repository archive. Default {@link FSDD_ARCHIVE_URL}. */
  url?: string;
  /** Called after every received chunk and once at the end. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Cancels the download. */
  signal?: AbortSignal;
}

/** What {@link downloadFsdd} wrote. */
export interface DownloadResult {
  /** The zip written (`destination`, absolute). */
  path: string;
  /** Recordings in it. */
  recordings: number;
  /** Size of the downloaded archive (bytes). */
  archiveBytes: number;
}

/** A zip entry that is a recording of the repository: `<anything>/recordings/<name>.wav`. */
const RECORDING_ENTRY = /(?:^|\/)recordings\/([^/]+\.wav)$/i;

function messageOf(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    // node's fetch says only "fetch failed"; the reason (ENOTFOUND, ECONNREFUSED, ...) is in the cause.
    return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}

/**
 * Downloads FSDD's repository archive and saves all its recordings (every speaker it has) as a zip with
 * entries `recordings/<name>.wav`, the same layout as the usual `recordings.zip`; the code and docs of the
 * repository are left out. The zip is written under a temporary name and renamed into place, so a
 * cancelled or failed download never leaves a half-written `destination`. FSDD's attribution and licence
 * go into `FSDD-ATTRIBUTION.txt` beside it, as the licence requires.
 *
 * @throws DataSourceError when the network is unreachable, the server answers with an error, or the
 *   archive holds no recordings; the message says how to supply the data instead.
 */
export async function downloadFsdd(options: DownloadFsddOptions): Promise<DownloadResult> {
  const url = options.url ?? FSDD_ARCHIVE_URL;
  const destination = path.resolve(options.destination);
  const fail = (what: string): DataSourceError =>
    new DataSourceError(`Cannot download FSDD from ${url}: ${what}. ${DATA_LAYOUT_HINT}`);

  let response: Response;
  try {
    response = await fetch(url, { signal: options.signal, redirect: 'follow' });
  } catch (err) {
    throw fail(messageOf(err));
  }
  if (!response.ok) throw fail(`the server answered HTTP ${response.status} ${response.statusText}`.trim());

  const announced = Number(response.headers.get('content-length'));
  const totalBytes = Number.isFinite(announced) && announced > 0 ? announced : null;
  const chunks: Uint8Array[] = [];
  let receivedBytes = 0;
  try {
    const reader = response.body?.getReader();
    for (let part = await reader?.read(); part && !part.done; part = await reader!.read()) {
      chunks.push(part.value);
      receivedBytes += part.value.byteLength;
      options.onProgress?.({ receivedBytes, totalBytes });
    }
  } catch (err) {
    throw fail(`the transfer broke off after ${receivedBytes} bytes (${messageOf(err)})`);
  }
  options.onProgress?.({ receivedBytes, totalBytes });
  const archive = concat(chunks, receivedBytes);
  if (!looksLikeZip(archive)) throw fail(`the answer (${receivedBytes} bytes) is not a zip archive`);

  let recordings: Record<string, Uint8Array>;
  try {
    const expanded = unzipSync(archive, { filter: (f) => RECORDING_ENTRY.test(f.name) });
    recordings = Object.fromEntries(
      Object.entries(expanded).map(([entry, bytes]) => [RECORDING_ENTRY.exec(entry)![1], bytes]),
    );
  } catch (err) {
    throw fail(`the archive cannot be read (${messageOf(err)})`);
  }
  const count = Object.keys(recordings).length;
  if (count === 0) throw fail('the archive has no recordings/*.wav');

  // Stored, not deflated: PCM barely compresses and reading stays fast.
  const zipped = zipSync({ recordings: recordings as Zippable }, { level: 0 });
  await mkdir(path.dirname(destination), { recursive: true });
  await writeAtomically(destination, zipped);
  await writeAtomically(
    path.join(path.dirname(destination), 'FSDD-ATTRIBUTION.txt'),
    new TextEncoder().encode(FSDD_ATTRIBUTION),
  );
  return { path: destination, recordings: count, archiveBytes: receivedBytes };
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Writes to a temporary name in the same folder, then renames: readers see the old file or the whole new one. */
export async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}.${Date.now().toString(36)}.part`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
