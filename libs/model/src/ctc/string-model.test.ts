import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seededUniform } from '@digits/dsp';
import { initBackend } from '../backend/init-backend';
import { loadModelDir } from '../io/model-dir';
import { greedyDecode } from './ctc-decode';
import {
  buildStringModel,
  frameStats,
  padBatch,
  STRING_BLANK,
  stringFrameProbs,
  stringModelReceptiveField,
  trainStringModel,
  type LabelledSequence,
} from './string-model';
import { saveStringModelDir } from './string-model-dir';
import { loadStringRecognizer } from './string-recognizer';

let tmp: string;
before(async () => {
  await initBackend({ prefer: 'wasm', log: () => {} });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'string-model-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const DIM = 12;

/**
 * A toy "front end": digit d is 2-4 frames of a vector with a bump at feature d (plus noise), digits separated by
 * 0-2 frames of silence (noise only); a repeated digit may follow with no silence at all, its frames marked by
 * feature 10 on its first frame (an onset) as a real voice's onset would be.
 */
function toySequence(seed: number): LabelledSequence {
  const rnd = seededUniform(seed);
  const n = 1 + Math.floor(rnd() * 4);
  const labels: number[] = [];
  const rows: number[][] = [];
  const silence = () => Array.from({ length: DIM }, () => (rnd() - 0.5) * 0.2);
  for (let i = 0; i < n; i++) {
    const d = i > 0 && rnd() < 0.3 ? labels[i - 1] : Math.floor(rnd() * 10);
    labels.push(d);
    const gap = Math.floor(rnd() * 3);
    for (let g = 0; g < gap; g++) rows.push(silence());
    const len = 2 + Math.floor(rnd() * 3);
    for (let k = 0; k < len; k++) {
      const r = silence();
      r[d] += 2;
      if (k === 0) r[10] += 2;
      rows.push(r);
    }
  }
  rows.push(silence());
  return { x: Float32Array.from(rows.flat()), frames: rows.length, labels };
}

describe('string model', () => {
  it('is causal: an output frame does not change when later frames do', () => {
    const { model } = buildStringModel({ inputDim: DIM, widths: [16, 16], dilations: [1, 2], seed: 1, dropout: 0 });
    const a = toySequence(3);
    const probs = stringFrameProbs(model, a.x, a.frames, DIM);
    const changed = Float32Array.from(a.x);
    const cut = Math.floor(a.frames / 2);
    for (let i = cut * DIM; i < changed.length; i++) changed[i] = 5;
    const probs2 = stringFrameProbs(model, changed, a.frames, DIM);
    for (let i = 0; i < cut * 11; i++) assert.ok(Math.abs(probs[i] - probs2[i]) < 1e-6, `output ${i}`);
    assert.ok(probs.subarray(cut * 11).some((v, i) => Math.abs(v - probs2[cut * 11 + i]) > 1e-4));
    // Each frame's probabilities sum to 1.
    for (let t = 0; t < a.frames; t++) {
      const s = probs.subarray(t * 11, t * 11 + 11).reduce((x, y) => x + y, 0);
      assert.ok(Math.abs(s - 1) < 1e-5);
    }
    assert.equal(stringModelReceptiveField([1, 2]), 7);
    model.dispose();
  });

  it('pads a batch to its longest sequence and gives CTC its lengths', () => {
    const seqs = [toySequence(1), toySequence(2)];
    const b = padBatch(seqs, DIM);
    const T = Math.max(seqs[0].frames, seqs[1].frames);
    assert.deepEqual(b.shape, [2, T, DIM]);
    assert.deepEqual(b.ctc.inputLengths, [seqs[0].frames, seqs[1].frames]);
    assert.deepEqual(b.ctc.labelLengths, [seqs[0].labels.length, seqs[1].labels.length]);
    assert.deepEqual(b.x.subarray(T * DIM, T * DIM + seqs[1].frames * DIM), seqs[1].x);
    const { mean, sd } = frameStats(seqs, DIM);
    assert.ok(mean.every(Number.isFinite) && sd.every((v) => v > 0));
  });

  it('learns toy strings with the CTC loss: training loss falls and held-out strings decode', async () => {
    const train = Array.from({ length: 256 }, (_, i) => toySequence(100 + i));
    const test = Array.from({ length: 40 }, (_, i) => toySequence(10_000 + i));
    const losses: number[] = [];
    const model = await trainStringModel(train, {
      inputDim: DIM,
      widths: [32, 32],
      dilations: [1, 2],
      dropout: 0,
      epochs: 12,
      learningRate: 5e-3,
      seed: 4,
      onEpochEnd: (_e, loss) => {
        losses.push(loss);
      },
    });
    assert.ok(losses[losses.length - 1] < losses[0] / 4, `losses ${losses.map((l) => l.toFixed(2)).join(' ')}`);
    let exact = 0;
    for (const s of test) {
      const got = greedyDecode(stringFrameProbs(model, s.x, s.frames, DIM), 11, STRING_BLANK).map((e) => e.label);
      if (got.join() === s.labels.join()) exact++;
    }
    assert.ok(exact >= 34, `${exact} of 40 held-out toy strings decoded exactly`);
    model.dispose();
  });
});

describe('string model folders', () => {
  it('loadModelDir refuses a string model by name; loadStringRecognizer loads it, and a stream gives the batch digits', async () => {
    const { model } = buildStringModel({ seed: 2 });
    const dir = path.join(tmp, 'strings');
    await saveStringModelDir(model, dir);
    await assert.rejects(loadModelDir(dir), /a CTC digit-string model .*loadStringRecognizer/);
    const rec = await loadStringRecognizer(dir);
    try {
      // An untrained network still gives some frames and some digits; what matters is that batch == stream.
      const rnd = seededUniform(8);
      const audio = Float32Array.from(
        { length: 16000 * 2 },
        (_, i) => 0.3 * Math.sin(i / (3 + (i >> 12))) + 0.05 * (rnd() - 0.5),
      );
      // The stream hears the audio from its first sample: compare with the batch answer of the same audio.
      const batch = rec.decodeFrames(await rec.frontEnd.embedAudio(audio, 16000));
      assert.equal(batch.frames, Math.floor(audio.length / 1280) - 9);
      // recognize() hears it after 0.8 s of lead, and gives times in the recording.
      const padded = await rec.recognize(audio, 16000);
      assert.equal(padded.frames, Math.floor((audio.length + 0.8 * 16000 + 0.4 * 16000) / 1280) - 9);
      assert.ok(padded.digits.every((d) => d.seconds <= audio.length / 16000 + 0.4));
      const short = await rec.recognize(audio.subarray(0, 4000), 16000);
      assert.ok(short.frames > 0, 'a 0.25 s recording still gives frames');
      const stream = rec.stream();
      const got = [];
      for (let at = 0; at < audio.length;) {
        const n = Math.min(audio.length - at, 500 + Math.floor(rnd() * 3000));
        got.push(...(await stream.push(audio.subarray(at, at + n))));
        at += n;
      }
      assert.equal(got.length, batch.digits.length);
      got.forEach((g, i) => {
        assert.equal(g.digit, batch.digits[i].digit);
        assert.equal(g.frame, batch.digits[i].frame);
        assert.ok(Math.abs(g.prob - batch.digits[i].prob) < 1e-4);
      });
      assert.equal(batch.text, batch.digits.map((d) => d.digit).join(''));
    } finally {
      await rec.dispose();
    }
    // A folder whose meta.json lacks the ctc block is refused by name.
    const meta = path.join(dir, 'meta.json');
    fs.writeFileSync(meta, JSON.stringify({ input: 'embedding-sequence' }));
    await assert.rejects(loadStringRecognizer(dir), /not a digit-string model/);
  });
});
