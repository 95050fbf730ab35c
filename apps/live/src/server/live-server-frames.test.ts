import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { DEFAULT_FEATURE_CONFIG } from '@digits/features';
import { PROTOCOL_VERSION, type HelloServerMessage } from '@digits/protocol';
import { connectClient } from '../testing/ws-client';
import { closeCode, frame, rawUpgrade } from '../testing/raw-ws';
import { LiveServer } from './live-server';

// Malformed WebSocket frames, sent on a raw socket after a valid upgrade: each gets the close code RFC
// 6455 asks for (or at least the connection closed), and the server goes on serving the dashboard and
// normal clients.

const hello: HelloServerMessage = {
  type: 'hello',
  protocolVersion: PROTOCOL_VERSION,
  model: { name: 'test-model' },
  featureConfig: { ...DEFAULT_FEATURE_CONFIG },
  source: { kind: 'wav', description: 'test.wav', sampleRate: 16000 },
};

const MAX_FRAME_BYTES = 65536;
const TEXT = 0x1;
const CONTINUATION = 0x0;
const CLOSE = 0x8;
const PING = 0x9;

interface Case {
  name: string;
  bytes: () => Buffer;
  /** Expected close code; undefined when the server may just drop the connection. */
  code?: number;
  /** End our side after sending (for frames that can only be found incomplete at the end). */
  end?: boolean;
}

const cases: Case[] = [
  { name: 'reserved opcode 0x3', bytes: () => frame(0x3, 'x'), code: 1002 },
  { name: 'reserved control opcode 0xB', bytes: () => frame(0xb, ''), code: 1002 },
  {
    name: 'unmasked client frame',
    bytes: () => frame(TEXT, JSON.stringify({ type: 'ping', id: 1 }), { mask: false }),
    code: 1002,
  },
  {
    name: 'RSV1 set without an extension',
    bytes: () => {
      const f = frame(TEXT, '{}');
      f[0] |= 0x40;
      return f;
    },
    code: 1002,
  },
  {
    name: 'length above maxFrameBytes (64-bit length field)',
    bytes: () => frame(TEXT, 'x', { length: 2 ** 40 }),
    code: 1009,
  },
  {
    name: 'length with the top bit set (2^63)',
    bytes: () => {
      const f = frame(TEXT, '', { length: 2 ** 20 });
      f.writeBigUInt64BE(2n ** 63n, 2);
      return f;
    },
    code: 1009,
  },
  {
    name: 'fragments adding up above maxFrameBytes',
    bytes: () =>
      Buffer.concat([
        frame(TEXT, Buffer.alloc(40000, 0x20), { fin: false }),
        frame(CONTINUATION, Buffer.alloc(40000, 0x20)),
      ]),
    code: 1009,
  },
  { name: 'invalid UTF-8 text', bytes: () => frame(TEXT, Buffer.from([0x7b, 0xc3, 0x28, 0x7d])), code: 1007 },
  {
    name: 'invalid UTF-8 split across fragments',
    bytes: () =>
      Buffer.concat([
        frame(TEXT, Buffer.from([0x22, 0xe2, 0x82]), { fin: false }),
        frame(CONTINUATION, Buffer.from([0x22])),
      ]),
    code: 1007,
  },
  { name: 'fragmented control frame (ping without FIN)', bytes: () => frame(PING, 'p', { fin: false }), code: 1002 },
  { name: 'control frame payload above 125 bytes', bytes: () => frame(PING, Buffer.alloc(200)), code: 1002 },
  { name: 'continuation without a first fragment', bytes: () => frame(CONTINUATION, 'x'), code: 1002 },
  {
    name: 'new message inside a fragmented one',
    bytes: () => Buffer.concat([frame(TEXT, '{', { fin: false }), frame(TEXT, '}')]),
    code: 1002,
  },
  {
    name: 'close frame with an invalid code (999)',
    bytes: () => {
      const p = Buffer.alloc(2);
      p.writeUInt16BE(999);
      return frame(CLOSE, p);
    },
    code: 1002,
  },
  { name: 'close frame with a 1-byte payload', bytes: () => frame(CLOSE, Buffer.from([3])), code: 1002 },
  {
    name: 'truncated frame, then the client ends',
    bytes: () => frame(TEXT, 'x'.repeat(100)).subarray(0, 30),
    end: true,
  },
  { name: 'truncated header, then the client ends', bytes: () => Buffer.from([0x81]), end: true },
];

function getPage(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

test('malformed WebSocket frames close that connection only; the dashboard and a normal client still work', async () => {
  const logs: string[] = [];
  const server = await LiveServer.start({
    port: 0,
    hello: () => hello,
    log: (l) => logs.push(l),
    maxFrameBytes: MAX_FRAME_BYTES,
  });
  const tick = (ms = 10) => new Promise((r) => setTimeout(r, ms));
  try {
    for (const c of cases) {
      const raw = await rawUpgrade(server.port);
      raw.socket.write(c.bytes());
      if (c.end) raw.socket.end();
      const closed = await Promise.race([raw.closed.then(() => true), tick(5000).then(() => false)]);
      raw.socket.destroy();
      assert.ok(closed, `${c.name}: the server closed the connection`);
      if (c.code !== undefined) assert.equal(closeCode(raw.received), c.code, `${c.name}: close code`);
      for (let i = 0; i < 200 && server.stats().clients > 0; i++) await tick();
      assert.equal(server.stats().clients, 0, `${c.name}: the connection's slot is free again`);
    }
    const page = await getPage(server.port);
    assert.equal(page.status, 200);
    assert.match(page.body, /<canvas id="spectrogram"/);
    const client = await connectClient(`ws://127.0.0.1:${server.port}/ws`);
    assert.equal((await client.next('hello')).model.name, 'test-model');
    client.send({ type: 'ping', id: 42 });
    assert.equal((await client.next('pong')).id, 42);
    server.broadcast({ type: 'level', rmsDbfs: -20, tMs: 0 });
    assert.equal((await client.next('level')).rmsDbfs, -20);
    client.ws.close();
  } finally {
    await server.close();
  }
});
