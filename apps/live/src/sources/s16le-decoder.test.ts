import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S16leDecoder } from './s16le-decoder';

const values = [0, 1, -1, 32767, -32768, 12345, -2];
const bytes = Buffer.alloc(values.length * 2);
values.forEach((v, i) => bytes.writeInt16LE(v, 2 * i));
const expected = values.map((v) => v / 32768);

test('S16leDecoder reads s16le as int16 / 32768', () => {
  assert.deepEqual(Array.from(new S16leDecoder().push(bytes)), expected);
});

test('S16leDecoder gives the same samples however the bytes are split, odd splits included', () => {
  for (const cuts of [[1], [3, 4], [1, 2, 3, 5, 7, 13], [13]]) {
    const decoder = new S16leDecoder();
    const out: number[] = [];
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      out.push(...decoder.push(bytes.subarray(from, cut)));
      from = cut;
    }
    assert.deepEqual(out, expected, `cuts ${cuts}`);
    assert.equal(decoder.hasPartialSample, false);
  }
  const d = new S16leDecoder();
  d.push(bytes.subarray(0, 3));
  assert.equal(d.hasPartialSample, true);
  assert.equal(d.push(new Uint8Array(0)).length, 0);
  assert.equal(d.hasPartialSample, true);
});
