import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * On-disk cache of computed features, keyed by everything that determines them: the feature config,
 * what was computed (kind + augmentations) and the clip's bytes. A changed file or config is a miss,
 * never a stale hit. Entries are raw float32 files, written atomically (temp name, then rename).
 */
export class FeatureCache {
  /** Set after the first failed write: a cache that cannot be written is a warning, not a failed command. */
  private unwritable = false;

  constructor(
    readonly dir: string,
    private readonly warn: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  ) {}

  /** The key of one entry: sha256 over the parts (hex). */
  static key(parts: string[], content: Uint8Array): string {
    const h = createHash('sha256');
    for (const p of parts) h.update(p).update('\0');
    h.update(content);
    return h.digest('hex');
  }

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.f32`);
  }

  /** The entry, or undefined when absent or of the wrong size (a torn or foreign file is a miss). */
  get(key: string, expectedFloats: number): Float32Array | undefined {
    let buf: Buffer;
    try {
      buf = readFileSync(this.file(key));
    } catch {
      return undefined;
    }
    if (buf.byteLength !== expectedFloats * 4) return undefined;
    const out = new Float32Array(expectedFloats);
    new Uint8Array(out.buffer).set(buf);
    return out;
  }

  /** Stores an entry; when the folder cannot be written (a file in its place, a full disk) warns once and goes on. */
  put(key: string, data: Float32Array): void {
    if (this.unwritable) return;
    const file = this.file(key);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(tmp, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      renameSync(tmp, file);
    } catch (err) {
      this.unwritable = true;
      try {
        rmSync(tmp, { force: true });
      } catch {
        /* nothing was written */
      }
      this.warn(
        `warning: feature cache ${this.dir} cannot be written (${(err as Error).message}); going on without caching`,
      );
    }
  }
}
