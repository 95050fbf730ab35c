import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import FFT from 'fft.js';
import {
  babble,
  brownNoise,
  colouredNoise,
  meanPower,
  musicNoise,
  pinkNoise,
  scatteredSounds,
  seededRng,
  toneNoise,
  whiteNoise,
} from './index';

/** Mean power per octave band (125 Hz ... 4 kHz) of `x` (averaged 4,096-point periodograms), in dB. */
function octaveBandsDb(x: Float32Array, rate: number): number[] {
  const n = 4096;
  const fft = new FFT(n);
  const out = fft.createComplexArray();
  const power = new Float64Array(n / 2);
  for (let start = 0; start + n <= x.length; start += n) {
    const block = Array.from(x.subarray(start, start + n), (v, i) => v * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n)));
    fft.realTransform(out, block);
    for (let k = 0; k < n / 2; k++) power[k] += out[2 * k] ** 2 + out[2 * k + 1] ** 2;
  }
  return [125, 250, 500, 1000, 2000, 4000].map((lo) => {
    let s = 0;
    let c = 0;
    for (let k = 0; k < n / 2; k++) {
      const f = (k * rate) / n;
      if (f >= lo && f < 2 * lo) {
        s += power[k];
        c++;
      }
    }
    return 10 * Math.log10(s / c);
  });
}

/** Least-squares slope of band levels against octave number, dB per octave. */
function slope(db: number[]): number {
  const m = (db.length - 1) / 2;
  const mean = db.reduce((a, b) => a + b, 0) / db.length;
  let num = 0;
  let den = 0;
  db.forEach((v, i) => {
    num += (i - m) * (v - mean);
    den += (i - m) ** 2;
  });
  return num / den;
}

describe('coloured noise', () => {
  it('white, pink and brown noise have slopes of 0, -3 and -6 dB per octave (within 0.5), at unit RMS', () => {
    const rate = 16000;
    const n = 4 * rate;
    for (const [make, expected] of [
      [whiteNoise, 0],
      [pinkNoise, -3],
      [brownNoise, -6],
    ] as const) {
      const x = make(n, rate, seededRng(1));
      assert.equal(x.length, n);
      assert.ok(Math.abs(meanPower(x) - 1) < 1e-4);
      const s = slope(octaveBandsDb(x, rate));
      assert.ok(Math.abs(s - expected) < 0.5, `${make.name}: ${s} dB/octave`);
    }
    assert.ok(Math.abs(slope(octaveBandsDb(colouredNoise(n, 48000, -4.5, seededRng(3)), 48000)) + 4.5) < 0.5);
  });

  it('is stationary across its overlap-add blocks (no level dips at block edges)', () => {
    const x = pinkNoise(200000, 16000, seededRng(4));
    const levels: number[] = [];
    for (let i = 0; i + 4000 <= x.length; i += 4000) levels.push(meanPower(x.subarray(i, i + 4000)));
    assert.ok(Math.max(...levels) / Math.min(...levels) < 2.5, `${Math.min(...levels)}..${Math.max(...levels)}`);
  });

  it('is deterministic for a seed', () => {
    assert.deepEqual(pinkNoise(5000, 8000, seededRng(9)), pinkNoise(5000, 8000, seededRng(9)));
    assert.notDeepEqual(pinkNoise(5000, 8000, seededRng(9)), pinkNoise(5000, 8000, seededRng(10)));
  });
});

describe('babble, tones, music, sounds', () => {
  const rate = 8000;
  const tone = (f: number, len: number) =>
    Float32Array.from({ length: len }, (_, i) => Math.sin((2 * Math.PI * f * i) / rate));

  it('babble sums several talkers from the pool: unit RMS, denser than one clip, every pool clip can appear', () => {
    const pool = [tone(300, 2000), tone(500, 3000), tone(700, 2500)];
    const x = babble(3 * rate, rate, pool, seededRng(1), 4);
    assert.ok(Math.abs(meanPower(x) - 1) < 1e-4);
    const silent = x.filter((v) => v === 0).length;
    assert.ok(silent < 0.05 * x.length, `${silent} silent samples`);
    assert.throws(() => babble(100, rate, [], seededRng(1)), /empty pool/);
  });

  it('tones and music are harmonic (most power below 2 kHz) and change over time; music is struck notes', () => {
    for (const make of [toneNoise, musicNoise]) {
      const x = make(4 * 16000, 16000, seededRng(2));
      assert.ok(Math.abs(meanPower(x) - 1) < 1e-4);
      const bands = octaveBandsDb(x, 16000);
      assert.ok(bands[5] < Math.max(...bands.slice(0, 4)) - 15, `${make.name}: ${bands.map((b) => b.toFixed(0))}`);
    }
    // Struck notes decay: the 50 ms levels of music vary far more than white noise's.
    const spread = (x: Float32Array) => {
      const l: number[] = [];
      for (let i = 0; i + 800 <= x.length; i += 800) l.push(10 * Math.log10(meanPower(x.subarray(i, i + 800)) + 1e-12));
      return Math.max(...l) - Math.min(...l);
    };
    assert.ok(spread(musicNoise(4 * 16000, 16000, seededRng(2))) > 6);
  });

  it('scattered sounds leave gaps of silence between the pool clips', () => {
    const x = scatteredSounds(5 * rate, rate, [tone(1000, 800)], seededRng(3));
    const silent = x.filter((v) => v === 0).length / x.length;
    assert.ok(silent > 0.3 && silent < 0.95, `${silent}`);
  });
});
