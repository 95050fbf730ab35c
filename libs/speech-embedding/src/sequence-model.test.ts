import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EMBEDDING_DIM,
  FRAMES_PER_CHUNK,
  MEL_BINS,
  WINDOW_FRAMES,
  loadSpeechFrontEnd,
  readFrontEndFiles,
  sequenceModelBytes,
} from './index';
import { syntheticSpeech } from './testing/synthetic-speech';

const fast = loadSpeechFrontEnd();
const reference = loadSpeechFrontEnd({ shortcuts: false });

test('one pass over a run of frames gives exactly the embeddings of each window cut out of it', async () => {
  const fe = await fast;
  for (const n of [1, 2, 9, 23, 437]) {
    const frames = WINDOW_FRAMES + FRAMES_PER_CHUNK * (n - 1);
    let s = n;
    const mel = Float32Array.from({ length: frames * MEL_BINS }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return (s / 2 ** 32) * 8 - 4;
    });
    const windows = new Float32Array(n * WINDOW_FRAMES * MEL_BINS);
    for (let w = 0; w < n; w++) {
      const from = w * FRAMES_PER_CHUNK * MEL_BINS;
      windows.set(mel.subarray(from, from + WINDOW_FRAMES * MEL_BINS), w * WINDOW_FRAMES * MEL_BINS);
    }
    const seq = await fe.embedSequence(mel, frames);
    assert.equal(seq.length, n * EMBEDDING_DIM);
    assert.deepEqual(seq, await fe.embedWindows(windows, n), `${n} windows`);
  }
  await assert.rejects(fe.embedSequence(new Float32Array(80 * MEL_BINS), 80), /76 \+ 8 k frames/);
});

test('with the shortcuts (silent chunks computed once, one pass per clip) clips embed to the same numbers', async () => {
  const [a, b] = [await fast, await reference];
  for (const [seconds, seed, rate] of [
    [0.4, 1, 16000],
    [0.9, 5, 16000],
    [2.5, 9, 16000],
    [0.6, 2, 8000],
  ]) {
    const clip = syntheticSpeech(seconds, rate, seed);
    assert.deepEqual(await a.embedClip(clip, rate), await b.embedClip(clip, rate), `${seconds} s at ${rate} Hz`);
    const jitter = { offset: 517, centreError: -900 };
    assert.deepEqual(await a.embedClip(clip, rate, jitter), await b.embedClip(clip, rate, jitter));
  }
  const withSilence = new Float32Array(40000);
  withSilence.set(syntheticSpeech(0.5, 16000, 3), 20000);
  const [fa, fb] = [await a.embedAudio(withSilence), await b.embedAudio(withSilence)];
  assert.deepEqual(
    fa.map((f) => f.vector),
    fb.map((f) => f.vector),
  );
});

test('a model file not laid out like speech_embedding is refused with the reason', () => {
  const files = readFrontEndFiles();
  assert.throws(() => sequenceModelBytes(files.mel), /embedding model: cannot run it over a sequence of frames: /);
  assert.throws(() => sequenceModelBytes(new Uint8Array([0x3a, 0x05, 1])), /cannot run it over a sequence/);
  // The copy is patched, the caller's bytes are not.
  const before = Buffer.from(files.embedding).toString('base64');
  const patched = sequenceModelBytes(files.embedding);
  assert.equal(Buffer.from(files.embedding).toString('base64'), before);
  assert.equal(patched.length, files.embedding.length);
  assert.notDeepEqual(patched, files.embedding);
});

test.after(async () => {
  await (await fast).release();
  await (await reference).release();
});
