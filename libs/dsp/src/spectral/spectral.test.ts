import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxAbsDiff, readF32, readF64, readManifest, readRecording } from '../testing/reference-fixtures';
import { resample } from '../resample/resample';
import { fixLength } from '../util/fix-length';
import { decodeWav } from '../wav/decode-wav';
import { hannWindow } from './hann-window';
import { istft } from './istft';
import { logMelSpectrogram } from './log-mel-spectrogram';
import { melFilterbank, melFilterbankSparse } from './mel-filterbank';
import { fftFrequencies, hzToMel, melFrequencies, melToHz } from './mel-scale';
import { melSpectrogram } from './mel-spectrogram';
import { powerSpectrogram } from './power-spectrogram';
import { powerToDb } from './power-to-db';
import { stft, stftFrameCount } from './stft';

const SR = 22050;
const MEL = { sampleRate: SR, nFft: 2048, hopLength: 512, nMels: 64 };

/** The padded reference pipeline input, computed by this library from the WAV file. */
function padded(stem: string): Float32Array {
  const d = decodeWav(readRecording(stem), stem);
  return fixLength(resample(d.samples, d.sampleRate, SR), 17640);
}

/** Largest |a - b| / max(|b|, floor). */
function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor: number): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const r = Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor);
    if (!(r <= m)) m = r;
  }
  return m;
}

describe('window and filterbank against librosa', () => {
  it('periodic Hann window of 2048 (float64 and its float32 copy) within 1e-6', () => {
    const w = hannWindow(2048);
    assert.equal(w.length, 2048);
    assert.ok(maxAbsDiff(w, readF64('filters/hann_periodic_2048.f64')) <= 1e-6);
    assert.ok(maxAbsDiff(Float32Array.from(w), readF32('filters/hann_periodic_2048.f32')) <= 1e-6);
    assert.equal(w[0], 0);
    assert.equal(w[1024], 1);
    assert.equal(hannWindow(2048), w); // cached
  });

  it('Slaney mel filterbank (64, 1025) float32 within 1e-6, row-major', () => {
    const fb = melFilterbank({ sampleRate: SR, nFft: 2048, nMels: 64 });
    const ref = readF32('filters/mel_fb_sr22050_nfft2048_nmels64.f32');
    assert.equal(fb.length, 64 * 1025);
    assert.ok(maxAbsDiff(fb, ref) <= 1e-6, `${maxAbsDiff(fb, ref)}`);
    // fmax defaults to sr / 2 and fmin to 0: the same filterbank.
    assert.deepEqual(melFilterbank({ sampleRate: SR, nFft: 2048, nMels: 64, fmin: 0, fmax: 11025 }), fb);
  });

  it('each band is non-zero only inside its recorded bin range', () => {
    const { weights, first, end, nMels, bins } = melFilterbankSparse({ sampleRate: SR, nFft: 2048, nMels: 64 });
    for (let m = 0; m < nMels; m++) {
      assert.ok(first[m] < end[m], `band ${m} empty`);
      for (let k = 0; k < bins; k++) {
        if (k < first[m] || k >= end[m]) assert.equal(weights[m * bins + k], 0, `band ${m} bin ${k}`);
      }
      assert.ok(weights[m * bins + first[m]] > 0 && weights[m * bins + end[m] - 1] > 0);
    }
  });

  it('mel band edges = librosa.mel_frequencies(66, fmax=11025)', () => {
    const edges = melFrequencies(66, 0, 11025);
    const ref = readF64('filters/mel_band_edges_hz_66.f64');
    assert.ok(maxRelDiff(edges, ref, 1) <= 1e-12);
    assert.equal(edges[0], 0);
    assert.equal(edges[65], 11025);
  });

  it('Slaney mel scale: linear to 1 kHz (15 mel), logarithmic above; fft bin frequencies', () => {
    assert.ok(Math.abs(hzToMel(1000) - 15) < 1e-12);
    assert.ok(Math.abs(hzToMel(200) - 3) < 1e-12);
    assert.ok(Math.abs(melToHz(hzToMel(4321)) - 4321) < 1e-9);
    assert.ok(Math.abs(hzToMel(6400) - (15 + 27)) < 1e-12);
    const f = fftFrequencies(SR, 2048);
    assert.equal(f.length, 1025);
    assert.equal(f[1024], 11025);
  });
});

