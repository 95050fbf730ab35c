// The decoder's fuzz properties, shared by decode-wav.property.test.ts (300 cases each in `npm test`) and
// `nx run dsp:fuzz --runs N` (many more). Test support only: not exported from the library's index.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkWavPrefix, decodeWav, DEFAULT_MAX_WAV_SECONDS, WAV_SAMPLE_RATE_RANGE } from './decode-wav';
import { encodeWav16 } from './encode-wav';
import { WavDecodeError } from './wav-decode-error';

/**
 * The memory bound every decode must keep: the mono float32 output is at most 4 bytes per input byte
 * (8-bit mono is the densest encoding) and at most DEFAULT_MAX_WAV_SECONDS at the highest accepted rate.
 */
export function decodedBytesBound(inputBytes: number): number {
  return Math.min(4 * inputBytes, 4 * DEFAULT_MAX_WAV_SECONDS * WAV_SAMPLE_RATE_RANGE.max);
}

/** Decoding gives a result within {@link decodedBytesBound} or a WavDecodeError naming the source, never another exception. */
function resultOrTypedError(bytes: Uint8Array): void {
  let samples: Float32Array;
  try {
    samples = decodeWav(bytes, 'fuzz.wav').samples;
  } catch (e) {
    if (!(e instanceof WavDecodeError) || e.source !== 'fuzz.wav') throw e;
    return;
  }
  assert.ok(
    samples.byteLength <= decodedBytesBound(bytes.length),
    `${samples.byteLength} output bytes from ${bytes.length} input bytes`,
  );
}

const valid = encodeWav16(
  Float32Array.from({ length: 64 }, (_, i) => Math.sin(i) / 2),
  8000,
);

const mutation = fc.record({
  edits: fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
  cut: fc.nat({ max: valid.length }),
});

/** Named properties; each call builds a fresh property. */
export const WAV_PROPERTIES: { name: string; property: () => fc.IProperty<any> }[] = [
  {
    name: 'arbitrary bytes: a result or a WavDecodeError',
    property: () => fc.property(fc.uint8Array({ maxLength: 256 }), resultOrTypedError),
  },
  {
    name: 'mutated valid WAVs (bytes overwritten, file cut): a result or a WavDecodeError',
    property: () =>
      fc.property(mutation, ({ edits, cut }) => {
        const bytes = valid.slice(0, Math.max(cut, 12));
        for (const [at, b] of edits) if (at < bytes.length) bytes[at] = b;
        resultOrTypedError(bytes);
      }),
  },
  {
    name: 'a header declaring any rate and size never yields more samples than the bytes present hold',
    property: () =>
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), (rate, size) => {
        const bytes = valid.slice();
        const v = new DataView(bytes.buffer);
        v.setUint32(24, rate, true);
        v.setUint32(40, size, true);
        try {
          const d = decodeWav(bytes, 'fuzz.wav');
          assert.ok(d.samples.length <= (valid.length - 44) / 2);
        } catch (e) {
          if (!(e instanceof WavDecodeError)) throw e;
        }
      }),
  },
  {
    name: 'any channel count, bit depth and format tag in the header: a result within the bound or a WavDecodeError',
    property: () =>
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.constantFrom(1, 3, 0xfffe, 0, 0x55, 0xffff),
        (channels, bits, format) => {
          const bytes = valid.slice();
          const v = new DataView(bytes.buffer);
          v.setUint16(20, format, true);
          v.setUint16(22, channels, true);
          v.setUint16(34, bits, true);
          resultOrTypedError(bytes);
        },
      ),
  },
  {
    name: 'the header check never refuses a file the decoder accepts, and only with a WavDecodeError',
    property: () =>
      fc.property(mutation, fc.nat({ max: valid.length }), ({ edits, cut }, prefixLength) => {
        const bytes = valid.slice(0, Math.max(cut, 12));
        for (const [at, b] of edits) if (at < bytes.length) bytes[at] = b;
        let refused = false;
        try {
          checkWavPrefix(bytes.subarray(0, prefixLength), bytes.length, 'fuzz.wav', { maxSeconds: 0.005 });
        } catch (e) {
          if (!(e instanceof WavDecodeError)) throw e;
          refused = true;
        }
        if (refused) assert.throws(() => decodeWav(bytes, 'fuzz.wav', { maxSeconds: 0.005 }), WavDecodeError);
      }),
  },
];
