// Where enrolled voices live and what a voice folder says about itself. Also importable alone as
// @digits/voice/voice-dirs: the live app's main thread resolves `--voice NAME` without loading tfjs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** What a voice name may be: lower-case letters, digits, `_` and `-`, 1 to 40 of them (a safe folder name). */
export const VOICE_NAME_PATTERN = /^[a-z0-9_-]{1,40}$/;

/** The `enrolment` block of a personal model's meta.json (written by enrolVoice, read by listVoices). */
export const EnrolmentMetaSchema = z
  .object({
    /** The base model folder, absolute. */
    baseModel: z.string().min(1),
    /** The base model's meta.json title (or slug), for people. */
    baseTitle: z.string().optional(),
    voiceName: z.string().optional(),
    /** ISO 8601 time the voice was enrolled. */
    createdAt: z.string(),
    /** How the model was adapted, e.g. "head-finetune". */
    method: z.string(),
    /** The takes used, as stored under takes/. */
    takes: z.array(z.object({ file: z.string(), digit: z.number().int().min(0).max(9), source: z.string() })),
    /** Takes that were left out, and why. */
    rejected: z.array(z.object({ name: z.string(), reason: z.string() })),
    /** The enrolment settings (seed, copies, steps, pull, ...). */
    settings: z.record(z.unknown()),
    /** Compute seconds of the enrolment. */
    seconds: z.number().optional(),
  })
  .passthrough();
export type EnrolmentMeta = z.infer<typeof EnrolmentMetaSchema>;

/** One enrolled voice, as `digits voices` lists it. */
export interface VoiceInfo {
  name: string;
  dir: string;
  baseModel: string;
  takes: number;
  createdAt: string;
  method: string;
}

/** `$DIGITS_HOME/voices` when DIGITS_HOME is set, else `~/.digits/voices`. */
export function voicesRoot(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.DIGITS_HOME?.trim();
  return home ? path.resolve(home, 'voices') : path.join(os.homedir(), '.digits', 'voices');
}

/** Throws unless `name` is a valid voice name (see VOICE_NAME_PATTERN). */
export function checkVoiceName(name: string): void {
  if (!VOICE_NAME_PATTERN.test(name)) {
    throw new Error(`voice name "${name}": use 1-40 characters of a-z, 0-9, "_" and "-" (it becomes a folder name)`);
  }
}

/** The folder of voice `name` under `root` (default voicesRoot()); the name is validated first. */
export function voiceDir(name: string, root: string = voicesRoot()): string {
  checkVoiceName(name);
  return path.join(root, name);
}

/**
 * The enrolment block of `dir/meta.json`, or null when the folder holds no personal model (no meta.json,
 * invalid JSON, or no valid `enrolment`).
 */
export function readEnrolmentMeta(dir: string): EnrolmentMeta | null {
  let meta: unknown;
  try {
    meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
  } catch {
    return null;
  }
  const r = EnrolmentMetaSchema.safeParse((meta as { enrolment?: unknown } | null)?.enrolment);
  return r.success ? r.data : null;
}

/**
 * The voices under `root` (default voicesRoot()), by name: every sub-folder with a valid voice name whose
 * meta.json has an enrolment block. Other entries (temporary folders of a write in progress, stray files)
 * are ignored; a missing root is no voices.
 */
export function listVoices(root: string = voicesRoot()): VoiceInfo[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`${root}: cannot list voices (${(e as Error).message})`);
  }
  const out: VoiceInfo[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || !VOICE_NAME_PATTERN.test(e.name)) continue;
    const dir = path.join(root, e.name);
    const meta = readEnrolmentMeta(dir);
    if (!meta) continue;
    out.push({
      name: e.name,
      dir,
      baseModel: meta.baseModel,
      takes: meta.takes.length,
      createdAt: meta.createdAt,
      method: meta.method,
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
