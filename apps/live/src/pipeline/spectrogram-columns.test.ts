import { test } from 'node:test';
import assert from 'node:assert/strict';
import { from, lastValueFrom, toArray } from 'rxjs';
import { melSpectrogram, powerToDb } from '@digits/dsp';
import { DEFAULT_FEATURE_CONFIG } from '@digits/features';
import { SpectrogramMessageSchema, type SpectrogramMessage } from '@digits/protocol';
import type { AudioChunk } from '@digits/stream';
import { rateParams, spectrogramColumns } from './spectrogram-columns';

const config = { ...DEFAULT_FEATURE_CONFIG };

/** A chirp with a little noise: every band gets something, and the bands change over time. */
function signal(n: number, rate: number): Float32Array {
  let seed = 7;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 1e-3;
  return Float32Array.from(
    { length: n },
    (_, i) => 0.3 * Math.sin(2 * Math.PI * (200 + (i / n) * 3000) * (i / rate)) + noise(),
  );
}

function chunked(x: Float32Array, rate: number, size: number): AudioChunk[] {
  const out: AudioChunk[] = [];
  for (let i = 0; i < x.length; i += size) out.push({ samples: x.subarray(i, i + size), sampleRate: rate });
  return out;
}

const run = (chunks: AudioChunk[], intervalMs?: number) =>
  lastValueFrom(from(chunks).pipe(spectrogramColumns(config, { intervalMs }), toArray()));

test('rateParams keeps the model hop duration and window at any rate', () => {
  assert.deepEqual(rateParams(config, 22050), { sampleRate: 22050, nFft: 2048, hop: 512, lead: 2, fmax: 11025 });
  assert.deepEqual(rateParams(config, 16000), { sampleRate: 16000, nFft: 2048, hop: 372, lead: 3, fmax: 8000 });
  assert.deepEqual(rateParams(config, 48000), { sampleRate: 48000, nFft: 4096, hop: 1115, lead: 2, fmax: 11025 });
  assert.deepEqual(rateParams(config, 8000), { sampleRate: 8000, nFft: 1024, hop: 186, lead: 3, fmax: 4000 });
});

test('columns equal the centred log-mel (ref 1 dB) of the whole signal, whatever the chunk sizes', async () => {
  const rate = 16000;
  const x = signal(rate * 2, rate);
  const p = rateParams(config, rate);
  const whole = melSpectrogram(x, { sampleRate: rate, nFft: p.nFft, hopLength: p.hop, nMels: 64, fmax: p.fmax });
  const db = powerToDb(whole.data, { ref: 1, amin: 1e-12, topDb: null });
  for (const size of [37, 320, 5000]) {
    const messages = await run(chunked(x, rate, size));
    const columns = messages.flatMap((m) => m.columns);
    // Every column whose window fits in the signal: centres 0 .. length - nFft/2.
    assert.equal(columns.length, Math.floor((x.length - p.nFft / 2) / p.hop) + 1, `chunks of ${size}`);
    columns.forEach((col, t) => {
      assert.equal(col.length, 64);
      for (let m = 0; m < 64; m++) {
        const expected = Math.round(Math.max(-120, db[m * whole.frames + t]) * 10) / 10;
        assert.ok(
          Math.abs(col[m] - expected) <= 0.1 + 1e-9,
          `chunks of ${size}: column ${t}, band ${m}: ${col[m]} vs ${expected}`,
        );
      }
    });
  }
});

test('messages: one per intervalMs of columns, valid protocol messages, times on the hop grid', async () => {
  const rate = 22050;
  const messages: SpectrogramMessage[] = await run(chunked(signal(rate, rate), rate, 441), 100);
  const hopMs = (512 * 1000) / 22050;
  let expectedT = 0;
  messages.forEach((m, i) => {
    assert.equal(SpectrogramMessageSchema.safeParse(m).success, true);
    assert.ok(Math.abs(m.hopMs - hopMs) < 1e-9);
    assert.ok(Math.abs(m.tMs - expectedT) < 1e-6, `message ${i} at ${m.tMs} ms, expected ${expectedT}`);
    if (i < messages.length - 1) assert.equal(m.columns.length, 5); // ceil(100 / 23.2)
    expectedT += m.columns.length * hopMs;
  });
  assert.ok(messages.length >= 8);
});

test('a rate change or a gap starts a new run at the right stream time', async () => {
  const a = signal(8000, 8000);
  const b = signal(16000, 16000);
  const messages = await run([
    { samples: a, sampleRate: 8000 },
    { samples: b, sampleRate: 16000 },
    { samples: b, sampleRate: 16000, startSample: 16000 * 5 },
  ]);
  const starts = messages.filter(
    (m, i) =>
      i === 0 ||
      m.hopMs !== messages[i - 1].hopMs ||
      m.tMs > messages[i - 1].tMs + messages[i - 1].columns.length * m.hopMs + 1e-6,
  );
  assert.deepEqual(
    starts.map((m) => Math.round(m.tMs)),
    [0, 1000, 5000],
  );
  assert.ok(messages.every((m) => m.columns.every((c) => c.every((v) => Number.isFinite(v) && v >= -120))));
});

test('digital silence is clamped to the floor, never -Infinity', async () => {
  const messages = await run([{ samples: new Float32Array(22050), sampleRate: 22050 }]);
  assert.ok(messages.length > 0);
  assert.ok(messages.every((m) => m.columns.every((c) => c.every((v) => v === -120))));
});
