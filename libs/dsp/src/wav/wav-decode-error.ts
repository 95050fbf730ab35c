/**
 * Thrown by {@link decodeWav} when bytes are not a WAV file it can decode. The message always starts with
 * the file name (the `source` given to `decodeWav`, or `<bytes>`), so a failing dataset run names the culprit.
 */
export class WavDecodeError extends Error {
  override readonly name = 'WavDecodeError';
  /** The file (or other origin) the bytes came from, as passed to `decodeWav`. */
  readonly source: string;
  /** What is wrong, without the file name. */
  readonly problem: string;

  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.source = source;
    this.problem = problem;
  }
}
