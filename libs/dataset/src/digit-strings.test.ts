import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeWav16 } from '@digits/dsp';
import {
  composeDigitString,
  generateDigitString,
  prepareStringClips,
  StringClipPool,
  trimSilence,
  type DigitStringOptions,
  type StringClip,
} from './digit-strings';
import type { Clip, Digit } from './types';

const RATE = 16000;

/** A clip whose every sample is a value that names its speaker, digit and take: (s + 1) * 0.1 + d * 0.01 + take * 0.001. */
function clipOf(speaker: number, digit: number, take: number): StringClip {
  const len = 3000 + 400 * digit + 100 * take;
  return {
    name: `${digit}_s${speaker}_${take}.wav`,
    digit: digit as Digit,
    speaker: `s${speaker}`,
    samples: new Float32Array(len).fill((speaker + 1) * 0.1 + digit * 0.01 + take * 0.001),
  };
}

const CLIPS: StringClip[] = [];
for (let s = 0; s < 3; s++) for (let d = 0; d < 10; d++) for (let t = 0; t < 3; t++) CLIPS.push(clipOf(s, d, t));
const POOL = new StringClipPool(CLIPS);
const PLAIN: DigitStringOptions = { gainDb: [0, 0], digitGainDb: [0, 0], speed: [1, 1], snrDb: null };

