import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeWav, WAV_MAX_CHANNELS } from './decode-wav';
import { encodeWav16 } from './encode-wav';

/** A 16-bit WAV whose header declares `channels`, with `dataBytes` bytes of data (0: an empty data chunk). */
function declaringChannels(channels: number, dataBytes: number): Uint8Array {
  const full = encodeWav16(new Float32Array(Math.max(1, dataBytes / 2)).fill(0.1), 8000);
  const bytes = full.slice(0, 44 + dataBytes);
  const v = new DataView(bytes.buffer);
  v.setUint16(22, channels, true);
  v.setUint32(40, dataBytes, true);
  v.setUint32(4, bytes.length - 8, true);
  return bytes;
}

test('65,535 channels is reported as the channel count, with or without data, never as an empty data chunk', () => {
  for (const dataBytes of [0, 200]) {
    assert.throws(() => decodeWav(declaringChannels(65535, dataBytes), 'many.wav'),
      { message: `many.wav: invalid channel count 65535 (at most ${WAV_MAX_CHANNELS})` });
  }
  assert.throws(() => decodeWav(declaringChannels(0, 200), 'none.wav'), { message: 'none.wav: invalid channel count 0' });
  // A valid channel count with no data is the empty chunk.
  assert.throws(() => decodeWav(declaringChannels(1, 0), 'empty.wav'), { message: 'empty.wav: no samples (empty data chunk)' });
});
