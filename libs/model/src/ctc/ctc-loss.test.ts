import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend/init-backend';
import { randomArray } from '../testing/numeric';
import { ctcForwardBackward, ctcLoss } from './ctc-loss';

before(async () => {
  await initBackend({ prefer: 'wasm', log: () => {} });
});

/** Collapse a path: merge runs, drop blanks. */
function collapse(path: number[], blank: number): number[] {
  const out: number[] = [];
  let prev = -1;
  for (const c of path) {
    if (c !== prev && c !== blank) out.push(c);
    prev = c;
  }
  return out;
}

/** -log p(labels) by summing the probability of every one of the C^T paths that collapses to labels. */
function bruteForceLoss(logits: ArrayLike<number>, T: number, C: number, labels: number[], blank: number): number {
  const probs: number[] = [];
  for (let t = 0; t < T; t++) {
    const row = Array.from({ length: C }, (_, c) => logits[t * C + c]);
    const max = Math.max(...row);
    const z = row.reduce((s, v) => s + Math.exp(v - max), 0);
    for (let c = 0; c < C; c++) probs.push(Math.exp(row[c] - max) / z);
  }
  let total = 0;
  const path = new Array<number>(T).fill(0);
  for (let k = 0; k < C ** T; k++) {
    let r = k;
    let p = 1;
    for (let t = 0; t < T; t++) {
      path[t] = r % C;
      r = Math.floor(r / C);
      p *= probs[t * C + path[t]];
    }
    const col = collapse(path, blank);
    if (col.length === labels.length && col.every((c, i) => c === labels[i])) total += p;
  }
  return -Math.log(total);
}

describe('ctcForwardBackward', () => {
  const cases: { T: number; labels: number[]; blank: number }[] = [];
  for (const T of [1, 2, 3, 4, 5])
    for (const labels of [[], [1], [2], [1, 2], [2, 1], [1, 1], [2, 2]])
      for (const blank of [0, 2]) {
        // With blank 2 the labels use classes 0 and 1.
        const ls = blank === 2 ? labels.map((l) => l - 1) : labels;
        cases.push({ T, labels: ls, blank });
      }

  it('equals brute-force enumeration of alignments (T <= 5, C = 3, L <= 2, blank first or last)', () => {
    let feasible = 0;
    cases.forEach(({ T, labels, blank }, i) => {
      const logits = randomArray(T * 3, 100 + i, -2, 2);
      const want = bruteForceLoss(logits, T, 3, labels, blank);
      const got = ctcForwardBackward(logits, T, 3, labels, blank).loss;
      if (Number.isFinite(want)) {
        feasible++;
        assert.ok(Math.abs(got - want) < 1e-9, `T=${T} labels=[${labels}] blank=${blank}: ${got} vs ${want}`);
      } else {
        assert.equal(got, Infinity, `T=${T} labels=[${labels}] blank=${blank} is infeasible`);
      }
    });
    assert.ok(feasible > 50, `${feasible} feasible cases`);
  });

  it('a repeated label needs a blank between: [1, 1] is impossible in 2 frames, possible in 3', () => {
    const logits = randomArray(3 * 3, 7);
    assert.equal(ctcForwardBackward(logits.subarray(0, 6), 2, 3, [1, 1]).loss, Infinity);
    assert.ok(Number.isFinite(ctcForwardBackward(logits.subarray(0, 6), 2, 3, [1, 2]).loss));
    const three = ctcForwardBackward(logits, 3, 3, [1, 1]).loss;
    // Exactly one path: 1, blank, 1.
    const lp = (t: number, c: number) => {
      const row = [0, 1, 2].map((k) => logits[t * 3 + k]);
      return row[c] - Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
    };
    assert.ok(Math.abs(three - -(lp(0, 1) + lp(1, 0) + lp(2, 1))) < 1e-9);
  });

  it('its gradient matches central finite differences of the loss', () => {
    const T = 6;
    const C = 4;
    for (const [seed, labels] of [
      [1, [1, 2]],
      [2, [3, 3]],
      [3, [1, 2, 1]],
      [4, []],
    ] as [number, number[]][]) {
      const logits = Float64Array.from(randomArray(T * C, seed, -3, 3));
      const { grad } = ctcForwardBackward(logits, T, C, labels);
      const h = 1e-5;
      let maxErr = 0;
      for (let i = 0; i < logits.length; i++) {
        const up = Float64Array.from(logits);
        const down = Float64Array.from(logits);
        up[i] += h;
        down[i] -= h;
        const fd = (ctcForwardBackward(up, T, C, labels).loss - ctcForwardBackward(down, T, C, labels).loss) / (2 * h);
        maxErr = Math.max(maxErr, Math.abs(fd - grad[i]));
      }
      assert.ok(maxErr < 1e-6, `labels [${labels}]: max |fd - grad| ${maxErr}`);
      // Each frame's gradient sums to 0 (softmax minus a distribution over classes).
      for (let t = 0; t < T; t++) {
        const s = grad.subarray(t * C, (t + 1) * C).reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(s) < 1e-9, `frame ${t} sums to ${s}`);
      }
    }
  });

  it('stays finite for long sequences with confident logits (log space)', () => {
    const T = 400;
    const C = 11;
    const logits = Float64Array.from(randomArray(T * C, 9, -40, 40));
    const r = ctcForwardBackward(logits, T, C, [1, 2, 3, 4, 5, 5, 5, 6, 7, 8]);
    assert.ok(Number.isFinite(r.loss) && r.loss > 100, `loss ${r.loss}`);
    assert.ok(r.grad.every(Number.isFinite));
  });
});