describe('generateDigitString', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = generateDigitString(POOL, 5);
    const b = generateDigitString(POOL, 5);
    assert.deepEqual(a.digits, b.digits);
    assert.deepEqual(a.samples, b.samples);
    const others = [6, 7, 8].map((s) => generateDigitString(POOL, s));
    assert.ok(others.some((o) => o.samples.length !== a.samples.length || o.digits.join() !== a.digits.join()));
  });

  it('places each digit clip, unchanged without gain, speed and noise, at its span; silence elsewhere', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const s = generateDigitString(POOL, seed, { ...PLAIN, gapMs: [0, 300], digits: [1, 6] });
      assert.ok(s.digits.length >= 1 && s.digits.length <= 6);
      assert.deepEqual(
        s.spans.map((x) => x.digit),
        s.digits,
      );
      const inside = new Uint8Array(s.samples.length);
      s.spans.forEach((span, i) => {
        const clip = CLIPS.find((c) => c.name === span.clip)!;
        assert.equal(clip.digit, span.digit);
        assert.equal(span.end - span.start, clip.samples.length);
        assert.deepEqual(s.samples.subarray(span.start, span.end), clip.samples, `seed ${seed} digit ${i}`);
        inside.fill(1, span.start, span.end);
        if (i > 0) {
          const gap = ((span.start - s.spans[i - 1].end) / RATE) * 1000;
          assert.ok(gap >= -0.1 && gap <= 300.1, `gap ${gap} ms`);
        }
      });
      s.samples.forEach((v, k) => {
        if (!inside[k]) assert.equal(v, 0);
      });
      assert.ok(s.spans[0].start >= 0.1 * RATE - 1 && s.spans[0].start <= 0.5 * RATE + 1, 'lead silence 100-500 ms');
    }
  });

  it('overlaps digits with negative gaps, never starting one before the previous', () => {
    let overlapped = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const s = generateDigitString(POOL, seed, { ...PLAIN, gapMs: [-50, -10], digits: [2, 4] });
      for (let i = 1; i < s.spans.length; i++) {
        const gap = ((s.spans[i].start - s.spans[i - 1].end) / RATE) * 1000;
        assert.ok(gap >= -50.1 && gap <= -9.9, `gap ${gap}`);
        assert.ok(s.spans[i].start > s.spans[i - 1].start);
        overlapped++;
      }
    }
    assert.ok(overlapped > 20);
  });

  it('repeats digits with repeatProbability 1; one speaker per string unless mixed', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const s = generateDigitString(POOL, seed, { repeatProbability: 1, digits: [3, 5], mixedSpeakers: 0 });
      assert.ok(s.digits.every((d) => d === s.digits[0]));
      assert.equal(new Set(s.spans.map((x) => x.speaker)).size, 1);
    }
    const mixed = Array.from({ length: 10 }, (_, i) =>
      generateDigitString(POOL, i, { digits: [8, 8], mixedSpeakers: 1 }),
    );
    assert.ok(mixed.every((s) => new Set(s.spans.map((x) => x.speaker)).size > 1));
  });

  it('takes a separate lead silence', () => {
    const s = generateDigitString(POOL, 4, { ...PLAIN, leadMs: [900, 900], edgeMs: [0, 0] });
    assert.equal(s.spans[0].start, 0.9 * RATE);
    assert.equal(s.samples.length, s.spans[s.spans.length - 1].end);
  });

  it('changes speed (length) and gain as asked', () => {
    const s = generateDigitString(POOL, 3, {
      ...PLAIN,
      speed: [1.25, 1.25],
      gainDb: [-6.0206, -6.0206],
      digits: [1, 1],
    });
    const span = s.spans[0];
    const clip = CLIPS.find((c) => c.name === span.clip)!;
    assert.equal(span.end - span.start, Math.floor(clip.samples.length / 1.25));
    assert.ok(Math.abs(s.samples[span.start + 10] - clip.samples[0] / 2) < 1e-4);
  });

  it('adds white noise at the drawn SNR against the speech power', () => {
    const s = generateDigitString(POOL, 11, { ...PLAIN, gapMs: [0, 300], snrDb: [20, 20], digits: [4, 4] });
    const clean = generateDigitString(POOL, 11, { ...PLAIN, gapMs: [0, 300], digits: [4, 4] });
    assert.equal(s.snrDb, 20);
    let speech = 0;
    let count = 0;
    let noise = 0;
    for (const span of clean.spans)
      for (let k = span.start; k < span.end; k++) {
        speech += clean.samples[k] ** 2;
        count++;
      }
    for (let k = 0; k < s.samples.length; k++) noise += (s.samples[k] - clean.samples[k]) ** 2;
    const snr = 10 * Math.log10(speech / count / (noise / s.samples.length));
    assert.ok(Math.abs(snr - 20) < 0.5, `measured SNR ${snr}`);
  });

  it('names bad options and a pool missing a digit', () => {
    assert.throws(() => generateDigitString(POOL, 1, { gapMs: [100, 0] }), /gapMs must be \[min, max\]/);
    assert.throws(() => generateDigitString(POOL, 1, { repeatProbability: 2 }), /repeatProbability 2/);
    assert.throws(() => generateDigitString(POOL, 1, { leadMs: [-1, 0] }), /leadMs/);
    assert.throws(
      () => new StringClipPool(CLIPS.filter((c) => !(c.speaker === 's1' && c.digit === 4))),
      /"s1" has no clip of digit 4/,
    );
  });
});

describe('trimSilence and prepareStringClips', () => {
  it('trims leading and trailing silence to the speech, with 10 ms of margin', () => {
    const x = new Float32Array(16000);
    for (let i = 4000; i < 8000; i++) x[i] = Math.sin(i / 5) * 0.5;
    for (let i = 0; i < x.length; i++) x[i] += (((i * 7919) % 13) - 6) * 1e-5; // a floor far below
    const t = trimSilence(x, RATE);
    assert.ok(t.length >= 4000 && t.length <= 4000 + 4 * 160, `${t.length}`);
    assert.equal(t[160], x[4000]);
  });

  it('decodes, resamples to 16 kHz and trims clips, naming the ones that fail', () => {
    const tone = new Float32Array(8000);
    for (let i = 2000; i < 6000; i++) tone[i] = Math.sin(i / 3) * 0.3;
    const clip = (name: string, bytes: Uint8Array): Clip => ({
      name,
      location: name,
      digit: 3,
      speaker: 'x',
      take: 0,
      bytes,
      sampleRate: 8000,
      numSamples: 8000,
    });
    const r = prepareStringClips([clip('3_x_0.wav', encodeWav16(tone, 8000)), clip('3_x_1.wav', new Uint8Array(10))]);
    assert.equal(r.clips.length, 1);
    assert.ok(Math.abs(r.clips[0].samples.length - 8000) <= 4 * 160, `${r.clips[0].samples.length} samples at 16 kHz`);
    assert.equal(r.failed[0].name, '3_x_1.wav');
  });
});

