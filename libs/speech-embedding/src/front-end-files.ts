// The front end's two ONNX files and their description (front-end.json beside them). The sha256 of each
// file is checked at load, so a changed or truncated model file is a clear error, not quietly other numbers.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const FrontEndDescriptionSchema = z.object({
  kind: z.literal('speech-embedding'),
  name: z.string(),
  sampleRate: z.literal(16000),
  melFile: z.string().min(1),
  melSha256: z.string().regex(/^[0-9a-f]{64}$/),
  embeddingFile: z.string().min(1),
  embeddingSha256: z.string().regex(/^[0-9a-f]{64}$/),
  source: z.string(),
  licence: z.string(),
});
export type FrontEndDescription = z.infer<typeof FrontEndDescriptionSchema>;

/** The repository's copy: models/speech-embedding/ (resolved from this file, so any working directory works). */
export const DEFAULT_FRONT_END_DIR = path.resolve(__dirname, '../../../models/speech-embedding');
export const FRONT_END_FILE = 'front-end.json';

export class FrontEndFileError extends Error {
  override name = 'FrontEndFileError';
}

export interface FrontEndFiles {
  description: FrontEndDescription;
  mel: Uint8Array;
  embedding: Uint8Array;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads front-end.json and both model files from `dir`, checking each file's sha256. */
export function readFrontEndFiles(dir = DEFAULT_FRONT_END_DIR): FrontEndFiles {
  const file = path.join(dir, FRONT_END_FILE);
  if (!existsSync(file))
    throw new FrontEndFileError(`${file}: not found (the speech-embedding front end's description)`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FrontEndFileError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = FrontEndDescriptionSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FrontEndFileError(`${file}: field "${issue.path.join('.')}": ${issue.message}`);
  }
  const description = parsed.data;
  const load = (name: string, expected: string): Uint8Array => {
    const p = path.join(dir, name);
    if (!existsSync(p)) throw new FrontEndFileError(`${p}: not found (named in ${file})`);
    const bytes = readFileSync(p);
    const got = sha256(bytes);
    if (got !== expected) {
      throw new FrontEndFileError(
        `${p}: sha256 ${got} differs from ${expected} recorded in ${file} (a changed model file)`,
      );
    }
    return bytes;
  };
  return {
    description,
    mel: load(description.melFile, description.melSha256),
    embedding: load(description.embeddingFile, description.embeddingSha256),
  };
}
