import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { lastValueFrom, toArray } from 'rxjs';
import { createStdinSource } from './stdin-source';

function pcm(values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => b.writeInt16LE(v, 2 * i));
  return b;
}

test('stdin: raw s16le at --rate, split anywhere (odd byte counts too), completes at the end', async () => {
  const input = new PassThrough();
  const source = createStdinSource({ sampleRate: 16000, input });
  assert.deepEqual(source.info, { kind: 'stdin', description: 'stdin s16le mono 16000 Hz', sampleRate: 16000 });
  const statuses: string[] = [];
  source.status$.subscribe((s) => statuses.push(s.state));
  const done = lastValueFrom(source.chunks$.pipe(toArray()));
  const values = Array.from({ length: 1001 }, (_, i) => ((i * 37) % 65536) - 32768);
  const bytes = pcm(values);
  // Write in odd-sized pieces on separate ticks, as a pipe would deliver them.
  for (let at = 0; at < bytes.length; at += 333) {
    input.write(bytes.subarray(at, at + 333));
    await new Promise((r) => setImmediate(r));
  }
  input.end();
  const chunks = await done;
  assert.ok(chunks.length > 1);
  assert.ok(chunks.every((c) => c.sampleRate === 16000 && c.startSample === undefined));
  assert.deepEqual(
    chunks.flatMap((c) => Array.from(c.samples)),
    values.map((v) => v / 32768),
  );
  assert.deepEqual(statuses, ['starting', 'listening', 'ended']);
});

test('stdin: a read error is an error of the source with a clear message', async () => {
  const input = new PassThrough();
  const source = createStdinSource({ sampleRate: 8000, input });
  const done = lastValueFrom(source.chunks$);
  input.destroy(new Error('EIO: broken pipe'));
  await assert.rejects(done, /reading stdin failed: EIO: broken pipe/);
});

test('stdin: --rate must be a positive integer', () => {
  assert.throws(
    () => createStdinSource({ sampleRate: 0, input: new PassThrough() }),
    /--rate must be a positive integer/,
  );
  assert.throws(() => createStdinSource({ sampleRate: 16000.5, input: new PassThrough() }), /--rate/);
});
