import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeWav16 } from '@digits/dsp';
import {
  augmentForEmbedding,
  backgroundAlone,
  embedClips,
  loadSpeechFrontEnd,
  nameSeed,
  POOLED_DIM,
  roomCondition,
} from './index';
import { syntheticSpeech } from './testing/synthetic-speech';

const sha = (x: Float32Array) =>
  createHash('sha256')
    .update(new Uint8Array(x.buffer, x.byteOffset, x.byteLength))
    .digest('hex');

test('the plain recipe is unchanged: pinned outputs (computed before the rooms recipe existed)', () => {
  const clip = syntheticSpeech(0.7, 16000, 3);
  const a = augmentForEmbedding(clip, 1234);
  assert.deepEqual(
    [a.offset, a.centreError, sha(a.samples)],
    [1155, 903, 'bba4f101874259991702bb85e848b129d9d89745683ae6fcf2b160ff2a648f6c'],
  );
  const b = augmentForEmbedding(clip, 7, { gainDb: 3, snrDb: [20, 25], centreErrorMs: 10 });
  assert.deepEqual(
    [b.offset, b.centreError, sha(b.samples)],
    [1250, 64, '4ad49e087a3aea849c620e74d8f492362efee6915150ebef8fa81b4988d72c4b'],
  );
});

test('the rooms recipe: a fresh condition per seed, deterministic, reverberant copies carry a tail', () => {
  const clip = syntheticSpeech(0.7, 16000, 3);
  const copies = Array.from({ length: 12 }, (_, s) => augmentForEmbedding(clip, 100 + s, { rooms: {} }));
  assert.deepEqual(copies[0], augmentForEmbedding(clip, 100, { rooms: {} }));
  assert.equal(new Set(copies.map((c) => sha(c.samples))).size, copies.length);
  // With RT60 0.2-1.0 s in 70% of the draws, most copies are longer than the clip by at least 0.2 s.
  const longer = copies.filter((c) => c.samples.length > clip.length + 3200).length;
  assert.ok(longer >= 5 && longer < 12, `${longer} of 12 reverberant`);
  // Only rooms, no background or level change: the copy is the clip convolved (same energy, unit-energy IR).
  const dry = augmentForEmbedding(clip, 5, {
    rooms: { roomProbability: 1, noiseProbability: 0, colourProbability: 0, gainDb: 0 },
  });
  const energy = (x: Float32Array) => x.reduce((s, v) => s + v * v, 0);
  assert.ok(Math.abs(energy(dry.samples) / energy(clip) - 1) < 0.5);
  // Babble needs a pool: without one it is never drawn, with one it may be.
  assert.throws(() => augmentForEmbedding(clip, 5, { rooms: { kinds: ['babble'], noiseProbability: 1 } }), /babble/);
  const withPool = augmentForEmbedding(
    clip,
    5,
    { rooms: { kinds: ['babble'], noiseProbability: 1 } },
    { babble: [clip] },
  );
  assert.ok(withPool.samples.length >= clip.length);
});

test('embedClips: the rooms recipe has cache keys of its own (never served the plain copy), pools in the key', async () => {
  const fe = await loadSpeechFrontEnd();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rooms-cache-'));
  try {
    const clips = [{ name: '3_synthetic_0.wav', bytes: encodeWav16(syntheticSpeech(0.6, 8000, 2), 8000) }];
    const plain = await embedClips(fe, clips, { cacheDir: dir, augment: { seed: 1 } });
    const rooms = await embedClips(fe, clips, { cacheDir: dir, augment: { seed: 1, options: { rooms: {} } } });
    const again = await embedClips(fe, clips, { cacheDir: dir, augment: { seed: 1, options: { rooms: {} } } });
    assert.notDeepEqual(plain.vectors, rooms.vectors);
    assert.deepEqual(rooms.vectors, again.vectors);
    // Two babble pools under two names: the second is computed, not served the first one's cached vector.
    const babbleOnly = { rooms: { kinds: ['babble' as const], noiseProbability: 1, snrDb: [0, 0] as const } };
    const withPool = (seed: number, key: string) =>
      embedClips(fe, clips, {
        cacheDir: dir,
        augment: { seed: 1, options: babbleOnly, pools: { babble: [syntheticSpeech(1, 16000, seed)] }, poolsKey: key },
      });
    const p1 = await withPool(9, 'p1');
    const p2 = await withPool(10, 'p2');
    assert.notDeepEqual(p1.vectors, p2.vectors);
    assert.deepEqual((await withPool(9, 'p1')).vectors, p1.vectors);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await fe.release();
  }
});

test('embedClips: an ablation (rooms.without) shares the full recipe cached vectors of the copies it leaves as they were', async () => {
  const fe = await loadSpeechFrontEnd();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rooms-ablation-'));
  try {
    const clips = Array.from({ length: 8 }, (_, i) => ({
      name: `${i % 10}_synthetic_${i}.wav`,
      bytes: encodeWav16(syntheticSpeech(0.5, 8000, i + 1), 8000),
    }));
    const full = await embedClips(fe, clips, { cacheDir: dir, augment: { seed: 2, options: { rooms: {} } } });
    const ablation = { seed: 2, options: { rooms: { without: ['room' as const] } } };
    const cached = await embedClips(fe, clips, { cacheDir: dir, augment: ablation });
    const fresh = await embedClips(fe, clips, { cacheDir: null, augment: ablation });
    // Served from the cache or computed, the ablation's vectors are the same.
    assert.deepEqual(cached.vectors, fresh.vectors);
    const row = (e: typeof full, i: number) => Array.from(e.vectors.subarray(i * POOLED_DIM, (i + 1) * POOLED_DIM));
    let reverberant = 0;
    clips.forEach((c, i) => {
      const hadRoom = roomCondition((2 * 7919 + nameSeed(c.name)) >>> 0, {}).room !== null;
      if (hadRoom) reverberant++;
      if (hadRoom) assert.notDeepEqual(row(cached, i), row(full, i), c.name);
      else assert.deepEqual(row(cached, i), row(full, i), c.name);
    });
    assert.ok(reverberant > 0 && reverberant < clips.length, `${reverberant} of ${clips.length} in a room`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await fe.release();
  }
});

test('backgroundAlone: a training background, no speech, in the drawn room; none when its kind is left out', () => {
  const pools = { babble: [syntheticSpeech(1, 16000, 4)] };
  const a = backgroundAlone(11, {}, pools);
  assert.ok(a && a.length >= 8000 && a.length <= 24000 + 16000, `${a?.length}`);
  assert.deepEqual(backgroundAlone(11, {}, pools), a);
  const rms = Math.sqrt(a!.reduce((s, v) => s + v * v, 0) / a!.length);
  assert.ok(rms > 10 ** (-50 / 20) && rms < 10 ** (-5 / 20), `${rms}`);
  // Only babble to draw from, and babble left out: no background.
  assert.equal(backgroundAlone(11, { kinds: ['babble'], without: ['babble'] }, pools), null);
  assert.notEqual(backgroundAlone(11, { kinds: ['babble'] }, pools), null);
});
