import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkWavPrefix, decodeWav, WAV_MAX_CHANNELS } from './decode-wav';
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
    assert.throws(() => decodeWav(declaringChannels(65535, dataBytes), 'many.wav'), {
      message: `many.wav: invalid channel count 65535 (at most ${WAV_MAX_CHANNELS})`,
    });
  }
  assert.throws(() => decodeWav(declaringChannels(0, 200), 'none.wav'), {
    message: 'none.wav: invalid channel count 0',
  });
  // A valid channel count with no data is the empty chunk.
  assert.throws(() => decodeWav(declaringChannels(1, 0), 'empty.wav'), {
    message: 'empty.wav: no samples (empty data chunk)',
  });
});

test('checkWavPrefix refuses from the header what decodeWav would refuse, with the same message; silent when it cannot tell', () => {
  const head = encodeWav16(new Float32Array(0), 8000); // 44 bytes: fmt + an empty data chunk header
  const declaring = (dataBytes: number, edit?: (v: DataView) => void) => {
    const b = head.slice();
    const v = new DataView(b.buffer);
    v.setUint32(40, dataBytes, true);
    edit?.(v);
    return b;
  };
  const long = 61 * 8000 * 2;
  assert.throws(() => checkWavPrefix(declaring(long), 44 + long, 'long.wav'), {
    message: `long.wav: clip is 61.0 s long (${61 * 8000} frames at 8000 Hz), more than the limit of 60 s`,
  });
  assert.doesNotThrow(() => checkWavPrefix(declaring(long), 44 + long, 'long.wav', { maxSeconds: 62 }));
  assert.throws(
    () =>
      checkWavPrefix(
        declaring(1000, (v) => v.setUint32(24, 1, true)),
        1044,
        'slow.wav',
      ),
    { message: 'slow.wav: sample rate 1 Hz is outside the supported range 1000-384000 Hz' },
  );
  assert.throws(
    () =>
      checkWavPrefix(
        declaring(1000, (v) => v.setUint16(22, 65535, true)),
        1044,
        'many.wav',
      ),
    { message: `many.wav: invalid channel count 65535 (at most ${WAV_MAX_CHANNELS})` },
  );
  assert.throws(() => checkWavPrefix(declaring(1000), 500, 'cut.wav'), {
    message: 'cut.wav: truncated "data" chunk: declares 1000 bytes, only 456 present',
  });
  // The same file whole gives decodeWav's identical message.
  const whole = new Uint8Array(44 + 1000);
  whole.set(declaring(1000, (v) => v.setUint32(24, 1, true)));
  assert.throws(() => decodeWav(whole, 'slow.wav'), {
    message: 'slow.wav: sample rate 1 Hz is outside the supported range 1000-384000 Hz',
  });
  // Too short to tell, or not RIFF: left to the full decode.
  assert.doesNotThrow(() => checkWavPrefix(head.subarray(0, 30), 10_000_000, 'x.wav'));
  assert.doesNotThrow(() => checkWavPrefix(new Uint8Array(100), 100, 'x.wav'));
  assert.doesNotThrow(() => checkWavPrefix(declaring(1000), 1044, 'ok.wav'));
});
