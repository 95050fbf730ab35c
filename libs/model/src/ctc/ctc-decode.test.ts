import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededUniform } from '@digits/dsp';
import { greedyDecode, IncrementalCtcDecoder, prefixBeamDecode } from './ctc-decode';
import { ctcForwardBackward } from './ctc-loss';
import { editCounts, scoreStrings } from './string-metrics';

/** T x C probabilities whose best class per frame is `path` (blank = 0 unless given). */
function peaked(path: number[], C: number, sharp = 0.9): Float32Array {
  const out = new Float32Array(path.length * C).fill((1 - sharp) / (C - 1));
  path.forEach((c, t) => (out[t * C + c] = sharp));
  return out;
}

function randomProbs(T: number, C: number, seed: number): Float32Array {
  const rnd = seededUniform(seed);
  const out = new Float32Array(T * C);
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += out[t * C + c] = rnd() ** 3;
    for (let c = 0; c < C; c++) out[t * C + c] /= s;
  }
  return out;
}

describe('greedyDecode', () => {
  it('collapses runs, drops blanks, keeps a repeat split by a blank, and gives each label its first frame', () => {
    const d = greedyDecode(peaked([0, 5, 5, 0, 5, 0, 0, 1, 2, 2, 0], 11), 11);
    assert.deepEqual(
      d.map((e) => e.label),
      [5, 5, 1, 2],
    );
    assert.deepEqual(
      d.map((e) => e.frame),
      [1, 4, 7, 8],
    );
    assert.ok(d.every((e) => Math.abs(e.prob - 0.9) < 1e-6));
    assert.deepEqual(greedyDecode(peaked([0, 0, 0], 11), 11), []);
    assert.deepEqual(greedyDecode(new Float32Array(0), 11), []);
  });

  it('with the blank last (index 10), class 0 is a label', () => {
    const d = greedyDecode(peaked([10, 0, 0, 10, 0, 3], 11), 11, 10);
    assert.deepEqual(
      d.map((e) => e.label),
      [0, 0, 3],
    );
  });

  it('refuses frames that are not whole or a blank outside the classes', () => {
    assert.throws(() => greedyDecode(new Float32Array(7), 3), /7 numbers are not whole frames of 3/);
    assert.throws(() => greedyDecode(new Float32Array(6), 3, 3), /blank 3/);
  });
});

describe('IncrementalCtcDecoder', () => {
  it('over any split of the frames, emits exactly the batch decoding, each label in the push that started it', () => {
    const C = 11;
    for (let seed = 1; seed <= 20; seed++) {
      const T = 40;
      const probs = randomProbs(T, C, seed);
      const whole = greedyDecode(probs, C);
      const rnd = seededUniform(1000 + seed);
      const dec = new IncrementalCtcDecoder(C);
      const got = [];
      let t = 0;
      while (t < T) {
        const n = Math.min(T - t, Math.floor(rnd() * 4)); // 0..3 frames per push, empty pushes included
        const out = dec.push(probs.subarray(t * C, (t + n) * C));
        for (const e of out) assert.ok(e.frame >= t && e.frame < t + n, 'emitted by the push holding its frame');
        got.push(...out);
        t += n;
      }
      assert.deepEqual(got, whole);
      assert.equal(dec.framesSeen, T);
    }
  });

  it('a label is emitted on its first frame, not when its run ends', () => {
    const dec = new IncrementalCtcDecoder(3);
    const frames = peaked([0, 1, 1, 1, 0, 1], 3);
    assert.deepEqual(
      dec.push(frames.subarray(0, 6)).map((e) => [e.label, e.frame]),
      [[1, 1]],
    );
    assert.deepEqual(dec.push(frames.subarray(6, 12)), []); // still the same run: nothing new
    assert.deepEqual(
      dec.push(frames.subarray(12, 18)).map((e) => [e.label, e.frame]),
      [[1, 5]],
    );
    dec.reset();
    assert.deepEqual(
      dec.push(frames.subarray(3, 6)).map((e) => [e.label, e.frame]),
      [[1, 0]],
    );
  });
});

describe('prefixBeamDecode', () => {
  it('agrees with greedy on peaked frames', () => {
    const p = peaked([0, 3, 3, 0, 3, 7, 0], 11);
    assert.deepEqual(prefixBeamDecode(p, 11).labels, [3, 3, 7]);
  });

  it("its best prefix's probability is the CTC probability of that sequence (exact when the beam holds all)", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const T = 5;
      const C = 3;
      const probs = randomProbs(T, C, seed);
      const { labels, logProb } = prefixBeamDecode(probs, C, { beamWidth: 100 });
      const logits = Array.from(probs, (p) => Math.log(p));
      const ctc = ctcForwardBackward(logits, T, C, labels).loss;
      assert.ok(Math.abs(-ctc - logProb) < 1e-6, `seed ${seed}: ${-ctc} vs ${logProb}`);
    }
  });

  it('finds a sequence split over many paths that the best path misses', () => {
    // Each frame: blank 0.4, label 1 0.35, label 2 0.25. The best path is all blanks (0.4^3 = 0.064);
    // "1" sums 0.35^3 + 3 * 0.35 * 0.4^2 ... over its 6 paths and beats the empty string.
    const frame = [0.4, 0.35, 0.25];
    const probs = Float32Array.from([...frame, ...frame, ...frame]);
    assert.deepEqual(greedyDecode(probs, 3), []);
    assert.deepEqual(prefixBeamDecode(probs, 3, { beamWidth: 16 }).labels, [1]);
  });
});

describe('string scores', () => {
  it('counts substitutions, deletions and insertions of a minimum edit alignment', () => {
    assert.deepEqual(editCounts([5, 5, 5, 1], [5, 5, 1]), { n: 4, substitutions: 0, deletions: 1, insertions: 0 });
    assert.deepEqual(editCounts([1, 2, 3], [1, 4, 3, 3]), { n: 3, substitutions: 1, deletions: 0, insertions: 1 });
    assert.deepEqual(editCounts([], [2]), { n: 0, substitutions: 0, deletions: 0, insertions: 1 });
    const s = scoreStrings([
      { reference: [1, 2, 3], hypothesis: [1, 2, 3] },
      { reference: [4, 4], hypothesis: [4] },
      { reference: [7], hypothesis: [7, 8] },
    ]);
    assert.equal(s.digits, 6);
    assert.equal(s.digitRecall, 5 / 6);
    assert.equal(s.digitAccuracy, 4 / 6);
    assert.equal(s.stringAccuracy, 1 / 3);
  });
});
