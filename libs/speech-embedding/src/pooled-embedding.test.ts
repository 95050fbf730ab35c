import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CHUNK_SAMPLES,
  EMBEDDING_DIM,
  FIRST_WINDOW_CHUNK,
  POOLED_DIM,
  POOLED_WINDOWS,
  clipCanvas,
  energyCentre,
  loadSpeechFrontEnd,
  nearestWindow,
  poolAround,
  windowCentreSample,
  windowsAround,
} from './index';
import { syntheticSpeech } from './testing/synthetic-speech';

test('window centres sit on the 80 ms grid and nearestWindow inverts them', () => {
  for (const k of [9, 10, 37]) {
    assert.equal(windowCentreSample(k + 1) - windowCentreSample(k), CHUNK_SAMPLES);
    assert.equal(nearestWindow(windowCentreSample(k)), k);
    assert.equal(nearestWindow(windowCentreSample(k) + CHUNK_SAMPLES / 2 - 1), k);
  }
  assert.deepEqual(windowsAround(windowCentreSample(20), 5), [18, 19, 20, 21, 22]);
});

test('energyCentre is the mean position of the squared amplitude', () => {
  const x = new Float32Array(100);
  x[10] = 1;
  x[30] = 1;
  assert.equal(energyCentre(x), 20);
  x[30] = 2; // four times the energy
  assert.equal(energyCentre(x), (10 + 4 * 30) / 5);
  assert.equal(energyCentre(new Float32Array(8)), 4);
});

test('poolAround takes the mean and the max of the windows it has', () => {
  const frames = [9, 10, 11].map((index) => ({
    index,
    endSample: 0,
    vector: new Float32Array(EMBEDDING_DIM).fill(index),
  }));
  const pooled = poolAround(frames, windowCentreSample(10), 3);
  assert.equal(pooled.length, POOLED_DIM);
  assert.equal(pooled[0], 10);
  assert.equal(pooled[EMBEDDING_DIM], 11);
  const edge = poolAround(frames, windowCentreSample(8), 3); // windows 7, 8 missing
  assert.equal(edge[0], 9);
  assert.throws(() => poolAround(frames, windowCentreSample(40), 3), /no embedding window around stream sample/);
});

test('clipCanvas leaves room for every pooled window of a short clip and keeps a long one whole', () => {
  for (const [len, centre] of [
    [4000, 2000],
    [40000, 30000],
    [100, 0],
  ]) {
    const c = clipCanvas(len, centre);
    assert.ok(c.length >= c.lead + len);
    const ks = windowsAround(c.centre);
    assert.equal(ks.length, POOLED_WINDOWS);
    assert.ok(ks[0] >= FIRST_WINDOW_CHUNK, `first window ${ks[0]}`);
    assert.ok((ks[ks.length - 1] + 1) * CHUNK_SAMPLES <= c.length);
  }
});

test('live equals offline: pooling a stream that carries the clip gives embedClip exactly', async () => {
  const fe = await loadSpeechFrontEnd();
  const clip = syntheticSpeech(0.6, 8000, 5); // an 8 kHz clip, as FSDD's
  const offline = await fe.embedClip(clip, 8000);
  // The same audio as a live stream: resampled, on the same canvas, pushed in 20 ms pieces.
  const at16 = (await import('./index')).toFrontEndRate(clip, 8000);
  const canvas = clipCanvas(at16.length, energyCentre(at16));
  const audio = new Float32Array(canvas.length);
  audio.set(at16, canvas.lead);
  const stream = fe.stream();
  const frames = [];
  for (let i = 0; i < audio.length; i += 320) frames.push(...(await stream.push(audio.subarray(i, i + 320))));
  const centre = canvas.lead + energyCentre(audio.subarray(canvas.lead, canvas.lead + at16.length));
  assert.deepEqual(poolAround(frames, centre), offline);
});
