import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { DEFAULT_FEATURE_CONFIG } from '@digits/features';
import {
  PROTOCOL_VERSION,
  type DigitsMessage,
  type HelloServerMessage,
  type PredictionMessage,
  type SpectrogramMessage,
} from '@digits/protocol';
import { connectClient, type RecordingClient } from '../testing/ws-client';
import { LiveServer, type LiveServerOptions } from './live-server';

const hello: HelloServerMessage = {
  type: 'hello',
  protocolVersion: PROTOCOL_VERSION,
  model: { name: 'test-model' },
  featureConfig: { ...DEFAULT_FEATURE_CONFIG },
  source: { kind: 'wav', description: 'test.wav', sampleRate: 16000 },
};

const prediction = (i: number): PredictionMessage => ({
  type: 'prediction',
  digit: i % 10,
  confidence: 0.9,
  probs: Array.from({ length: 10 }, (_, d) => (d === i % 10 ? 0.91 : 0.01)),
  startMs: i * 1000,
  endMs: i * 1000 + 400,
  latencyMs: 220,
});

/** A spectrogram message of `columns` x 64 values (about 330 bytes per column). */
const spectrogram = (i: number, columns = 8): SpectrogramMessage => ({
  type: 'spectrogram',
  tMs: i * 100,
  hopMs: 23.22,
  nMels: 64,
  columns: Array.from({ length: columns }, (_, c) =>
    Array.from({ length: 64 }, (_, m) => -80 + ((m + c + i) % 70) + 0.5),
  ),
});

async function withServer(
  options: Partial<LiveServerOptions>,
  body: (server: LiveServer, wsUrl: string) => Promise<void>,
): Promise<void> {
  const logs: string[] = [];
  const server = await LiveServer.start({ port: 0, hello: () => hello, log: (l) => logs.push(l), ...options });
  try {
    await body(server, `ws://127.0.0.1:${server.port}/ws`);
  } finally {
    await server.close();
  }
}

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

test('http: serves the dashboard with a strict CSP, 404 for unknown paths, 405 for POST', async () => {
  await withServer({}, async (server) => {
    const page = await get(server.port, '/');
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /<canvas id="spectrogram"/);
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'; script-src 'self'/);
    assert.equal((await get(server.port, '/dashboard.js')).status, 200);
    assert.equal((await get(server.port, '/dashboard.css')).headers['content-type'], 'text/css; charset=utf-8');
    assert.equal((await get(server.port, '/../package.json')).status, 404);
    assert.equal((await get(server.port, '/secret.txt')).status, 404);
    assert.equal((await get(server.port, '/', {}, 'POST')).status, 405);
    assert.match(server.urls[0], /^http:\/\/127\.0\.0\.1:\d+\/$/);
  });
});

test('a loopback server refuses requests whose Host is another name (DNS rebinding)', async () => {
  await withServer({}, async (server, wsUrl) => {
    assert.equal((await get(server.port, '/', { Host: 'evil.example:8080' })).status, 403);
    assert.equal((await get(server.port, '/', { Host: `localhost:${server.port}` })).status, 200);
    await assert.rejects(connectClient(wsUrl, { headers: { Host: 'evil.example' } }), /HTTP 403/);
  });
});

test('origin check: a foreign Origin is refused, the page own origin and no Origin are accepted', async () => {
  await withServer({ allowedOrigins: ['http://trusted.example'] }, async (server, wsUrl) => {
    await assert.rejects(connectClient(wsUrl, { origin: 'http://evil.example' }), /HTTP 403/);
    await assert.rejects(connectClient(wsUrl, { origin: `http://127.0.0.1:${server.port + 1}` }), /HTTP 403/);
    await assert.rejects(connectClient(wsUrl, { origin: 'null' }), /HTTP 403/);
    for (const origin of [`http://127.0.0.1:${server.port}`, 'http://trusted.example', undefined]) {
      const c = await connectClient(wsUrl, origin ? { origin } : {});
      assert.deepEqual(await c.next('hello'), hello);
      c.ws.close();
    }
    await assert.rejects(connectClient(`ws://127.0.0.1:${server.port}/other`), /HTTP 404/);
  });
});

