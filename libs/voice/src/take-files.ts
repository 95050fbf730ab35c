// Takes from disk: a folder or zip of WAVs named `{digit}_{name}_{n}.wav` (FSDD's naming).
import { readClips } from '@digits/dataset';
import { decodeWav } from '@digits/dsp';
import type { EnrolTake } from './take-check';

/** What take files must be called. */
export const TAKE_NAME_PATTERN = '{digit}_{name}_{n}.wav';

const TAKE_NAME = /^([0-9])_([^_/\\]+)_([0-9]+)\.wav$/i;

/** The digit, voice name and take number of a take's file name (a base name), or an Error saying what is wrong. */
export function parseTakeName(file: string): { digit: number; name: string; n: number } | Error {
  const m = TAKE_NAME.exec(file);
  if (m) return { digit: Number(m[1]), name: m[2], n: Number(m[3]) };
  if (!/\.wav$/i.test(file)) return new Error(`${file}: not a .wav file`);
  return new Error(`${file}: not named ${TAKE_NAME_PATTERN} (e.g. 7_alice_0.wav: digit, your name, take number)`);
}

/** Takes read from files, with the voice names their files carry. */
export interface TakeFiles {
  takes: EnrolTake[];
  /** Distinct `{name}` parts of the file names, sorted. */
  names: string[];
}

/**
 * Reads every WAV of a folder (top level) or zip (any depth) as takes. Throws one Error listing every file
 * that is misnamed or does not decode (a take whose digit is unknown cannot be used, and silently leaving
 * it out would hide a typo), or when there are no WAVs at all.
 */
export async function readTakeFiles(source: string): Promise<TakeFiles> {
  const { clips, skipped } = await readClips([source]);
  // Other files beside the takes (a README, .DS_Store) are no concern; WAVs that do not decode are.
  const problems = skipped.filter((s) => s.reason !== 'not a .wav file').map((s) => `${s.name}: ${s.reason}`);
  const takes: EnrolTake[] = [];
  const names = new Set<string>();
  for (const c of clips) {
    const parsed = parseTakeName(c.name);
    if (parsed instanceof Error) {
      problems.push(parsed.message.replace(c.name, c.location));
      continue;
    }
    try {
      const wav = decodeWav(c.bytes, c.location);
      takes.push({ digit: parsed.digit, name: c.name, samples: wav.samples, sampleRate: wav.sampleRate });
      names.add(parsed.name);
    } catch (e) {
      problems.push(`${c.location}: ${(e as Error).message}`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`${source}: ${problems.length} file(s) cannot be used as takes:\n  ${problems.join('\n  ')}`);
  }
  return { takes, names: [...names].sort() };
}