describe('STFT', () => {
  it('frame count of a centred STFT: 1 + floor(n / hop) (35 for 17640 samples)', () => {
    assert.equal(stftFrameCount(17640, 2048, 512), 35);
    assert.equal(stftFrameCount(511, 2048, 512), 1);
    assert.equal(stftFrameCount(512, 2048, 512), 2);
  });

  for (const stem of ['0_jackson_0', '9_theo_16']) {
    it(`${stem}: |stft|^2 matches the reference (1025, 35) within 1e-5 relative`, () => {
      const P = powerSpectrogram(padded(stem), { nFft: 2048, hopLength: 512 });
      assert.equal(P.frames, 35);
      assert.equal(P.bins, 1025);
      const ref = readF32(`base/${stem}.stftpow.f32`); // bin-major (1025, 35)
      const ours = new Float32Array(ref.length);
      for (let k = 0; k < 1025; k++) for (let t = 0; t < 35; t++) ours[k * 35 + t] = P.data[t * 1025 + k];
      assert.ok(maxRelDiff(ours, ref, 1e-20) <= 1e-5, `${maxRelDiff(ours, ref, 1e-20)}`);
    });
  }

  it('complex STFT agrees with the power spectrogram and inverts (istft) to the signal', () => {
    const y = padded('3_jackson_0').subarray(0, 12000);
    const D = stft(y);
    assert.equal(D.frames, stftFrameCount(y.length));
    const P = powerSpectrogram(y);
    for (let i = 0; i < D.re.length; i += 37) {
      const mag = Math.fround(Math.sqrt(D.re[i] * D.re[i] + D.im[i] * D.im[i]));
      assert.equal(P.data[i], Math.fround(mag * mag));
    }
    const back = istft(D, { length: y.length });
    assert.equal(back.length, y.length);
    assert.ok(maxAbsDiff(back, y) < 1e-6, `${maxAbsDiff(back, y)}`);
    // Without a length: the centre-trimmed natural length, hop * (frames - 1).
    assert.equal(istft(D).length, 512 * (D.frames - 1));
  });
});

describe('power_to_db', () => {
  it('ref=max gives a 0 dB maximum and an 80 dB floor; amin guards zeros', () => {
    const S = Float32Array.from([1e-3, 1, 0, 1e-12, 0.5]);
    const db = powerToDb(S);
    assert.equal(db[1], 0);
    assert.equal(db[2], -80);
    assert.equal(db[3], -80);
    assert.ok(Math.abs(db[0] + 30) < 1e-5);
    assert.ok(Math.abs(db[4] + 3.0103) < 1e-4);
  });

  it('a fixed reference, a different top_db, or no clamp', () => {
    const S = Float32Array.from([1e-3, 1, 0]);
    assert.deepEqual(powerToDb(S, { ref: 1, topDb: null }), Float32Array.from([Math.fround(-30), 0, -100]));
    assert.deepEqual(powerToDb(S, { ref: 10, topDb: 20 }), Float32Array.from([-30, -10, -30]));
    assert.throws(() => powerToDb(S, { amin: 0 }), RangeError);
    assert.throws(() => powerToDb(S, { topDb: -1 }), RangeError);
  });
});

describe('log-mel against librosa for every base recording', () => {
  for (const stem of readManifest().selected) {
    it(`${stem}: melspectrogram (1e-5 relative) and log-mel (0.01 dB on every cell)`, () => {
      const y = padded(stem);
      const mel = melSpectrogram(y, MEL);
      assert.equal(mel.nMels, 64);
      assert.equal(mel.frames, 35);
      const melRef = readF32(`base/${stem}.melpow.f32`);
      assert.ok(maxRelDiff(mel.data, melRef, 1e-20) <= 1e-5, `melpow ${maxRelDiff(mel.data, melRef, 1e-20)}`);
      const logmel = logMelSpectrogram(y, { ...MEL, topDb: 80 });
      const ref = readF32(`base/${stem}.logmel.f32`);
      assert.equal(logmel.length, 64 * 35);
      assert.ok(maxAbsDiff(logmel, ref) <= 0.01, `logmel ${maxAbsDiff(logmel, ref)} dB`);
      // ref=np.max: the peak is 0 dB and the floor 80 dB below it, up to float32 rounding (librosa too:
      // its reference term is rounded through float64, the cells through float32 log10).
      const peak = Math.max(...logmel);
      assert.ok(Math.abs(peak) < 1e-5, `peak ${peak}`);
      assert.ok(Math.abs(Math.min(...logmel) - (peak - 80)) < 1e-5);
    });
  }

  it('defaults (nFft 2048, hop 512, topDb 80) give the same log-mel', () => {
    const y = padded('2_theo_0');
    assert.deepEqual(logMelSpectrogram(y, { sampleRate: SR, nMels: 64 }), logMelSpectrogram(y, { ...MEL, topDb: 80 }));
  });
});
