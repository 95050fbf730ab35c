import { existsSync, readFileSync } from 'node:fs';

/**
 * Parses a JSON file; undefined when it does not exist.
 * @throws an error naming the file when it is not valid JSON
 */
export function readJsonIfExists<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
}
