import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classificationReport } from './classification-report';

test('classificationReport counts a small confusion exactly', () => {
  const r = classificationReport([0, 0, 1, 1, 2], [0, 1, 1, 1, 0], 3);
  assert.equal(r.n, 5);
  assert.equal(r.accuracy, 3 / 5);
  assert.equal(r.f1Micro, r.accuracy);
  assert.deepEqual(r.confusion, [
    [1, 1, 0],
    [0, 2, 0],
    [1, 0, 0],
  ]);
  assert.equal(r.perDigit[1].precision, 2 / 3);
  assert.equal(r.perDigit[1].recall, 1);
  assert.equal(r.perDigit[2].f1, 0);
});

test('classificationReport rejects mismatched lengths', () => {
  assert.throws(() => classificationReport([1, 2], [1]), /2 labels but 1 predictions/);
});