test('token: required beyond loopback; accepted in the URL or the hello; a wrong one is refused', async () => {
  await assert.rejects(
    LiveServer.start({ host: '0.0.0.0', port: 0, hello: () => hello }),
    /a token is required to listen on 0\.0\.0\.0/,
  );
  await withServer({ token: 's3cret-token', authTimeoutMs: 300 }, async (server, wsUrl) => {
    assert.match(server.urls[0], /\?token=s3cret-token$/);
    // In the URL: welcome at once.
    const byUrl = await connectClient(`${wsUrl}?token=s3cret-token`);
    assert.equal((await byUrl.next('hello')).model.name, 'test-model');
    // Wrong in the URL: refused before the upgrade.
    await assert.rejects(connectClient(`${wsUrl}?token=wrong`), /HTTP 401/);
    // Without: nothing until a hello with the token.
    const byHello = await connectClient(wsUrl);
    byHello.send({ type: 'ping', id: 1 });
    byHello.send({ type: 'subscribe', want: ['prediction'] });
    assert.equal((await byHello.next('error')).code, 'unauthorized');
    // Nor may it enrol a voice or switch the model.
    byHello.send({ type: 'enrol-start', name: 'intruder' });
    assert.match((await byHello.next('error')).message, /say hello \(with the token\) first/);
    server.broadcast(prediction(1));
    await tick();
    assert.equal(
      byHello.messages.some((m) => m.type === 'prediction' || m.type === 'pong' || m.type === 'hello'),
      false,
    );
    byHello.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, token: 's3cret-token' });
    assert.equal((await byHello.next('hello')).type, 'hello');
    // A wrong token in a hello: error, then closed with 4401.
    const wrong = await connectClient(wsUrl);
    wrong.send({ type: 'hello', token: 'nope' });
    assert.equal((await wrong.next('error')).code, 'unauthorized');
    assert.equal(await wrong.closed, 4401);
    // Silent: closed after authTimeoutMs.
    const silent = await connectClient(wsUrl);
    assert.equal(await silent.closed, 4401);
    byUrl.ws.close();
    byHello.ws.close();
  });
});

test('invalid client messages get an error reply and the connection stays usable', async () => {
  await withServer({}, async (_server, wsUrl) => {
    const c = await connectClient(wsUrl);
    await c.next('hello');
    const bad: [unknown, RegExp, string][] = [
      ['not json', /^not JSON/, 'bad-message'],
      [{ type: 'prediction', digit: 3 }, /unknown message type "prediction"/, 'bad-message'],
      [{ type: 'subscribe', want: ['everything'] }, /field "want\[0\]"/, 'bad-message'],
      [{ type: 'ping', extra: true }, /Unrecognized key/, 'bad-message'],
      [
        { type: 'hello', protocolVersion: 99 },
        new RegExp(`protocol version ${PROTOCOL_VERSION}, the client 99`),
        'protocol-version',
      ],
      // A server without enrolment answers its requests instead of ignoring them.
      [{ type: 'enrol-cancel' }, /this server does not enrol voices/, 'unsupported'],
      [Buffer.from([1, 2, 3]), /binary messages are not accepted/, 'bad-message'],
    ];
    for (const [message, re, code] of bad) {
      c.send(message);
      const e = await c.next('error');
      assert.match(e.message, re);
      assert.equal(e.code, code);
    }
    c.send({ type: 'ping', id: 'still-here' });
    assert.deepEqual(await c.next('pong'), { type: 'pong', id: 'still-here' });
    c.ws.close();
  });
});

test('message size cap: above 4 KiB an error reply, above maxFrameBytes the connection is closed (1009)', async () => {
  await withServer({ maxFrameBytes: 16384 }, async (_server, wsUrl) => {
    const c = await connectClient(wsUrl);
    await c.next('hello');
    c.send(JSON.stringify({ type: 'ping', id: 'x'.repeat(5000) }));
    const e = await c.next('error');
    assert.equal(e.code, 'too-large');
    assert.match(e.message, /message too large: 50\d\d bytes, at most 4096 allowed/);
    c.send({ type: 'ping', id: 1 });
    await c.next('pong');
    c.send('y'.repeat(20000));
    assert.equal(await c.closed, 1009);
  });
});

test('subscribe: a client that wants only predictions gets no levels; hello, status and errors always', async () => {
  await withServer({}, async (server, wsUrl) => {
    const c = await connectClient(wsUrl);
    await c.next('hello');
    c.send({ type: 'subscribe', want: ['prediction'] });
    await tick();
    server.broadcast({ type: 'level', rmsDbfs: -40, tMs: 0 });
    server.broadcast(spectrogram(0));
    server.broadcast(prediction(0));
    server.broadcast({ type: 'status', state: 'listening' });
    await c.next('prediction');
    await c.next('status');
    assert.deepEqual(
      c.messages.map((m) => m.type),
      ['hello', 'status', 'prediction', 'status'],
    );
    c.ws.close();
  });
});

test('a new client gets hello, the current status and the recent predictions', async () => {
  await withServer({ historySize: 3 }, async (server, wsUrl) => {
    server.broadcast({ type: 'status', state: 'reopening', detail: 'device lost', overflows: 2 });
    for (let i = 0; i < 5; i++) server.broadcast(prediction(i));
    const c = await connectClient(wsUrl);
    for (let i = 2; i < 5; i++) assert.equal((await c.next('prediction')).startMs, i * 1000);
    assert.deepEqual(c.messages.slice(0, 2), [
      hello,
      { type: 'status', state: 'reopening', detail: 'device lost', overflows: 2 },
    ]);
    assert.throws(
      () => server.broadcast({ ...prediction(0), probs: [1] }),
      /field "probs"/,
      'invalid messages are never sent',
    );
    c.ws.close();
  });
});

