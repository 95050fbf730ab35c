import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drawRoom, fftConvolve, measureRt60, roomImpulseResponse, seededRng, type RoomSpec } from './index';

const SHOEBOX: RoomSpec = { dims: [5, 4, 3], source: [1.5, 2, 1.6], mic: [3.2, 2.4, 1.2], rt60: 0.5 };

describe('roomImpulseResponse', () => {
  it('has the asked RT60 (Schroeder, T20) within 15% for RT60 0.2-1.0 s, rooms of both families, any rate', () => {
    for (const family of ['train', 'held-out'] as const)
      for (const rt60 of [0.2, 0.45, 0.7, 1.0])
        for (const rate of [8000, 16000, 44100]) {
          const room = drawRoom(seededRng(Math.round(rt60 * 100) + rate), family, rt60);
          const measured = measureRt60(roomImpulseResponse(room, rate, 3), rate);
          assert.ok(Math.abs(measured / rt60 - 1) < 0.15, `${family} ${rt60} s at ${rate} Hz: ${measured}`);
        }
  });

  it('starts with the direct path (distance / 343 m/s), which is its largest early tap; unit energy', () => {
    const rate = 16000;
    const h = roomImpulseResponse(SHOEBOX, rate, 1);
    const r = Math.hypot(1.7, 0.4, 0.4);
    const delay = Math.floor((r / 343) * rate);
    const first = h.findIndex((v) => v !== 0);
    assert.equal(first, delay);
    const early = h.subarray(0, delay + Math.round(0.002 * rate));
    const peak = early.reduce((m, v, i) => (Math.abs(v) > Math.abs(early[m]) ? i : m), 0);
    assert.ok(peak === delay || peak === delay + 1, `peak at ${peak}, direct at ${delay}`);
    assert.ok(Math.abs(h.reduce((s, v) => s + v * v, 0) - 1) < 1e-5);
    // Lasts about the RT60 (to 66 dB down) past the direct path.
    assert.ok(Math.abs(h.length / rate - (r / 343 + 1.1 * SHOEBOX.rt60)) < 0.01, `${h.length}`);
  });

  it('is deterministic for a seed and different for another; a farther microphone hears more reverberation', () => {
    const a = roomImpulseResponse(SHOEBOX, 8000, 5);
    assert.deepEqual(a, roomImpulseResponse(SHOEBOX, 8000, 5));
    assert.notDeepEqual(a, roomImpulseResponse(SHOEBOX, 8000, 6));
    const directShare = (room: RoomSpec) => {
      const h = roomImpulseResponse(room, 8000, 1);
      const i = h.findIndex((v) => v !== 0);
      return h[i] ** 2 + h[i + 1] ** 2;
    };
    const near = directShare({ ...SHOEBOX, mic: [2, 2, 1.5] });
    const far = directShare({ ...SHOEBOX, mic: [4.5, 3.5, 1.2] });
    assert.ok(near > 2 * far, `${near} vs ${far}`);
  });

  it('refuses rooms it cannot model, naming the field', () => {
    assert.throws(() => roomImpulseResponse({ ...SHOEBOX, rt60: 0 }, 8000, 1), /rt60 0 s/);
    assert.throws(() => roomImpulseResponse({ ...SHOEBOX, mic: [6, 2, 1] }, 8000, 1), /mic\[0\] = 6 m is outside/);
    assert.throws(() => roomImpulseResponse(SHOEBOX, 10, 1), /sample rate 10 Hz/);
  });
});

describe('drawRoom', () => {
  it('training rooms are near-square and held-out rooms long and narrow: no shape in both', () => {
    const ratio = (r: RoomSpec) => r.dims[1] / r.dims[0];
    for (let s = 0; s < 200; s++) {
      const train = drawRoom(seededRng(s), 'train', 0.5);
      const held = drawRoom(seededRng(s), 'held-out', 0.5);
      assert.ok(ratio(train) >= 0.6 || train.dims[1] === 2, `train ${train.dims}`);
      assert.ok(ratio(held) <= 0.55 || held.dims[1] === 2, `held-out ${held.dims}`);
      for (const r of [train, held])
        r.dims.forEach((d, k) => assert.ok(r.source[k] > 0 && r.source[k] < d && r.mic[k] > 0 && r.mic[k] < d));
    }
  });
});

describe('fftConvolve', () => {
  it('equals direct convolution over several blocks', () => {
    const rand = seededRng(2);
    const x = Float32Array.from({ length: 20000 }, () => rand.normal());
    const h = Float32Array.from({ length: 5000 }, (_, i) => Math.exp(-i / 500) * rand.normal());
    const y = fftConvolve(x, h);
    assert.equal(y.length, 24999);
    for (const i of [0, 1, 4095, 4096, 4999, 12345, 19999, 24998]) {
      let s = 0;
      for (let j = 0; j < h.length; j++) if (i - j >= 0 && i - j < x.length) s += x[i - j] * h[j];
      assert.ok(Math.abs(s - y[i]) < 1e-3, `${i}: ${s} vs ${y[i]}`);
    }
    assert.equal(fftConvolve(new Float32Array(0), h).length, 0);
  });
});
