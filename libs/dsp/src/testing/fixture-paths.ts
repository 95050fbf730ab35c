// Where the shared test data lies, for every test and benchmark of the workspace (Node only: not part of
// @digits/dsp's browser-safe API; imported as @digits/dsp/testing). CI lays out ../shared beside the
// repository with the FSDD recordings and the librosa reference fixtures; FSDD_DATA and LIBROSA_REF point
// elsewhere (an empty value counts as unset).
import path from 'node:path';

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** The shared folder beside the repository (`../shared`). */
export const SHARED_DIR = path.resolve(REPO_ROOT, '..', 'shared');

/** The FSDD copy in it (`../shared/fsdd`): `recordings/` and `recordings.zip`. */
export const SHARED_FSDD = path.join(SHARED_DIR, 'fsdd');

/** The 2,000 FSDD recordings: env FSDD_DATA if set, else `../shared/fsdd/recordings`. */
export const FSDD_RECORDINGS = process.env.FSDD_DATA || path.join(SHARED_FSDD, 'recordings');

/** The shared recordings as a zip (`recordings/<name>.wav` inside). */
export const FSDD_RECORDINGS_ZIP = path.join(SHARED_FSDD, 'recordings.zip');

/** The librosa 0.9.2 reference fixtures: env LIBROSA_REF if set, else `../shared/reference/librosa`. */
export const LIBROSA_REFERENCE = process.env.LIBROSA_REF || path.join(SHARED_DIR, 'reference', 'librosa');
