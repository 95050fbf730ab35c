import { InvalidArgumentError } from 'commander';

/** A commander parser for a positive integer, naming the option in its error. */
export function positiveInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${name} must be a positive integer, got "${value}"`);
    return n;
  };
}

/** A commander parser for a TCP port: 0 (any free port) to 65535. */
export function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError(`--port must be 0-65535, got "${value}"`);
  return n;
}

/** A commander parser for a probability 0..1. */
export function probability(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !(n >= 0 && n <= 1))
      throw new InvalidArgumentError(`${name} must be a number from 0 to 1, got "${value}"`);
    return n;
  };
}

/** Capture rates a sound card offers, in Hz: far below, the detector sees noise as speech. */
export const MIN_RATE_HZ = 8000;
export const MAX_RATE_HZ = 192000;

/** A commander parser for a sample rate: an integer from MIN_RATE_HZ to MAX_RATE_HZ. */
export function sampleRate(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < MIN_RATE_HZ || n > MAX_RATE_HZ) {
      throw new InvalidArgumentError(
        `${name} must be an integer rate from ${MIN_RATE_HZ} to ${MAX_RATE_HZ} Hz, got "${value}"`,
      );
    }
    return n;
  };
}

/** A commander parser for a number in [min, max], naming the option and the unit in its error. */
export function numberIn(name: string, min: number, max: number, unit: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !(n >= min && n <= max))
      throw new InvalidArgumentError(`${name} must be a number from ${min} to ${max} ${unit}, got "${value}"`);
    return n;
  };
}
