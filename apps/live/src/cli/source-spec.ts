import { InvalidArgumentError } from 'commander';

/** A parsed `--source`: the microphone, a WAV file, or raw PCM on stdin. */
export type SourceSpec = { kind: 'mic' } | { kind: 'wav'; path: string } | { kind: 'stdin' };

/** Parses `--source mic|wav:PATH|stdin` (commander argument parser; errors name the option). */
export function parseSourceSpec(value: string): SourceSpec {
  const v = value.trim();
  if (v === 'mic') return { kind: 'mic' };
  if (v === 'stdin' || v === '-') return { kind: 'stdin' };
  if (v.startsWith('wav:')) {
    const path = v.slice(4);
    if (!path) throw new InvalidArgumentError('--source wav: needs a file, e.g. --source wav:recording.wav');
    return { kind: 'wav', path };
  }
  if (/\.wav$/i.test(v)) throw new InvalidArgumentError(`write --source wav:${v} for a WAV file`);
  throw new InvalidArgumentError(`--source must be mic, wav:PATH or stdin, got "${value}"`);
}
