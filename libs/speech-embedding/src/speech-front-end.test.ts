import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resample } from '@digits/dsp';
import {
  CHUNK_SAMPLES,
  DEFAULT_FRONT_END_DIR,
  EMBEDDING_DIM,
  FIRST_WINDOW_CHUNK,
  FrontEndFileError,
  loadSpeechFrontEnd,
  readFrontEndFiles,
} from './index';
import { syntheticSpeech } from './testing/synthetic-speech';

const frontEndP = loadSpeechFrontEnd();

test('embedAudio gives one embedding per 80 ms once the first 0.8 s window is complete', async () => {
  const fe = await frontEndP;
  const audio = syntheticSpeech(2);
  const frames = await fe.embedAudio(audio);
  const chunks = Math.floor(audio.length / CHUNK_SAMPLES);
  assert.equal(frames.length, chunks - FIRST_WINDOW_CHUNK);
  assert.equal(frames[0].index, FIRST_WINDOW_CHUNK);
  assert.equal(frames[0].endSample, (FIRST_WINDOW_CHUNK + 1) * CHUNK_SAMPLES);
  for (const f of frames) {
    assert.equal(f.vector.length, EMBEDDING_DIM);
    assert.ok(f.vector.every(Number.isFinite));
  }
  assert.equal(await fe.embedAudio(new Float32Array(CHUNK_SAMPLES * FIRST_WINDOW_CHUNK)).then((f) => f.length), 0);
});

test('a stream fed the same audio in uneven pieces gives exactly the batch embeddings', async () => {
  const fe = await frontEndP;
  const audio = syntheticSpeech(2.3, 16000, 7);
  const batch = await fe.embedAudio(audio);
  for (const sizes of [[1], [160, 37, 2000], [CHUNK_SAMPLES], [5003]]) {
    const stream = fe.stream();
    const got = [];
    let i = 0;
    for (let p = 0; i < audio.length; p++) {
      const n = sizes[p % sizes.length];
      got.push(stream.push(audio.subarray(i, i + n))); // queued, not awaited one by one
      i += n;
    }
    const frames = (await Promise.all(got)).flat();
    assert.equal(frames.length, batch.length, `pieces ${sizes}`);
    frames.forEach((f, w) => {
      assert.equal(f.index, batch[w].index);
      assert.deepEqual(f.vector, batch[w].vector, `window ${w}, pieces ${sizes}`);
    });
  }
});

test('pinned fixture: the front end still gives the recorded embeddings of the synthetic signal', async () => {
  const fe = await frontEndP;
  const fixture = JSON.parse(readFileSync(path.join(__dirname, 'testing/pinned-embeddings.json'), 'utf8')) as {
    seconds: number;
    seed: number;
    windows: { index: number; head: number[]; sum: number }[];
  };
  const frames = await fe.embedAudio(syntheticSpeech(fixture.seconds, 16000, fixture.seed));
  assert.equal(frames.length, fixture.windows.length);
  fixture.windows.forEach((w, i) => {
    assert.equal(frames[i].index, w.index);
    w.head.forEach((v, j) =>
      assert.ok(Math.abs(frames[i].vector[j] - v) < 1e-4, `window ${i} value ${j}: ${frames[i].vector[j]} vs ${v}`),
    );
    const sum = frames[i].vector.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - w.sum) < 1e-3, `window ${i} sum ${sum} vs ${w.sum}`);
  });
});

test('audio at 8, 22.05, 44.1 and 48 kHz is resampled in-process to nearly the 16 kHz embeddings', async () => {
  const fe = await frontEndP;
  const at16 = syntheticSpeech(1.6, 16000, 3);
  const ref = await fe.embedAudio(at16);
  for (const rate of [8000, 22050, 44100, 48000]) {
    const other = resample(at16, 16000, rate);
    const got = await fe.embedAudio(other, rate);
    assert.equal(got.length, ref.length, `${rate} Hz`);
    // Cosine similarity per window: resampling (and 8 kHz's lost top band) moves numbers a little, not the embedding.
    got.forEach((f, w) => {
      let dot = 0,
        a = 0,
        b = 0;
      for (let j = 0; j < EMBEDDING_DIM; j++) {
        dot += f.vector[j] * ref[w].vector[j];
        a += f.vector[j] ** 2;
        b += ref[w].vector[j] ** 2;
      }
      const cos = dot / Math.sqrt(a * b);
      assert.ok(cos > (rate === 8000 ? 0.9 : 0.98), `${rate} Hz window ${w}: cosine ${cos.toFixed(4)}`);
    });
  }
});

test('a changed model file, a missing file or a malformed front-end.json is a clear error naming the file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'front-end-'));
  const desc = JSON.parse(readFileSync(path.join(DEFAULT_FRONT_END_DIR, 'front-end.json'), 'utf8'));
  writeFileSync(path.join(dir, 'front-end.json'), JSON.stringify(desc));
  assert.throws(
    () => readFrontEndFiles(dir),
    (e: Error) => e instanceof FrontEndFileError && /melspectrogram\.onnx: not found/.test(e.message),
  );
  copyFileSync(path.join(DEFAULT_FRONT_END_DIR, desc.melFile), path.join(dir, desc.melFile));
  const emb = readFileSync(path.join(DEFAULT_FRONT_END_DIR, desc.embeddingFile));
  emb[emb.length - 1] ^= 1;
  writeFileSync(path.join(dir, desc.embeddingFile), emb);
  assert.throws(() => readFrontEndFiles(dir), /embedding_model\.onnx: sha256 [0-9a-f]{64} differs from 70d16429/);
  writeFileSync(path.join(dir, 'front-end.json'), JSON.stringify({ ...desc, melSha256: 'abc' }));
  assert.throws(() => readFrontEndFiles(dir), /front-end\.json: field "melSha256"/);
});
