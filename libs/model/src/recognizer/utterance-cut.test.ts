import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMBEDDING_CUT, MODEL5_CUT, utteranceCut } from './utterance-cut';

test("a model's cut: meta.json's own, else the one measured for its kind, else the stream's defaults", () => {
  assert.deepEqual(utteranceCut('embedding', {}), EMBEDDING_CUT);
  assert.deepEqual(utteranceCut('logmel', { experiment: 5 }), MODEL5_CUT);
  assert.deepEqual(utteranceCut('logmel', { experiment: '5' }), MODEL5_CUT);
  assert.deepEqual(utteranceCut('logmel', { experiment: 3 }), {});
  assert.deepEqual(utteranceCut('raw', { experiment: 5 }), {});
  assert.deepEqual(utteranceCut('logmel', { experiment: 5, cut: { trimKeepEndMs: 25 } }), { trimKeepEndMs: 25 });
  // Returned copies: a caller changing one does not change the constants.
  utteranceCut('embedding', {}).trimKeepEndMs = 1;
  assert.equal(EMBEDDING_CUT.trimKeepEndMs, 60);
});

test('a bad meta.json cut is an error naming the file and the field', () => {
  assert.throws(
    () => utteranceCut('logmel', { cut: { trimKeepMs: -5 } }, 'm/meta.json'),
    /m\/meta\.json: field "cut\.trimKeepMs"/,
  );
  assert.throws(() => utteranceCut('logmel', { cut: { keep: 5 } }, 'm/meta.json'), /m\/meta\.json: field "cut"/);
  assert.throws(() => utteranceCut('logmel', { cut: 7 }, 'm/meta.json'), /m\/meta\.json: field "cut"/);
});
