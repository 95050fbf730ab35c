// Its own file (its own process): onnxruntime, which the string model's front end needs, loads in one
// thread per process, here the classifier worker's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seededUniform } from '@digits/dsp';
import { buildStringModel, initBackend, saveStringModelDir } from '@digits/model';
import { startWorkerClassifier } from './worker-classifier';

test(
  'a digit-string model folder runs in the classifier worker: recognizes strings, one frame per 80 ms, fresh state per stream, no classify or switch',
  { timeout: 180_000 },
  async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'live-strings-'));
    try {
      // An untrained network: what is checked is the path, not the digits.
      await initBackend();
      const { model } = buildStringModel({ seed: 2 });
      await saveStringModelDir(model, dir, { title: 'toy strings' });
      model.dispose();
      const classifier = await startWorkerClassifier(dir, { log: () => undefined });
      try {
        assert.equal(classifier.info.recognizes, 'strings');
        assert.equal(classifier.info.model.recognizes, 'strings');
        assert.equal(classifier.info.model.name, 'toy strings');
        assert.equal(classifier.info.featureConfig.sampleRate, 16000);
        const rnd = seededUniform(5);
        const audio = Float32Array.from(
          { length: 16000 * 2 },
          (_, i) => 0.3 * Math.sin(i / (3 + (i >> 12))) + 0.05 * (rnd() - 0.5),
        );
        const hear = async () => {
          const s = classifier.openString!();
          const pushes = [];
          for (let at = 0; at < audio.length; at += 1000) pushes.push(s.push(audio.slice(at, at + 1000)));
          const frames = (await Promise.all(pushes)).flat();
          await s.close();
          return frames;
        };
        const first = await hear();
        // The front end's first window needs 10 chunks of 1280 samples; then one frame per chunk.
        assert.equal(first.length, Math.floor(audio.length / 1280) - 9);
        first.forEach((f, i) => {
          assert.equal(f.endSample, (i + 10) * 1280);
          assert.equal(f.digitProbs.length, 10);
          assert.ok(f.digitProbs.every((p) => p >= 0 && p <= 1));
          assert.ok(f.best >= 0 && f.best <= 10);
          if (f.digit !== undefined) assert.equal(f.best, f.digit);
        });
        // A second stream starts afresh: the same audio gives the same frames.
        const second = await hear();
        assert.deepEqual(
          second.map((f) => [f.best, f.digit]),
          first.map((f) => [f.best, f.digit]),
        );
        await assert.rejects(classifier.classify(new Float32Array(16000), 16000), /recognises string streams/);
        await assert.rejects(classifier.switchModel!(dir), /cannot switch/);
      } finally {
        await classifier.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
