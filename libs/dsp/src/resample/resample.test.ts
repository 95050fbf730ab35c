import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxAbsDiff, readF32, readManifest, readRecording } from '../testing/reference-fixtures';
import { decodeWav } from '../wav/decode-wav';
import { besselI0, kaiserBestFilter } from './kaiser-best-filter';
import { resample, resampleToLength, resampleToLengthBatch, resampyResample } from './resample';

function tone(hz: number, sampleRate: number, seconds: number, amplitude = 0.5): Float32Array {
  const n = Math.round(sampleRate * seconds);
  return Float32Array.from({ length: n }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate));
}

/** RMS over the middle half (away from the edges, where the filter sees the zero extension). */
function middleRms(x: Float32Array): number {
  let s = 0;
  const a = Math.floor(x.length / 4);
  const b = Math.floor((3 * x.length) / 4);
  for (let i = a; i < b; i++) s += x[i] * x[i];
  return Math.sqrt(s / (b - a));
}

describe('kaiser_best filter table', () => {
  it('has resampy 0.4.2 kaiser_best shape: 50 zero crossings x 2^13 points, starting at the rolloff', () => {
    const f = kaiserBestFilter();
    assert.equal(f.win.length, 50 * 8192 + 1);
    assert.equal(f.density, 8192);
    assert.ok(Math.abs(f.win[0] - 0.917347) < 1e-15); // rolloff * sinc(0) * kaiser centre (1)
    assert.equal(f.delta[f.delta.length - 1], 0); // np.diff(append=win[-1])
    assert.equal(f.delta[10], f.win[11] - f.win[10]);
  });

  it('I0 matches known values', () => {
    assert.ok(Math.abs(besselI0(0) - 1) < 1e-16);
    assert.ok(Math.abs(besselI0(1) / 1.2660658777520082 - 1) < 1e-15);
    assert.ok(Math.abs(besselI0(12.9846) / 48718.34656175112 - 1) < 1e-14); // scipy.special.i0
  });
});

describe('resample: librosa.load(sr=22050) with resampy kaiser_best', () => {
  const manifest = readManifest();
  for (const stem of manifest.selected) {
    it(`${stem}: 8 kHz -> 22050 Hz within 1e-5 of the reference, length ceil(n * 22050 / 8000)`, () => {
      const d = decodeWav(readRecording(stem), stem);
      const y = resample(d.samples, d.sampleRate, 22050);
      const ref = readF32(`base/${stem}.load22050.f32`);
      assert.equal(y.length, Math.ceil((d.samples.length * 22050) / 8000));
      assert.equal(y.length, manifest.base_info[stem].n22050);
      assert.ok(maxAbsDiff(y, ref) <= 1e-5, `max diff ${maxAbsDiff(y, ref)}`);
      // librosa pads resampy's floor(...) output with zeros: the last sample is exactly 0.
      assert.equal(y[y.length - 1], manifest.base_info[stem].last_sample);
      assert.equal(y[y.length - 1], 0);
    });
  }

  it('pitch_shift internals: resampling from 22050 / rate to 22050 Hz, up and down', () => {
    for (const s of ['-1', '+1']) {
      const rate = 2 ** (-Number(s) / 12);
      const inner = readF32(`aug/0_jackson_0.ps_inner_r1_s${s}.f32`);
      const ref = readF32(`aug/0_jackson_0.ps_resampled_r1_s${s}.f32`);
      const y = resample(inner, 22050 / rate, 22050);
      assert.equal(y.length, ref.length, s);
      assert.ok(maxAbsDiff(y, ref) <= 1e-5, `${s}: ${maxAbsDiff(y, ref)}`);
    }
  });

  it('resampy length is floor(n * out / in); librosa pads it to ceil', () => {
    const x = tone(300, 8000, 0.1).subarray(0, 799);
    assert.equal(resampyResample(x, 8000, 22050).length, Math.floor((799 * 22050) / 8000));
    assert.equal(resample(x, 8000, 22050).length, Math.ceil((799 * 22050) / 8000));
    assert.throws(() => resample(new Float32Array(1), 22050, 8000), RangeError); // floor(1 * 8000 / 22050) = 0
    assert.throws(() => resample(new Float32Array(10), 0, 8000), RangeError);
  });

  it('equal rates return an equal copy', () => {
    const x = tone(440, 16000, 0.05);
    const y = resample(x, 16000, 16000);
    assert.notEqual(y, x);
    assert.deepEqual(y, x);
  });

  for (const srIn of [16000, 44100, 48000]) {
    it(`any rate: ${srIn} Hz -> 22050 Hz keeps a 1 kHz tone (amplitude and frequency)`, () => {
      const x = tone(1000, srIn, 0.5);
      const y = resample(x, srIn, 22050);
      assert.equal(y.length, Math.ceil((x.length * 22050) / srIn));
      assert.ok(Math.abs(middleRms(y) - 0.5 / Math.SQRT2) < 1e-3, `rms ${middleRms(y)}`);
      // Compare with the ideal tone at the new rate, away from the edges.
      for (let i = 2000; i < y.length - 2000; i += 97) {
        assert.ok(Math.abs(y[i] - 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 22050)) < 2e-3, `sample ${i}`);
      }
    });
  }

  it('downsampling to 8 kHz: the filter is scaled, passband kept, content above 4 kHz removed', () => {
    const pass = resample(tone(1000, 22050, 0.5), 22050, 8000);
    assert.equal(pass.length, Math.ceil((11025 * 8000) / 22050));
    assert.ok(Math.abs(middleRms(pass) - 0.5 / Math.SQRT2) < 1e-3, `passband rms ${middleRms(pass)}`);
    const stop = resample(tone(6000, 22050, 0.5), 22050, 8000); // would alias to 2 kHz
    assert.ok(middleRms(stop) < 1e-4, `stopband rms ${middleRms(stop)}`);
    const stop48 = resample(tone(5000, 48000, 0.5), 48000, 8000);
    assert.ok(middleRms(stop48) < 1e-4, `48k stopband rms ${middleRms(stop48)}`);
  });

  it('resampleToLength / batch equal fix_length of the full result, signal by signal', () => {
    const a = tone(700, 22050, 0.3);
    const b = tone(1300, 22050, 0.2);
    for (const srIn of [22050 / 1.0594630943592953, 22050 / 0.9438743126816935]) {
      const fullA = resample(a, srIn, 22050);
      const fullB = resample(b, srIn, 22050);
      assert.deepEqual(resampleToLength(a, srIn, 22050, 1000), fullA.subarray(0, 1000));
      const padded = resampleToLength(a, srIn, 22050, fullA.length + 50);
      assert.deepEqual(padded.subarray(0, fullA.length), fullA);
      assert.ok(padded.subarray(fullA.length).every((v) => v === 0));
      const [ba, bb] = resampleToLengthBatch([a, b], srIn, 22050, [Infinity, 500]);
      assert.deepEqual(ba, fullA);
      assert.deepEqual(bb, fullB.subarray(0, 500));
    }
  });
});
