// Memory after slow clients come and go: starts a LiveServer on loopback, lets N clients connect that
// stop reading (raw sockets after the upgrade, paused, so this process holds none of their data), and
// broadcasts predictions until the server has disconnected each of them for letting its send buffer grow
// past disconnectAboveBytes. Then the clients are gone, and the heap / external / RSS figures printed
// after a forced GC must be back near where they started: the server keeps nothing of a closed client.
//
// The figures are taken after forced GCs: without them they stay near the peak until V8 next collects
// (an idle server allocates little, so that can take long), and that garbage is what looked like a leak.
// --no-gc shows it.
//
// Usage: npx nx run live:bench-slow-clients [-- --clients 4] [--mib 16] [--no-gc]
import v8 from 'node:v8';
import vm from 'node:vm';
import { DEFAULT_FEATURE_CONFIG } from '@digits/features';
import { PROTOCOL_VERSION, type PredictionMessage } from '@digits/protocol';
import { LiveServer } from '../src/server/live-server';
import { rawUpgrade } from '../src/testing/raw-ws';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

let gc: (() => void) | undefined;
if (!process.argv.includes('--no-gc')) {
  v8.setFlagsFromString('--expose-gc');
  gc = vm.runInNewContext('gc') as () => void;
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1).padStart(7);

async function settle(): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 50));
    gc?.();
  }
  return process.memoryUsage();
}

function print(label: string, m: NodeJS.MemoryUsage, clients: number): void {
  console.log(
    `${label.padEnd(28)} heapUsed ${mb(m.heapUsed)} MB  external+buffers ${mb(m.external)} MB  rss ${mb(m.rss)} MB  server clients ${clients}`,
  );
}

async function main(): Promise<void> {
  const n = arg('--clients', 4);
  const mib = arg('--mib', 16);
  if (!gc) console.log('(--no-gc: figures are without a forced GC)');
  const server = await LiveServer.start({
    port: 0,
    log: () => undefined,
    disconnectAboveBytes: mib * 2 ** 20,
    hello: () => ({
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      model: { name: 'bench' },
      featureConfig: { ...DEFAULT_FEATURE_CONFIG },
      source: { kind: 'wav', description: 'bench.wav', sampleRate: 16000 },
    }),
  });
  print('before', await settle(), server.stats().clients);
  const clients = await Promise.all(Array.from({ length: n }, () => rawUpgrade(server.port, { paused: true })));
  const prediction = (i: number): PredictionMessage => ({
    type: 'prediction',
    digit: i % 10,
    confidence: 0.9,
    probs: Array.from({ length: 10 }, (_, d) => (d === i % 10 ? 0.91 : 0.01)),
    startMs: i,
    endMs: i + 400,
    latencyMs: 220,
  });
  let peak = process.memoryUsage();
  for (let i = 0; server.stats().disconnectedSlow < n; i++) {
    server.broadcast(prediction(i));
    if (i % 2000 === 0) {
      const m = process.memoryUsage();
      if (m.rss > peak.rss) peak = m;
      await new Promise((r) => setImmediate(r));
    }
  }
  print(`${n} slow clients (peak)`, peak, n);
  // The server has closed them; their sockets still exist on this side (as a client that hangs would).
  print('disconnected by the server', await settle(), server.stats().clients);
  for (const c of clients) c.socket.destroy();
  const after = await settle();
  print(`after they are gone`, after, server.stats().clients);
  console.log(
    `bound: ${n} x ${mib} MiB = ${mb(n * mib * 2 ** 20).trim()} MB of send buffers at most while they are connected; 0 held after`,
  );
  await server.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
