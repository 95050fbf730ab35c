import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRecords, encodeEvent, encodeRecord, maskedCrc32c } from './index';

test('masked CRC32C: known answers', () => {
  // CRC32C("123456789") = 0xe3069283 (the standard check value); masked by hand: rotr15 + 0xa282ead8.
  assert.equal(maskedCrc32c(Buffer.from('123456789')), 0xc78ab0e5);
  assert.equal(maskedCrc32c(new Uint8Array(0)), 0xa282ead8); // CRC of nothing is 0, so only the offset
});

test('one small record has exactly the expected bytes', () => {
  const event = encodeEvent({ wallTime: 1.5, step: 3, summary: [{ tag: 'a', simpleValue: 0.5 }] });
  // Computed independently (Python struct + a bitwise CRC32C), not with this module.
  const expected =
    '1700000000000000' +
    'e7cef81e' + // length 23, masked CRC of the length
    '09000000000000f83f' +
    '1003' + // wall_time 1.5, step 3
    '2a0a' +
    '0a08' +
    '0a0161' +
    '150000003f' + // summary { value { tag "a", simple_value 0.5 } }
    'de5768cd'; // masked CRC of the data
  assert.equal(encodeRecord(event).toString('hex'), expected);
});

test('records round-trip, including an empty one', () => {
  const payloads = [Buffer.from('hello'), Buffer.alloc(0), Buffer.alloc(300, 7)];
  const bytes = Buffer.concat(payloads.map((p) => encodeRecord(p)));
  const records = decodeRecords(bytes, 'mem');
  assert.deepEqual(
    records.map((r) => r.data),
    payloads,
  );
  assert.deepEqual(
    records.map((r) => r.offset),
    [0, 21, 37],
  );
  assert.deepEqual(decodeRecords(Buffer.alloc(0), 'mem'), []);
});

test('a bad length CRC, a bad data CRC and truncation are errors naming source and offset', () => {
  const bytes = Buffer.concat([encodeRecord(Buffer.from('first')), encodeRecord(Buffer.from('second'))]);
  const second = 12 + 5 + 4;
  const flip = (at: number) => {
    const b = Buffer.from(bytes);
    b[at] ^= 0x01;
    return b;
  };
  assert.throws(() => decodeRecords(flip(second + 2), 'f'), /^Error: f: length CRC mismatch in record at offset 21/);
  assert.throws(() => decodeRecords(flip(second + 13), 'f'), /^Error: f: data CRC mismatch in record at offset 21/);
  assert.throws(() => decodeRecords(flip(bytes.length - 1), 'f'), /data CRC mismatch in record at offset 21/);
  assert.throws(
    () => decodeRecords(bytes.subarray(0, bytes.length - 1), 'f'),
    /^Error: f: truncated record at offset 21: needs 22 bytes, 21 left/,
  );
  assert.throws(
    () => decodeRecords(bytes.subarray(0, second + 5), 'f'),
    /^Error: f: truncated record at offset 21: header needs 12 bytes, 5 left/,
  );
});
