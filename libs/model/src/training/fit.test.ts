import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededShuffle } from '@digits/dataset';
import { fit, type FitBatch } from './fit';

test('fit: each epoch is the seeded shuffle in consecutive batches, the last shorter; the loss is row-weighted', async () => {
  const seen: FitBatch[] = [];
  const epochLosses: number[] = [];
  const means: number[] = [];
  const result = await fit({
    rows: 7,
    batchSize: 3,
    lastEpoch: 2,
    shuffleSeed: (e) => 5 * 1000 + e,
    trainBatch: async (b) => {
      seen.push(b);
      return b.index + 1;
    },
    onBatchEnd: (_b, mean) => means.push(mean),
    onEpochEnd: ({ loss }) => {
      epochLosses.push(loss);
    },
  });
  assert.deepEqual(result, { lastEpoch: 2, stopped: false });
  assert.deepEqual(
    seen.map((b) => [b.epoch, b.index, b.batches, b.rows.length]),
    [
      [1, 0, 3, 3],
      [1, 1, 3, 3],
      [1, 2, 3, 1],
      [2, 0, 3, 3],
      [2, 1, 3, 3],
      [2, 2, 3, 1],
    ],
  );
  assert.deepEqual(
    seen.filter((b) => b.epoch === 1).flatMap((b) => b.rows),
    seededShuffle([0, 1, 2, 3, 4, 5, 6], 5001),
  );
  assert.deepEqual(
    seen.filter((b) => b.epoch === 2).flatMap((b) => b.rows),
    seededShuffle([0, 1, 2, 3, 4, 5, 6], 5002),
  );
  assert.deepEqual(epochLosses, [(1 * 3 + 2 * 3 + 3 * 1) / 7, (1 * 3 + 2 * 3 + 3 * 1) / 7]);
  assert.deepEqual(means.slice(0, 3), [1, 1.5, 12 / 7]);
});

test('fit: resumes at firstEpoch, and a stop from onEpochEnd still checkpoints that epoch', async () => {
  const events: string[] = [];
  const result = await fit({
    rows: 4,
    batchSize: 4,
    firstEpoch: 3,
    lastEpoch: 10,
    shuffleSeed: (e) => e,
    onEpochStart: (e) => events.push(`start ${e}`),
    trainBatch: async () => 1,
    onEpochEnd: ({ epoch }) => {
      events.push(`end ${epoch}`);
      return epoch === 4;
    },
    checkpoint: async (e) => {
      events.push(`checkpoint ${e}`);
    },
  });
  assert.deepEqual(result, { lastEpoch: 4, stopped: true });
  assert.deepEqual(events, ['start 3', 'end 3', 'checkpoint 3', 'start 4', 'end 4', 'checkpoint 4']);
});
