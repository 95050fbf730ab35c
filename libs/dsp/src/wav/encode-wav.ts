import { WaveFile } from 'wavefile';

/**
 * Encode mono float samples as a 16-bit PCM RIFF/WAVE file.
 *
 * Each sample is scaled by 32768, rounded to the nearest integer and clipped to [-32768, 32767], so that
 * `decodeWav(encodeWav16(x)).samples` returns x exactly whenever x holds multiples of 1/32768 in [-1, 1)
 * (as every decoded 16-bit file does).
 *
 * @param samples    mono samples, nominally in [-1, 1]
 * @param sampleRate sample rate in Hz (a positive integer)
 */
export function encodeWav16(samples: Float32Array, sampleRate: number): Uint8Array {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) {
    throw new RangeError(`encodeWav16: sample rate must be a positive integer, got ${sampleRate}`);
  }
  const pcm = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round(samples[i] * 32768);
    pcm[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  const wav = new WaveFile();
  wav.fromScratch(1, sampleRate, '16', pcm);
  return wav.toBuffer();
}