describe('composeDigitString', () => {
  it('places the given clips in order (an isolated digit is one clip)', () => {
    const clips = [CLIPS[5], CLIPS[40], CLIPS[40]];
    const s = composeDigitString(clips, 9, { ...PLAIN, gapMs: [100, 100] });
    assert.deepEqual(
      s.spans.map((x) => x.clip),
      clips.map((c) => c.name),
    );
    assert.equal(s.spans[1].start - s.spans[0].end, 1600);
    const one = composeDigitString([CLIPS[7]], 9, { ...PLAIN, leadMs: [800, 800], edgeMs: [300, 300] });
    assert.equal(one.samples.length, 0.8 * RATE + CLIPS[7].samples.length + 0.3 * RATE);
    assert.throws(() => composeDigitString([], 1), /at least one clip/);
  });
});

describe('fillers (non-digit words and sounds inside strings)', () => {
  const FILLERS = [0, 1, 2].map((k) => ({ name: `filler${k}.wav`, samples: new Float32Array(2500 + k).fill(-0.5) }));
  const WITH_FILLERS = new StringClipPool(CLIPS, FILLERS);
  const inSpan = (s: { spans: { start: number; end: number }[] }, i: number) =>
    s.spans.some((x) => i >= x.start && i < x.end);

  it('a recipe without fillers draws the same strings from a pool that has them', () => {
    for (const seed of [1, 2, 3]) {
      const a = generateDigitString(POOL, seed);
      const b = generateDigitString(WITH_FILLERS, seed);
      assert.deepEqual(b.digits, a.digits);
      assert.deepEqual(b.samples, a.samples);
    }
  });

  it('are heard but never labelled: the digits and their spans stay exact, filler audio lies outside them', () => {
    let withFiller = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const s = generateDigitString(WITH_FILLERS, seed, { ...PLAIN, gapMs: [0, 200], fillerProbability: 0.5 });
      assert.deepEqual(
        s.spans.map((x) => x.digit),
        s.digits,
      );
      for (const span of s.spans) {
        const clip = CLIPS.find((c) => c.name === span.clip)!;
        assert.deepEqual(s.samples.subarray(span.start, span.end), clip.samples, `seed ${seed}`);
      }
      // Filler samples are -0.5, digit samples positive: every -0.5 lies outside the digits' spans.
      let fillerSamples = 0;
      s.samples.forEach((v, i) => {
        if (v === -0.5) {
          fillerSamples++;
          assert.ok(!inSpan(s, i), `seed ${seed}: filler sample ${i} inside a digit`);
        }
      });
      if (fillerSamples > 0) withFiller++;
    }
    assert.ok(withFiller >= 10 && withFiller < 40, `${withFiller} of 40 strings carry a filler`);
  });

  it('fillerOnly strings are one or two fillers and no digit', () => {
    const only = [1, 2, 3, 4, 5].map((seed) => generateDigitString(WITH_FILLERS, seed, { ...PLAIN, fillerOnly: 1 }));
    for (const s of only) {
      assert.deepEqual(s.digits, []);
      assert.deepEqual(s.spans, []);
      assert.ok(s.samples.some((v) => v === -0.5));
    }
    // Without fillers in the pool the options do nothing.
    assert.ok(generateDigitString(POOL, 1, { fillerOnly: 1 }).digits.length >= 1);
  });
});
