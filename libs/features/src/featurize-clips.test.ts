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
  const batch = await featurizeClips(
    names.map((n) => readClip(`${n}.wav`)),
    { config, signals: true, threads: 2, cacheDir: null },
  );
  names.forEach((n, i) => {
    const ref = readF32(path.join(REFERENCE_DIR, 'base', `${n}.logmel.f32`));
    assert.ok(maxAbsDiff(batch.logMels!.subarray(i * MEL, (i + 1) * MEL), ref) <= 0.01, `${n} log-mel`);
    const pad = readF32(path.join(REFERENCE_DIR, 'base', `${n}.pad17640.f32`));
    assert.ok(
      maxAbsDiff(batch.signals!.subarray(i * config.length, (i + 1) * config.length), pad) <= 1e-5,
      `${n} padded`,
    );
    const loaded = readF32(path.join(REFERENCE_DIR, 'base', `${n}.load22050.f32`));
    assert.equal(batch.loadedLengths[i], loaded.length, `${n} loaded length`);
  });
});

test('augmented rows come in the notebook order and match librosa', async () => {
  const batch = await featurizeClips([readClip('0_jackson_0.wav')], {
    config,
    augmentations: NOTEBOOK_AUGMENTATIONS,
    threads: 0,
    cacheDir: null,
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
    for (const sub of readdirSync(dir))
      for (const f of readdirSync(path.join(dir, sub))) files.push(path.join(dir, sub, f));
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
    featurizeClips([{ name: 'broken.wav', bytes: new TextEncoder().encode('not a wav file at all') }], {
      config,
      threads: 0,
      cacheDir: null,
    }),
    /broken\.wav/,
  );
});

/** A clip whose WAV header declares a 4 GHz sample rate (decodes as a header, fails at the rate check). */
function fourGigahertz(name: string): { name: string; bytes: Uint8Array } {
  const bytes = new Uint8Array(readClip('5_theo_0.wav').bytes);
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(24, 4_000_000_000, true);
  return { name, bytes };
}

for (const threads of [0, 2]) {
  test(`skipFailures: bad clips are reported with index, name and reason, the rest kept in order (threads ${threads})`, async () => {
    const good = [readClip('0_jackson_0.wav'), readClip('9_theo_16.wav')];
    const clips = [
      fourGigahertz('fast.wav'),
      good[0],
      { name: 'broken.wav', bytes: new TextEncoder().encode('not a wav') },
      good[1],
    ];
    const progress: number[] = [];
    const batch = await featurizeClips(clips, {
      config,
      threads,
      cacheDir: null,
      signals: true,
      skipFailures: true,
      onProgress: (d) => progress.push(d),
    });
    assert.deepEqual(batch.kept, [1, 3]);
    assert.deepEqual(
      batch.skipped.map((s) => [s.index, s.name]),
      [
        [0, 'fast.wav'],
        [2, 'broken.wav'],
      ],
    );
    assert.match(batch.skipped[0].reason, /4000000000/);
    assert.match(batch.skipped[1].reason, /broken\.wav/);
    // Each clip is featurised once (no retry): one progress step per input clip.
    assert.deepEqual(progress, [1, 2, 3, 4]);
    const alone = await featurizeClips(good, { config, threads: 0, cacheDir: null, signals: true });
    assert.deepEqual(batch.logMels, alone.logMels);
    assert.deepEqual(batch.signals, alone.signals);
    assert.deepEqual(batch.loadedLengths, alone.loadedLengths);
    assert.deepEqual(alone.kept, [0, 1]);
    assert.deepEqual(alone.skipped, []);
  });
}

test('without skipFailures, the error names every clip that failed', async () => {
  await assert.rejects(
    featurizeClips([fourGigahertz('a.wav'), readClip('0_jackson_0.wav'), fourGigahertz('b.wav')], {
      config,
      threads: 2,
      cacheDir: null,
    }),
    /2 of 3 clips could not be featurised: a\.wav: .*4000000000.*; b\.wav: /,
  );
});
