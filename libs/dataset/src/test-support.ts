// Helpers for this library's tests only (not exported from index.ts): temp folders, synthetic WAVs,
// and where the real FSDD recordings are.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { constants as zlibConstants, deflateRawSync } from 'node:zlib';
import { encodeWav16 } from '@digits/dsp';
import { FSDD_RECORDINGS, FSDD_RECORDINGS_ZIP, LIBROSA_REFERENCE, SHARED_FSDD } from '@digits/dsp/testing';

/** The shared FSDD copy beside the repository (`../shared/fsdd`), as CI lays it out. */
export { SHARED_FSDD };

/** The real 2,000 recordings: FSDD_DATA if set, else `../shared/fsdd/recordings`. */
export const REAL_FSDD = FSDD_RECORDINGS;

/** The real recordings as a zip (`recordings/<name>.wav` inside). */
export const REAL_FSDD_ZIP = FSDD_RECORDINGS_ZIP;

/** librosa's duration statistics of the 2,000 recordings. */
export const REFERENCE_DURATIONS = path.join(LIBROSA_REFERENCE, 'duration_stats.json');

/** A 16-bit mono WAV of `numSamples` samples of a quiet ramp (never all zero). */
export function syntheticWav(numSamples: number, sampleRate = 8000): Uint8Array {
  const x = new Float32Array(numSamples);
  for (let i = 0; i < numSamples; i++) x[i] = ((i % 200) - 100) / 1000;
  return encodeWav16(x, sampleRate);
}

/** Runs `fn` with a fresh temp folder, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'digits-dataset-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Raw deflate data that inflates to `megabytes` MiB of zeros in a few hundred bytes per MiB: one
 * sync-flushed block of 1 MiB of zeros, repeated, then an empty final block.
 */
export function deflatedZeros(megabytes: number): Uint8Array {
  const block = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  const last = deflateRawSync(Buffer.alloc(0));
  const out = new Uint8Array(block.length * megabytes + last.length);
  for (let i = 0; i < megabytes; i++) out.set(block, i * block.length);
  out.set(last, block.length * megabytes);
  return out;
}

/**
 * A one-entry zip built by hand around already-deflated bytes, with whatever uncompressed size and CRC
 * its headers should declare (both local and central header say the same): a zip that lies about its size.
 */
export function zipOfDeflated(name: string, deflated: Uint8Array, declaredSize: number, crc = 0): Uint8Array {
  const nameBytes = Buffer.from(name, 'latin1');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(crc >>> 0, 14);
  local.writeUInt32LE(deflated.length, 18);
  local.writeUInt32LE(declaredSize, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc >>> 0, 16);
  central.writeUInt32LE(deflated.length, 20);
  central.writeUInt32LE(declaredSize, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(0, 42);
  const centralOffset = 30 + nameBytes.length + deflated.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + nameBytes.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return new Uint8Array(Buffer.concat([local, nameBytes, deflated, central, nameBytes, end]));
}
