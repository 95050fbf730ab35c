import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { decodeWav } from './decode-wav';
import { encodeWav16 } from './encode-wav';
import { WavDecodeError } from './wav-decode-error';

// Bounded for `npm test`; the seed makes a failure repeatable.
const RUNS = { numRuns: 300, seed: 13 };

/** Decoding gives a result or a WavDecodeError naming the source, never another exception. */
function resultOrTypedError(bytes: Uint8Array): void {
  try {
    decodeWav(bytes, 'fuzz.wav');
  } catch (e) {
    if (!(e instanceof WavDecodeError) || e.source !== 'fuzz.wav') throw e;
  }
}

const valid = encodeWav16(Float32Array.from({ length: 64 }, (_, i) => Math.sin(i) / 2), 8000);

it('arbitrary bytes: a result or a WavDecodeError', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), resultOrTypedError), RUNS);
});

it('mutated valid WAVs (bytes overwritten, file cut): a result or a WavDecodeError', () => {
  const mutation = fc.record({
    edits: fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
    cut: fc.nat({ max: valid.length }),
  });
  fc.assert(fc.property(mutation, ({ edits, cut }) => {
    const bytes = valid.slice(0, Math.max(cut, 12));
    for (const [at, b] of edits) if (at < bytes.length) bytes[at] = b;
    resultOrTypedError(bytes);
  }), RUNS);
});

it('a header declaring any rate and size never yields more samples than the bytes present hold', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), (rate, size) => {
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
  }), RUNS);
});
