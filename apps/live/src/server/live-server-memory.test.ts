import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { WebSocket } from 'ws';
import { DEFAULT_FEATURE_CONFIG } from '@digits/features';
import { PROTOCOL_VERSION, type HelloServerMessage, type PredictionMessage } from '@digits/protocol';
import { rawUpgrade, type RawWebSocket } from '../testing/raw-ws';
import { LiveServer } from './live-server';

// A forced GC without starting node with --expose-gc (node:test runs this file as it is).
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

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

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

/** Heap in use after full collections (WeakRefs are only cleared between jobs, hence the waits). */
async function collectedHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await tick();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

test('slow clients the server disconnects leave nothing behind: no slot, no socket, no send buffer', async () => {
  const limit = 4 * 2 ** 20;
  const logs: string[] = [];
  const server = await LiveServer.start({
    port: 0,
    hello: () => hello,
    log: (l) => logs.push(l),
    disconnectAboveBytes: limit,
  });
  let slow: RawWebSocket[] = [];
  try {
    const before = await collectedHeap();
    // Clients that complete the upgrade and never read again (this process buffers nothing for them).
    slow = await Promise.all([0, 1, 2].map(() => rawUpgrade(server.port, { paused: true })));
    while (server.stats().clients < slow.length) await tick(5);
    // The server's side of each connection, held only weakly from here on.
    const serverSide = [...server['wss'].clients].map((ws: WebSocket) => new WeakRef(ws));
    assert.equal(serverSide.length, slow.length);
    let peakBuffered = 0;
    for (let i = 0; server.stats().disconnectedSlow < slow.length; i++) {
      server.broadcast(prediction(i));
      if (i % 1000 === 0) {
        peakBuffered = Math.max(peakBuffered, ...[...server['wss'].clients].map((ws: WebSocket) => ws.bufferedAmount));
        await new Promise((r) => setImmediate(r));
      }
      assert.ok(i < 1_000_000, `still ${server.stats().clients} clients after ${i} predictions`);
    }
    assert.ok(peakBuffered > limit / 2, `the clients' send buffers grew (peak ${peakBuffered} bytes)`);
    assert.equal(server.stats().clients, 0, 'no slot is left to a disconnected client');
    // The clients' sockets stay open (they read nothing, so they do not even see the close): the server
    // must let go of its side regardless.
    for (let i = 0; i < 100 && server['wss'].clients.size > 0; i++) await tick(10);
    assert.equal(server['wss'].clients.size, 0, 'ws tracks none of them');
    const after = await collectedHeap();
    assert.deepEqual(
      serverSide.map((ref) => ref.deref() === undefined),
      [true, true, true],
      'their server-side sockets were collected',
    );
    // Each held up to `limit` bytes of queued predictions; what is left is noise.
    assert.ok(
      after - before < limit / 2,
      `heap ${(before / 2 ** 20).toFixed(1)} MB before, ${(after / 2 ** 20).toFixed(1)} MB after`,
    );
    assert.equal(logs.filter((l) => /stopped reading/.test(l)).length, slow.length);
  } finally {
    for (const c of slow) c.socket.destroy();
    await server.close();
  }
});
