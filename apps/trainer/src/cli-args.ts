import { InvalidArgumentError, Option } from 'commander';
import { parseRoomParts, type RoomPart } from '@digits/acoustics';
import { DEFAULT_MODEL_DIR, DEFAULT_MODEL_DIR_LABEL } from '@digits/model';

/** A commander argument parser for positive integers that names the option in its error. */
export function parsePositiveInt(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${name} must be a positive integer, got "${value}"`);
    return n;
  };
}

/** Like parsePositiveInt, but 0 is allowed. */
export function parseNonNegativeInt(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new InvalidArgumentError(`${name} must be a whole number >= 0, got "${value}"`);
    return n;
  };
}

/** The help text of `--data` where a command resolves the data like resolveDataSource does. */
export const DATA_HELP = 'FSDD recordings (default: $FSDD_DATA, ./data/recordings(.zip), else download)';

/** `--data <folder|zip>`: the FSDD recordings, declared once for every command that reads them. */
export function dataOption(description = DATA_HELP): Option {
  return new Option('--data <folder|zip>', description);
}

/** `--seed <n>` (a whole number, default 33, the notebook's random_state), with what it seeds. */
export function seedOption(description: string): Option {
  return new Option('--seed <n>', description).argParser(parseNonNegativeInt('--seed')).default(33);
}

/** `-m, --model <dir>`: a model folder, default the repository's models/default (see DEFAULT_MODEL_DIR). */
export function modelOption(description = 'model folder'): Option {
  // Shown as the repository path, quoted as commander shows a plain string default.
  return new Option('-m, --model <dir>', description).default(
    DEFAULT_MODEL_DIR,
    JSON.stringify(DEFAULT_MODEL_DIR_LABEL),
  );
}

/**
 * `--rooms [copies]`: a bare flag means 2 copies (commander passes the preset through the parser; without it a
 * bare flag was `true`, one copy, and a protocol file its schema refused), otherwise a whole number 1-8.
 */
export function roomsOption(description: string): Option {
  return new Option('--rooms [copies]', description).preset('2').argParser(roomsCopies);
}

/** The parser of `--rooms [copies]` (see roomsOption). */
export function roomsCopies(value: string | undefined): number {
  if (value === undefined) return 2;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`--rooms: expected 1-8 copies, got "${value}"`);
  return n;
}

/** `--rooms-without <parts>`: parts of the room training to leave out (an ablation), e.g. "babble,room". */
export function roomsWithoutParts(value: string): RoomPart[] {
  return parseRoomParts(value, '--rooms-without');
}

/** `--rooms-backgrounds <n>`: backgrounds alone per room copy for the unknown class, 1-2000. */
export function roomsBackgrounds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 2000)
    throw new Error(`--rooms-backgrounds: expected a whole number 1-2000, got "${value}"`);
  return n;
}

/** `--rooms-extra <n>`: extra-voice clips given one room copy, 1-100000. */
export function roomsExtra(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100000)
    throw new Error(`--rooms-extra: expected a whole number 1-100000, got "${value}"`);
  return n;
}

/** The room options that need others beside them (train6 and eval-protocol take the same ones). */
export function checkRoomOptions(opts: {
  rooms?: number;
  roomsWithout?: unknown;
  roomsExtra?: number;
  roomsBackgrounds?: number;
  extraTrain?: string;
  unknowns?: string;
}): void {
  if (opts.roomsWithout && !opts.rooms) throw new Error('--rooms-without: needs --rooms (it leaves parts out of it)');
  if (opts.roomsExtra && !(opts.rooms && opts.extraTrain))
    throw new Error('--rooms-extra: needs --rooms and --extra-train (it copies extra clips into rooms)');
  if (opts.roomsBackgrounds && !(opts.rooms && opts.unknowns))
    throw new Error('--rooms-backgrounds: needs --rooms and --unknowns (the backgrounds join the unknown class)');
}
