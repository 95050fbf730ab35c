import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxAbsDiff, readF32, readManifest, readRecording } from '../testing/reference-fixtures';
import { resample } from '../resample/resample';
import { decodeWav } from '../wav/decode-wav';
import { fixLength } from './fix-length';
import { nonZeroMask } from './non-zero-mask';

describe('fixLength', () => {
  it('pads with zeros at the end, truncates to the first n, always returns a new array', () => {
    const x = Float32Array.from([1, 2, 3]);
    assert.deepEqual(fixLength(x, 5), Float32Array.from([1, 2, 3, 0, 0]));
    assert.deepEqual(fixLength(x, 2), Float32Array.from([1, 2]));
    const same = fixLength(x, 3);
    assert.deepEqual(same, x);
    assert.notEqual(same, x);
    assert.equal(fixLength(x, 0).length, 0);
    assert.throws(() => fixLength(x, -1), RangeError);
    assert.throws(() => fixLength(x, 2.5), RangeError);
  });
});

describe('nonZeroMask', () => {
  it('marks exactly the non-zero samples (-0 counts as zero)', () => {
    assert.deepEqual(nonZeroMask(Float32Array.from([0, 1e-30, -0, -2, 0])), Uint8Array.from([0, 1, 0, 1, 0]));
  });
});

describe('padding and mask against the reference (fix_length(load(sr=22050), 17640), padded != 0)', () => {
  const manifest = readManifest();
  for (const stem of manifest.selected) {
    it(stem, () => {
      const d = decodeWav(readRecording(stem), stem);
      const padded = fixLength(resample(d.samples, d.sampleRate, 22050), manifest.pipeline.pad_len);
      const ref = readF32(`base/${stem}.pad17640.f32`);
      assert.equal(padded.length, 17640);
      assert.ok(maxAbsDiff(padded, ref) <= 1e-5);
      const mask = nonZeroMask(padded);
      assert.deepEqual(mask, nonZeroMask(ref));
      // README: the mask covers n - 1 samples (the last loaded sample is exactly 0), or all 17640 when cut.
      const n = manifest.base_info[stem].n22050;
      const count = mask.reduce((s, v) => s + v, 0);
      assert.equal(count, n > 17640 ? 17640 : n - 1);
    });
  }
});
