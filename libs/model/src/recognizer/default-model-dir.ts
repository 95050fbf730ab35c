// Also importable alone as @digits/model/default-model-dir: the live app's main thread needs the path
// without loading tfjs (which @digits/model's index does).
import path from 'node:path';

/**
 * The repository's default model, `models/default`, resolved from the repository root (not the working
 * directory), so `digits predict` run anywhere finds it. `predict`, `eval`, `unknowns`, `promote`,
 * `train --promote`, `train5 --promote` and `live` all default to it.
 */
export const DEFAULT_MODEL_DIR = path.resolve(__dirname, '../../../../models/default');

/** How help texts show {@link DEFAULT_MODEL_DIR}: its path in the repository. */
export const DEFAULT_MODEL_DIR_LABEL = 'models/default';
