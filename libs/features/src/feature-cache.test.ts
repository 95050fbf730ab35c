import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FeatureCache } from './feature-cache';

test('a cache folder that cannot be written (a file in its place) warns once and the entries are misses', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'feature-cache-'));
  const file = path.join(tmp, 'not-a-folder');
  fs.writeFileSync(file, 'x');
  const warnings: string[] = [];
  const cache = new FeatureCache(file, (l) => warnings.push(l));
  const key = FeatureCache.key(['a'], new Uint8Array([1]));
  cache.put(key, new Float32Array([1, 2]));
  cache.put(FeatureCache.key(['b'], new Uint8Array([1])), new Float32Array([3]));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /feature cache .*not-a-folder cannot be written \(.+\); going on without caching/);
  assert.equal(cache.get(key, 2), undefined);
  const ok = new FeatureCache(path.join(tmp, 'cache'), (l) => warnings.push(l));
  ok.put(key, new Float32Array([1, 2]));
  assert.deepEqual(Array.from(ok.get(key, 2) ?? []), [1, 2]);
  assert.equal(warnings.length, 1);
});