test('a new client gets the recent digit strings too, at most historySize of them, in the order sent', async () => {
  await withServer({ historySize: 2 }, async (server, wsUrl) => {
    const digits = (text: string, i: number): DigitsMessage => ({
      type: 'digits',
      text,
      grouped: text,
      digits: [...text].map((d, k) => ({
        digit: Number(d),
        confidence: 0.9,
        startMs: i * 1000 + k * 100,
        endMs: i * 1000 + k * 100 + 80,
      })),
      startMs: i * 1000,
      endMs: i * 1000 + text.length * 100,
      latencyMs: 500,
      reason: 'pause',
    });
    server.broadcast(digits('5', 0));
    server.broadcast(prediction(1));
    server.broadcast(digits('12', 2));
    server.broadcast(prediction(3));
    server.broadcast(digits('345', 4));
    const c = await connectClient(wsUrl);
    await c.next('prediction');
    await c.next('prediction');
    await c.next('digits');
    await c.next('digits');
    const replayed = c.messages
      .slice(2)
      .map((m) => (m.type === 'digits' ? `d${m.text}` : `p${(m as PredictionMessage).startMs}`));
    assert.deepEqual(replayed, ['p1000', 'd12', 'p3000', 'd345'], 'the oldest string went, the order kept');
    c.ws.close();
  });
});

test('a slow client loses level and spectrogram frames but no prediction, and does not slow a fast client', async () => {
  await withServer({ dropAboveBytes: 64 * 1024 }, async (server, wsUrl) => {
    const slow = await connectClient(wsUrl);
    const fast = await connectClient(wsUrl);
    await slow.next('hello');
    await fast.next('hello');
    // The slow client stops reading: its socket (and then the server's send buffer) fills up.
    slow.ws.pause();
    const rounds = 400;
    let predictions = 0;
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < 5; k++) server.broadcast(spectrogram(round * 5 + k, 20));
      server.broadcast({ type: 'level', rmsDbfs: -30, tMs: round * 50 });
      if (round % 20 === 0) server.broadcast(prediction(predictions++));
      await new Promise((r) => setImmediate(r));
    }
    const stats = server.stats();
    assert.ok((stats.dropped.spectrogram ?? 0) > 0, `dropped ${JSON.stringify(stats.dropped)}`);
    assert.equal(stats.dropped.prediction, undefined);
    // The fast client got everything, in order.
    await fast.next('prediction', 5000);
    while (fast.messages.filter((m) => m.type === 'prediction').length < predictions) await tick(10);
    while (fast.messages.filter((m) => m.type === 'spectrogram').length < rounds * 5) await tick(10);
    assert.equal(fast.messages.filter((m) => m.type === 'level').length, rounds);
    // The slow client reads again: every prediction arrives, in order; frames were dropped.
    slow.ws.resume();
    const deadline = performance.now() + 10000;
    while (slow.messages.filter((m) => m.type === 'prediction').length < predictions && performance.now() < deadline)
      await tick(10);
    const slowPredictions = slow.messages.filter((m): m is PredictionMessage => m.type === 'prediction');
    assert.deepEqual(
      slowPredictions.map((p) => p.startMs),
      Array.from({ length: predictions }, (_, i) => i * 1000),
    );
    const slowFrames = slow.messages.filter((m) => m.type === 'spectrogram').length;
    assert.ok(slowFrames < rounds * 5, `slow client got ${slowFrames} of ${rounds * 5} spectrogram frames`);
    assert.equal(slowFrames + (stats.dropped.spectrogram ?? 0), rounds * 5);
    slow.ws.close();
    fast.ws.close();
  });
});

test('100 clients all receive every prediction, in order', async () => {
  await withServer({ maxClients: 100 }, async (server, wsUrl) => {
    const clients: RecordingClient[] = await Promise.all(Array.from({ length: 100 }, () => connectClient(wsUrl)));
    await Promise.all(clients.map((c) => c.next('hello')));
    for (let i = 0; i < 30; i++) {
      server.broadcast(prediction(i));
      server.broadcast({ type: 'level', rmsDbfs: -50, tMs: i * 50 });
      if (i % 5 === 0) await new Promise((r) => setImmediate(r));
    }
    for (const c of clients) {
      for (let i = 0; i < 30; i++) assert.equal((await c.next('prediction')).startMs, i * 1000);
    }
    assert.equal(server.stats().clients, 100);
    assert.equal(server.stats().sent.prediction, 3000);
    for (const c of clients) c.ws.close();
  });
});

