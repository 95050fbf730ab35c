// The live app's main thread captures audio, segments it and serves clients; tfjs and onnxruntime belong in
// the classifier worker. Loading them here as well costs ~50-70 MB of RSS (measured: digits live 300 -> 254 MB
// for model 6, 266 -> 194 MB for model 5), so a stray value import of @digits/model's index is a regression.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './live-app';
import './cli/register';

test("the live app's main-thread modules load neither tfjs nor onnxruntime", () => {
  const heavy = Object.keys(require.cache).filter((k) => /[\\/](@tensorflow|onnxruntime-node)[\\/]/.test(k));
  assert.deepEqual(heavy, []);
});
