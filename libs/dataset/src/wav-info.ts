import { decodeWav, WavDecodeError } from '@digits/dsp';

/** What a dataset needs to know of a WAV file without keeping its samples. */
export interface WavInfo {
  /** Sample rate (Hz). */
  sampleRate: number;
  /** Samples per channel at that rate. */
  numSamples: number;
}

/**
 * Decodes the bytes fully (so a damaged file is found now, not in the middle of featurisation) and keeps
 * only the rate and length. Returns the decoder's problem description instead of throwing.
 * @param location used in the decoder's messages
 */
export function inspectWav(bytes: Uint8Array, location: string): WavInfo | { error: string } {
  try {
    const wav = decodeWav(bytes, location);
    return { sampleRate: wav.sampleRate, numSamples: wav.samples.length };
  } catch (err) {
    if (err instanceof WavDecodeError) return { error: err.problem };
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
