import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes a whole folder atomically: the files go to a temporary sibling folder, which then replaces
 * `dir` by rename. A crash at any point leaves either the old folder or the new one, never a mix.
 * A name may hold sub-folders (`takes/0_alice_0.wav`); they are created.
 */
export function writeFolderAtomic(dir: string, files: Record<string, Uint8Array | string>): void {
  const target = path.resolve(dir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp, { recursive: true });
  try {
    for (const [name, data] of Object.entries(files)) {
      const file = path.join(tmp, name);
      if (!file.startsWith(tmp + path.sep)) throw new Error(`writeFolderAtomic: "${name}" is outside the folder`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, data);
    }
    const old = `${target}.old-${process.pid}-${Date.now()}`;
    const hadOld = fs.existsSync(target);
    if (hadOld) fs.renameSync(target, old);
    fs.renameSync(tmp, target);
    if (hadOld) fs.rmSync(old, { recursive: true, force: true });
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Reads `dir/name`, with an error that names the folder, the file and what was expected. */
export function readFolderFile(dir: string, name: string, what: string): Buffer {
  const file = path.join(dir, name);
  if (!fs.existsSync(dir)) throw new Error(`${dir}: no such folder (expected ${what})`);
  if (!fs.existsSync(file)) throw new Error(`${dir}: missing ${name} (expected ${what})`);
  return fs.readFileSync(file);
}

/** Parses JSON from `dir/name`, naming the file when it is not valid JSON. */
export function readFolderJson(dir: string, name: string, what: string): unknown {
  const text = readFolderFile(dir, name, what).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${path.join(dir, name)}: not valid JSON (${(err as Error).message})`);
  }
}
