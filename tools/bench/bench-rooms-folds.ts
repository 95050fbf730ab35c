// The LOSO fold model folders a rooms benchmark measures (eval-protocol --save-models), and their records.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Fold model folders under `dir` with the speaker each was trained without (meta.json heldOutSpeaker). */
export function foldModels(dir: string): { dir: string; speaker: string }[] {
  if (!existsSync(dir)) throw new Error(`--models: no folder ${dir}`);
  return readdirSync(dir)
    .map((name) => path.join(dir, name))
    .filter((d) => existsSync(path.join(d, 'meta.json')))
    .map((d) => ({ dir: d, speaker: JSON.parse(readFileSync(path.join(d, 'meta.json'), 'utf8')).heldOutSpeaker }))
    .filter((m): m is { dir: string; speaker: string } => typeof m.speaker === 'string')
    .sort((a, b) => a.speaker.localeCompare(b.speaker));
}

/**
 * The fold's unknown threshold (the confidence keeping 97% of its test digits, which eval-protocol recorded in
 * <run>/protocols/model6.json beside the fold folders), if there is one. Chosen on the held-out speaker's own
 * digits: for a look at the operating point only, never for a figure of a new voice.
 */
export function foldThreshold(foldDir: string): number | undefined {
  const file = path.join(foldDir, '..', '..', `${path.basename(path.dirname(foldDir))}.json`);
  if (!existsSync(file)) return undefined;
  const name = `loso:${path.basename(foldDir).replace(/^loso-/, '')}`;
  const results = (JSON.parse(readFileSync(file, 'utf8')).results ?? []) as {
    folds: { name: string; unknown?: { threshold?: number } }[];
  }[];
  return results.flatMap((r) => r.folds).find((f) => f.name === name)?.unknown?.threshold;
}
