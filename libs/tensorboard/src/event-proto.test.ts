import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEvent, encodeEvent, FILE_VERSION } from './index';

test('events round-trip: file_version, negative and large steps, several values, zero value', () => {
  const events = [
    { wallTime: 1700000000.25, step: 0, fileVersion: FILE_VERSION },
    { wallTime: 1.5, step: -1, summary: [{ tag: 'loss', simpleValue: 0 }] },
    {
      wallTime: 2,
      step: 2 ** 40,
      summary: [
        { tag: 'a', simpleValue: 1 },
        { tag: 'b/é', simpleValue: -2.5 },
      ],
    },
  ];
  for (const e of events) assert.deepEqual(decodeEvent(encodeEvent(e)), e);
});

test('proto3 defaults: zero step and wall time are omitted, a zero simple_value is kept', () => {
  const bytes = encodeEvent({ wallTime: 0, step: 0, summary: [{ tag: 't', simpleValue: 0 }] });
  assert.equal(bytes.toString('hex'), '2a0a' + '0a08' + '0a0174' + '1500000000');
});

test('unknown fields are skipped; malformed bytes throw', () => {
  // Event with a graph_def (field 4) and a Value carrying node_name (field 7) and a tensor (field 8).
  const value = Buffer.concat([Buffer.from([0x3a, 0x01, 0x6e, 0x0a, 0x01, 0x74]), Buffer.from([0x42, 0x00])]);
  const summary = Buffer.concat([Buffer.from([0x0a, value.length]), value]);
  const bytes = Buffer.concat([Buffer.from([0x10, 0x05, 0x22, 0x02, 0xff, 0xff, 0x2a, summary.length]), summary]);
  assert.deepEqual(decodeEvent(bytes), { wallTime: 0, step: 5, summary: [{ tag: 't' }] });
  assert.throws(() => decodeEvent(Buffer.from([0x09, 0x00])), /truncated field/);
  assert.throws(() => decodeEvent(Buffer.from([0x0a, 0x00])), /Event.wall_time has wire type 2/);
});