describe('ctcLoss (tf.customGrad)', () => {
  const B = 3;
  const T = 5;
  const C = 4;
  const labels = { labels: [1, 2, 3, 3, 0, 0, 2, 1, 2], labelLengths: [3, 1, 3], inputLengths: [5, 2, 4] };
  const logitsData = randomArray(B * T * C, 42, -2, 2);

  it('gives each item the loss of its own unpadded frames and labels, whatever the padding holds', () => {
    const losses = tf.tidy(() => ctcLoss(tf.tensor3d(logitsData, [B, T, C]), labels).arraySync());
    const padded = Float32Array.from(logitsData);
    // Change the padding frames (item 1 beyond frame 2, item 2 beyond frame 4): nothing may move.
    for (let t = 2; t < T; t++) for (let c = 0; c < C; c++) padded[(1 * T + t) * C + c] = 50 * (c + 1);
    for (let c = 0; c < C; c++) padded[(2 * T + 4) * C + c] = -30;
    const again = tf.tidy(() => ctcLoss(tf.tensor3d(padded, [B, T, C]), labels).arraySync());
    assert.deepEqual(again, losses);
    const item = (b: number) =>
      ctcForwardBackward(
        logitsData.subarray(b * T * C, (b * T + labels.inputLengths[b]) * C),
        labels.inputLengths[b],
        C,
        labels.labels.slice(b * 3, b * 3 + labels.labelLengths[b]),
      ).loss;
    for (let b = 0; b < B; b++) assert.ok(Math.abs(losses[b] - item(b)) < 1e-4, `item ${b}`);
  });

  it("the batch's summed gradient is the sum of the items' gradients, zero in padding frames", () => {
    const g = tf.tidy(() => {
      const x = tf.tensor3d(logitsData, [B, T, C]);
      return tf
        .grad((v: tf.Tensor) => tf.sum(ctcLoss(v as tf.Tensor3D, labels)))(x)
        .arraySync() as number[][][];
    });
    for (let b = 0; b < B; b++) {
      const n = labels.inputLengths[b];
      const r = ctcForwardBackward(
        logitsData.subarray(b * T * C, (b * T + n) * C),
        n,
        C,
        labels.labels.slice(b * 3, b * 3 + labels.labelLengths[b]),
      );
      for (let t = 0; t < T; t++)
        for (let c = 0; c < C; c++) {
          const want = t < n ? r.grad[t * C + c] : 0;
          assert.ok(Math.abs(g[b][t][c] - want) < 1e-5, `item ${b} frame ${t} class ${c}`);
        }
    }
    // Through a mean, each item's gradient is scaled by 1 / B.
    const gm = tf.tidy(() =>
      tf
        .grad((v: tf.Tensor) => tf.mean(ctcLoss(v as tf.Tensor3D, labels)))(tf.tensor3d(logitsData, [B, T, C]))
        .arraySync(),
    ) as number[][][];
    assert.ok(Math.abs(gm[0][0][1] - g[0][0][1] / B) < 1e-6);
  });

  it('an item too short for its labels: +Infinity (or 0 with zeroInfinity), zero gradient, the others untouched', () => {
    // Item 1 has 2 frames for [2, 2], which needs 3.
    const infeasible = { labels: [1, 2, 2, 2], labelLengths: [2, 2], inputLengths: [4, 2] };
    const x = tf.tensor3d(logitsData.subarray(0, 2 * T * C), [2, T, C]);
    const losses = tf.tidy(() => ctcLoss(x, infeasible).arraySync());
    assert.equal(losses[1], Infinity);
    assert.ok(Number.isFinite(losses[0]));
    const zeroed = tf.tidy(() => ctcLoss(x, infeasible, { zeroInfinity: true }).arraySync());
    assert.deepEqual(zeroed, [losses[0], 0]);
    const g = tf.tidy(
      () =>
        tf
          .grad((v: tf.Tensor) => tf.sum(ctcLoss(v as tf.Tensor3D, infeasible, { zeroInfinity: true })))(x)
          .arraySync() as number[][][],
    );
    assert.ok(g[1].flat().every((v) => v === 0));
    assert.ok(g[0].flat().some((v) => v !== 0) && g[0].flat().every(Number.isFinite));
    x.dispose();
  });

  it('blank last (C - 1) gives the loss of the same problem with the classes rotated', () => {
    // Rotate classes so that old blank 0 becomes C - 1 and old label k becomes k - 1.
    const rotated = new Float32Array(logitsData.length);
    for (let i = 0; i < B * T; i++)
      for (let c = 0; c < C; c++) rotated[i * C + ((c + C - 1) % C)] = logitsData[i * C + c];
    const a = tf.tidy(() => ctcLoss(tf.tensor3d(logitsData, [B, T, C]), labels).arraySync());
    const shifted = { ...labels, labels: labels.labels.map((l) => (l === 0 ? 0 : l - 1)) };
    const b = tf.tidy(() => ctcLoss(tf.tensor3d(rotated, [B, T, C]), shifted, { blank: C - 1 }).arraySync());
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-4, `item ${i}: ${v} vs ${b[i]}`));
  });

  it('trains: a few Adam steps on one batch lower the loss', () => {
    const x = tf.variable(tf.tensor3d(logitsData, [B, T, C]));
    const opt = tf.train.adam(0.1);
    const first = tf.tidy(() => tf.mean(ctcLoss(x, labels)).dataSync()[0]);
    for (let i = 0; i < 20; i++) opt.minimize(() => tf.mean(ctcLoss(x, labels)) as tf.Scalar);
    const last = tf.tidy(() => tf.mean(ctcLoss(x, labels)).dataSync()[0]);
    assert.ok(last < first * 0.5, `${first} -> ${last}`);
    x.dispose();
    opt.dispose();
  });

  it('names the bad input', () => {
    const x = tf.zeros([1, 3, 3]) as tf.Tensor3D;
    assert.throws(
      () => ctcLoss(x, { labels: [0], labelLengths: [1], inputLengths: [3] }),
      /label 0 is 0, not a non-blank/,
    );
    assert.throws(
      () => ctcLoss(x, { labels: [1], labelLengths: [1], inputLengths: [4] }),
      /input length 4 not in \[0, 3\]/,
    );
    assert.throws(() => ctcLoss(x, { labels: [1], labelLengths: [2], inputLengths: [3] }), /label length 2/);
    assert.throws(() => ctcLoss(x, { labels: [1], labelLengths: [1], inputLengths: [3] }, { blank: 3 }), /blank 3/);
    x.dispose();
  });
});