/** Sends `raw` bytes on a fresh TCP connection and resolves with everything the server wrote before it
 * closed (or '' when it only dropped the connection); bounded by a socket idle timeout. */
function rawRequest(port: number, raw: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(raw));
    let text = '';
    socket.setEncoding('utf8');
    socket.setTimeout(3000, () => socket.destroy());
    socket.on('data', (d) => (text += d));
    socket.on('close', () => resolve(text));
    socket.on('error', () => undefined);
  });
}

test('request targets that new URL() rejects get a 400 and the server keeps serving the dashboard', async () => {
  await withServer({}, async (server) => {
    const host = `127.0.0.1:${server.port}`;
    const upgrade =
      'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
    for (const target of ['//[', 'http://[', '//[::1']) {
      for (const extra of ['', upgrade]) {
        const reply = await rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\n${extra}\r\n`);
        assert.match(
          reply,
          /^HTTP\/1\.1 400 /,
          `GET ${target}${extra ? ' (upgrade)' : ''} got ${JSON.stringify(reply.slice(0, 40))}`,
        );
      }
    }
    const page = await get(server.port, '/');
    assert.equal(page.status, 200);
    assert.match(page.body, /<canvas id="spectrogram"/);
  });
});

test('malformed requests get a 400; 403 and 405 carry the security headers; the 403 does not echo Host', async () => {
  await withServer({}, async (server) => {
    assert.match(
      await rawRequest(server.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n'),
      /^HTTP\/1\.1 400 /,
    );
    assert.match(await rawRequest(server.port, 'NOT-HTTP\r\n\r\n'), /^HTTP\/1\.1 400 /);
    const forbidden = await get(server.port, '/', { Host: 'evil<script>.example' });
    assert.equal(forbidden.status, 403);
    assert.doesNotMatch(forbidden.body, /evil/);
    const notAllowed = await get(server.port, '/', {}, 'POST');
    assert.equal(notAllowed.status, 405);
    for (const res of [forbidden, notAllowed]) {
      assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
    }
    assert.equal((await get(server.port, '/')).status, 200);
  });
});

test('a token shorter than 16 characters is refused on a non-loopback host', async () => {
  await assert.rejects(
    LiveServer.start({ host: '0.0.0.0', port: 0, token: 'x', hello: () => hello }),
    /token is 1 characters; at least 16/,
  );
});

test('connections above maxClients are refused with a 503; a freed slot can be used again', async () => {
  await withServer({ maxClients: 2 }, async (server, wsUrl) => {
    const a = await connectClient(wsUrl);
    const b = await connectClient(wsUrl);
    await Promise.all([a.next('hello'), b.next('hello')]);
    await assert.rejects(connectClient(wsUrl), /503/);
    assert.equal(server.stats().clients, 2);
    a.ws.close();
    while (server.stats().clients > 1) await tick(10);
    const c = await connectClient(wsUrl);
    await c.next('hello');
    b.ws.close();
    c.ws.close();
  });
});

test('a client that sends above its message rate is closed with 1008; another client is unaffected', async () => {
  await withServer({ messagesPerSecond: 1, messageBurst: 5 }, async (_server, wsUrl) => {
    const flood = await connectClient(wsUrl);
    const calm = await connectClient(wsUrl);
    await Promise.all([flood.next('hello'), calm.next('hello')]);
    const closed = new Promise<number>((resolve) => flood.ws.once('close', (code) => resolve(code)));
    for (let i = 0; i < 50; i++) flood.ws.send(JSON.stringify({ type: 'ping', id: i }));
    assert.equal(await closed, 1008);
    calm.ws.send(JSON.stringify({ type: 'ping', id: 7 }));
    assert.equal((await calm.next('pong')).id, 7);
    calm.ws.close();
  });
});

test('access is checked before capacity: a full server still answers 403 for a bad Host or Origin and 401 for a wrong token', async () => {
  const token = 'a-token-of-twenty-chars';
  await withServer({ maxClients: 1, token }, async (server, wsUrl) => {
    const only = await connectClient(`${wsUrl}?token=${token}`);
    await only.next('hello');
    assert.equal(server.stats().clients, 1);
    await assert.rejects(connectClient(`${wsUrl}?token=${token}`), /503/, 'the server is full');
    await assert.rejects(
      connectClient(`${wsUrl}?token=${token}`, { headers: { Origin: 'http://evil.example' } }),
      /403/,
    );
    await assert.rejects(connectClient(`${wsUrl}?token=${token}`, { headers: { Host: 'evil.example' } }), /403/);
    await assert.rejects(connectClient(`${wsUrl}?token=wrong`), /401/);
    assert.equal(server.stats().clients, 1);
    only.ws.close();
  });
});
