import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mean, percentileOfSorted, percentiles, std } from './percentile';

interface NumpyCase {
  values: number[];
  percentiles: number[];
  expected: number[];
  mean: number;
  std: number;
}
const fixture = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'numpy-percentiles.json'), 'utf8')) as {
  cases: NumpyCase[];
};

test('percentiles equal np.percentile (linear) bit for bit', () => {
  for (const c of fixture.cases)
    assert.deepEqual(percentiles(c.values, c.percentiles), c.expected, `n=${c.values.length}`);
});

test('mean and std equal np.mean and np.std (pairwise summation) bit for bit', () => {
  for (const c of fixture.cases) {
    assert.equal(mean(c.values), c.mean, `mean n=${c.values.length}`);
    assert.equal(std(c.values), c.std, `std n=${c.values.length}`);
  }
});

test('percentileOfSorted interpolates linearly and checks its arguments', () => {
  assert.equal(percentileOfSorted([1, 2, 3, 4], 50), 2.5);
  assert.equal(percentileOfSorted([10, 20], 75), 17.5);
  assert.equal(percentileOfSorted([5], 99), 5);
  assert.throws(() => percentileOfSorted([], 50), RangeError);
  assert.throws(() => percentileOfSorted([1], 101), RangeError);
});
