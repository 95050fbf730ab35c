import path from 'node:path';

/** Where features are cached unless told otherwise: $DIGITS_CACHE, else ./.cache/features. */
export function defaultCacheDir(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  return env.DIGITS_CACHE ? path.resolve(cwd, env.DIGITS_CACHE) : path.join(cwd, '.cache', 'features');
}
