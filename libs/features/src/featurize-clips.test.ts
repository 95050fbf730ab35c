import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_FEATURE_CONFIG, NOTEBOOK_AUGMENTATIONS, featurizeClips, logMelSize } from './index';
import { REFERENCE_DIR, readClip, readF32 } from './testing';

const config = DEFAULT_FEATURE_CONFIG;
const MEL = logMelSize(config);

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('featurizeClips matches librosa base log-mels and padded signals (worker threads)', async () => {
  const names = ['0_jackson_0', '6_jackson_15', '9_theo_16', '6_yweweler_3'];
  const batch = await featurizeClips(names.map((n) => readClip(`${n}.wav`)), { config, signals: true, threads: 2, cacheDir: null });
  names.forEach((n, i) => {
    const ref = readF32(path.join(REFERENCE_DIR, 'base', `${n}.logmel.f32`));
    assert.ok(maxAbsDiff(batch.logMels!.subarray(i * MEL, (i + 1) * MEL), ref) <= 0.01, `${n} log-mel`);
    const pad = readF32(path.join(REFERENCE_DIR, 'base', `${n}.pad17640.f32`));
    assert.ok(maxAbsDiff(batch.signals!.subarray(i * config.length, (i + 1) * config.length), pad) <= 1e-5, `${n} padded`);
    const loaded = readF32(path.join(REFERENCE_DIR, 'base', `${n}.load22050.f32`));
    assert.equal(batch.loadedLengths[i], loaded.length, `${n} loaded length`);
  });
});

test('augmented rows come in the notebook order and match librosa', async () => {
  const batch = await featurizeClips([readClip('0_jackson_0.wav')], {
    config, augmentations: NOTEBOOK_AUGMENTATIONS, threads: 0, cacheDir: null,
  });
  assert.equal(batch.variants, 9);
  NOTEBOOK_AUGMENTATIONS.forEach((a, k) => {
    const step = a.nSteps === 0 ? '+0' : a.nSteps > 0 ? `+${a.nSteps}` : `${a.nSteps}`;
    const ref = readF32(path.join(REFERENCE_DIR, 'aug', `0_jackson_0.aug_r${a.rate}_s${step}.logmel.f32`));
    const ours = batch.logMels!.subarray(k * MEL, (k + 1) * MEL);
    let within = 0;
    for (let i = 0; i < MEL; i++) {
      const d = Math.abs(ours[i] - ref[i]);
      if (ref[i] > -40) assert.ok(d <= 0.05, `aug ${k} cell ${i}: ${ours[i]} vs ${ref[i]}`);
      if (d <= 1) within++;
    }
    assert.ok(within / MEL >= 0.99, `aug ${k}: ${within}/${MEL} cells within 1 dB`);
  });
});

test('the cache serves a second run, and a changed config or a torn entry is a miss', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'digits-cache-'));
  try {
    const clips = ['1_nicolas_0.wav', '2_theo_0.wav', '8_yweweler_0.wav'].map(readClip);
    const first = await featurizeClips(clips, { config, cacheDir: dir, threads: 0, signals: true });
    assert.equal(first.cached, 0);
    const second = await featurizeClips(clips, { config, cacheDir: dir, threads: 0, signals: true });
    assert.equal(second.cached, 3);
    assert.deepEqual(second.logMels, first.logMels);
    assert.deepEqual(second.signals, first.signals);
    assert.deepEqual(second.loadedLengths, first.loadedLengths);

    const other = await featurizeClips(clips, { config: { ...config, nMels: 40 }, cacheDir: dir, threads: 0 });
    assert.equal(other.cached, 0, 'another config must not hit');

    // Truncate every entry: a torn file must be recomputed, not read.
    const files: string[] = [];
    for (const sub of readdirSync(dir)) for (const f of readdirSync(path.join(dir, sub))) files.push(path.join(dir, sub, f));
    for (const f of files) writeFileSync(f, Buffer.alloc(Math.max(0, statSync(f).size - 4)));
    const third = await featurizeClips(clips, { config, cacheDir: dir, threads: 0 });
    assert.equal(third.cached, 0);
    assert.deepEqual(third.logMels, first.logMels);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a clip that is not a WAV fails with its name', async () => {
  await assert.rejects(
    featurizeClips([{ name: 'broken.wav', bytes: new TextEncoder().encode('not a wav file at all') }], { config, threads: 0, cacheDir: null }),
    /broken\.wav/,
  );
});
