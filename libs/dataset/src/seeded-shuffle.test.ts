import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededShuffle } from './seeded-shuffle';

const ten = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

test('seededShuffle is a permutation fixed by the seed', () => {
  const a = seededShuffle(ten, 33);
  assert.deepEqual(
    [...a].sort((x, y) => x - y),
    ten,
  );
  assert.deepEqual(seededShuffle(ten, 33), a);
  assert.notDeepEqual(seededShuffle(ten, 34), a);
  assert.deepEqual(ten, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'input untouched');
});

test('seededShuffle order is pinned: a generator or algorithm change would silently change every split', () => {
  assert.deepEqual(seededShuffle(ten, 33), GOLDEN_33);
});

test('seededShuffle refuses seeds the 32-bit generator would alias', () => {
  for (const bad of [-1, 1.5, 2 ** 32, Number.NaN])
    assert.throws(() => seededShuffle(ten, bad), RangeError, String(bad));
  assert.doesNotThrow(() => seededShuffle(ten, 2 ** 32 - 1));
});

const GOLDEN_33 = [3, 7, 8, 1, 4, 9, 2, 0, 5, 6];
