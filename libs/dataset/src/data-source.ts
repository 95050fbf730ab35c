import path from 'node:path';
import { downloadFsdd, DATA_LAYOUT_HINT, type DownloadProgress } from './download';
import { DataSourceError, pathKind } from './source-entries';

/** Where {@link resolveDataSource} found the data. */
export type DataSourceOrigin = 'flag' | 'env' | 'data-zip' | 'data-folder' | 'download';

/** A resolved data location. */
export interface DataSource {
  /** Absolute path of a folder or zip to pass to `readDataset`. */
  path: string;
  /** Which rule found it. */
  origin: DataSourceOrigin;
  /** For people: e.g. `/x/recordings.zip (from FSDD_DATA)`. */
  description: string;
}

/** Options of {@link resolveDataSource}. */
export interface ResolveDataSourceOptions {
  /** The `--data <folder|zip>` value, if given. Relative to `cwd`. */
  flag?: string;
  /** The FSDD_DATA value. Default `process.env.FSDD_DATA`; an empty string counts as unset. Relative to `cwd`. */
  env?: string;
  /** Folder whose `data/` is searched and downloaded into. Default `process.cwd()`. */
  cwd?: string;
  /** Download when nothing is found. Default true; false turns that step into an error. */
  download?: boolean;
  /** Archive URL for the download. Default FSDD's repository (`FSDD_ARCHIVE_URL`). */
  url?: string;
  /** Download progress. */
  onProgress?: (progress: DownloadProgress) => void;
}

/**
 * Finds the FSDD data, first match wins:
 * 1. `flag` (`--data <folder|zip>`), 2. `env` (FSDD_DATA): must exist, else an error naming the path;
 * 3. `<cwd>/data/recordings.zip`, 4. `<cwd>/data/recordings/`;
 * 5. a download of FSDD's repository archive into `<cwd>/data/recordings.zip` (see `downloadFsdd`).
 * @throws DataSourceError naming a missing flag/env path, or saying how to supply the data when the download fails
 */
export async function resolveDataSource(options: ResolveDataSourceOptions = {}): Promise<DataSource> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const env = 'env' in options ? options.env : process.env.FSDD_DATA;

  if (options.flag !== undefined && options.flag !== '') {
    const p = path.resolve(cwd, options.flag);
    await pathKind(p, '--data path');
    return { path: p, origin: 'flag', description: `${p} (from --data)` };
  }
  if (env) {
    const p = path.resolve(cwd, env);
    await pathKind(p, 'FSDD_DATA path').catch((err: unknown) => {
      throw new DataSourceError(`${(err as Error).message} (set by the FSDD_DATA environment variable)`);
    });
    return { path: p, origin: 'env', description: `${p} (from FSDD_DATA)` };
  }
  const zip = path.join(cwd, 'data', 'recordings.zip');
  if (await exists(zip)) return { path: zip, origin: 'data-zip', description: zip };
  const folder = path.join(cwd, 'data', 'recordings');
  if (await exists(folder)) return { path: folder, origin: 'data-folder', description: folder };

  if (options.download === false) {
    throw new DataSourceError(
      `No FSDD data found (looked for --data, FSDD_DATA, ${zip}, ${folder}). ${DATA_LAYOUT_HINT}`,
    );
  }
  const got = await downloadFsdd({ destination: zip, url: options.url, onProgress: options.onProgress });
  return { path: got.path, origin: 'download', description: `${got.path} (downloaded, ${got.recordings} recordings)` };
}

async function exists(p: string): Promise<boolean> {
  try {
    await pathKind(p);
    return true;
  } catch {
    return false;
  }
}
