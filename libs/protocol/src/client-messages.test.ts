import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseClientMessage, MAX_CLIENT_MESSAGE_BYTES, PROTOCOL_VERSION } from './index';

test('valid client messages parse: hello, subscribe, ping', () => {
  const valid = [
    { type: 'hello' },
    { type: 'hello', protocolVersion: PROTOCOL_VERSION, token: 'secret', want: ['level', 'spectrogram'] },
    { type: 'subscribe', want: ['prediction', 'speech'] },
    { type: 'subscribe', token: 't', want: [] },
    { type: 'ping' },
    { type: 'ping', id: 'abc' },
    { type: 'ping', id: 12 },
  ];
  for (const m of valid) {
    assert.deepEqual(parseClientMessage(m), { ok: true, message: m });
    assert.deepEqual(parseClientMessage(JSON.stringify(m)), { ok: true, message: m });
    assert.deepEqual(parseClientMessage(Buffer.from(JSON.stringify(m))), { ok: true, message: m });
  }
});

test('invalid client messages are errors that name the field', () => {
  const invalid: [unknown, RegExp][] = [
    [{ type: 'subscribe', want: ['level', 'everything'] }, /invalid "subscribe" message: field "want\[1\]"/],
    [{ type: 'subscribe', want: 'level' }, /field "want": Expected array/],
    [{ type: 'hello', token: '' }, /field "token"/],
    [{ type: 'hello', protocolVersion: 0 }, /field "protocolVersion"/],
    [{ type: 'ping', id: { deep: true } }, /field "id"/],
    [{ type: 'ping', extra: 1 }, /Unrecognized key\(s\) in object: 'extra'/],
    [
      { type: 'prediction', digit: 3 },
      /^unknown message type "prediction": expected "hello", "subscribe", "ping", "enrol-start", "enrol-redo", "enrol-play", "enrol-cancel", "enrol-finish", "use-model"$/,
    ],
    [{ want: ['level'] }, /^unknown message type missing/],
    [[], /expected a JSON object with a "type" field, got an array/],
    ['not json', /^not JSON: /],
    ['', /^not JSON: /],
    [undefined, /got undefined$/],
    ['null', /got null$/],
  ];
  for (const [m, re] of invalid) {
    const r = parseClientMessage(m);
    assert.equal(r.ok, false, JSON.stringify(m));
    if (!r.ok) assert.match(r.error, re);
  }
});

test('client text above MAX_CLIENT_MESSAGE_BYTES is rejected before parsing; the limit itself is fine', () => {
  const pad = (n: number) => {
    const base = JSON.stringify({ type: 'ping', id: '' });
    return JSON.stringify({ type: 'ping', id: 'x'.repeat(n - base.length) });
  };
  assert.equal(MAX_CLIENT_MESSAGE_BYTES, 4096);
  // Exactly at the limit passes the size check (then fails the id length rule, not the size rule).
  const atLimit = parseClientMessage(pad(MAX_CLIENT_MESSAGE_BYTES));
  assert.equal(atLimit.ok, false);
  if (!atLimit.ok) assert.match(atLimit.error, /field "id"/);
  const over = parseClientMessage(pad(MAX_CLIENT_MESSAGE_BYTES + 1));
  assert.equal(over.ok, false);
  if (!over.ok) assert.equal(over.error, `message too large: 4097 bytes, at most 4096 allowed`);
  // Multi-byte characters count as bytes, not UTF-16 units: 1,400 'é' are 2,800 bytes + ...
  const wide = JSON.stringify({ type: 'ping', id: 'é'.repeat(2100) });
  const r = parseClientMessage(wide);
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error, /^message too large: 42\d\d bytes/);
  assert.equal(parseClientMessage(new Uint8Array(MAX_CLIENT_MESSAGE_BYTES + 1)).ok, false);
});
