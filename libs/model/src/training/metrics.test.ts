import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argmaxRows, f1Micro } from './metrics';

test('f1Micro is the fraction of matching labels', () => {
  assert.equal(f1Micro([1, 2, 3, 4], [1, 2, 0, 4]), 0.75);
  assert.throws(() => f1Micro([1], [1, 2]), /1 labels but 2 predictions/);
});

test('argmaxRows picks the first largest value per row', () => {
  assert.deepEqual(Array.from(argmaxRows([0.1, 0.7, 0.2, 0.5, 0.5, 0], 3)), [1, 0]);
});
