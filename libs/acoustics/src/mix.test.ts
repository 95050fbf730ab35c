import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyGainDb,
  levelChanges,
  meanPower,
  measureSnrDb,
  microphoneColour,
  mixAtSnr,
  pinkNoise,
  seededRng,
} from './index';

const sine = (f: number, rate: number, n: number) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * f * i) / rate));

describe('mixAtSnr', () => {
  it('the measured SNR of the mix is the one asked, for noise longer or shorter than the signal', () => {
    const s = sine(440, 16000, 16000);
    for (const snr of [-5, 0, 10, 20, 30]) {
      for (const len of [4000, 40000]) {
        const { mixed, noise } = mixAtSnr(s, pinkNoise(len, 16000, seededRng(snr + 50)), snr);
        assert.equal(mixed.length, s.length);
        assert.ok(Math.abs(measureSnrDb(s, noise) - snr) < 1e-3);
        const residual = Float32Array.from(mixed, (v, i) => v - s[i]);
        assert.ok(Math.abs(measureSnrDb(s, residual) - snr) < 0.01, `${snr} dB, noise ${len}`);
      }
    }
  });

  it('signalPower sets the reference (a dry clip beside its reverberant copy)', () => {
    const s = sine(440, 8000, 8000);
    const { noise } = mixAtSnr(s, pinkNoise(8000, 8000, seededRng(1)), 10, { signalPower: 0.05 });
    assert.ok(Math.abs(10 * Math.log10(0.05 / meanPower(noise)) - 10) < 1e-3);
    assert.throws(() => mixAtSnr(s, new Float32Array(0), 10), /empty noise/);
  });
});

describe('levels', () => {
  it('applyGainDb scales by the dB given; levelChanges stays within +-maxDb and moves', () => {
    const s = sine(200, 8000, 8000);
    assert.ok(Math.abs(10 * Math.log10(meanPower(applyGainDb(s, -6)) / meanPower(s)) + 6) < 1e-4);
    const ones = new Float32Array(16000).fill(1);
    const y = levelChanges(ones, 8000, seededRng(1), 6, 200);
    const db = Array.from(y, (v) => 20 * Math.log10(v));
    assert.ok(Math.max(...db) <= 6 + 1e-6 && Math.min(...db) >= -6 - 1e-6);
    assert.ok(Math.max(...db) - Math.min(...db) > 3);
  });
});

describe('microphoneColour', () => {
  const rate = 16000;
  const gainDb = (f: number, colour: Parameters<typeof microphoneColour>[2]) => {
    const x = sine(f, rate, rate);
    const y = microphoneColour(x, rate, colour);
    return 10 * Math.log10(meanPower(y.subarray(4000)) / meanPower(x.subarray(4000)));
  };

  it('band limits cut below the high-pass and above the low-pass corner, pass the middle', () => {
    const band = { highpassHz: 300, lowpassHz: 3400 };
    assert.ok(gainDb(75, band) < -20, `${gainDb(75, band)}`);
    assert.ok(Math.abs(gainDb(1000, band)) < 0.5);
    assert.ok(gainDb(7000, band) < -10, `${gainDb(7000, band)}`);
    assert.ok(Math.abs(gainDb(300, { highpassHz: 300 }) + 3) < 0.3); // Butterworth: -3 dB at the corner
  });

  it('a tilt of +-6 dB lifts or lowers the highs against the lows by about that much', () => {
    for (const tilt of [-6, 6]) {
      const diff = gainDb(6000, { tiltDb: tilt }) - gainDb(100, { tiltDb: tilt });
      assert.ok(Math.abs(diff - tilt) < 1, `${tilt}: ${diff}`);
    }
    assert.deepEqual(microphoneColour(sine(100, rate, 100), rate, {}), sine(100, rate, 100));
  });
});
