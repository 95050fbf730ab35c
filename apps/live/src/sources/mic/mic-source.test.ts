import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AudioChunk } from '@digits/stream';
import type { SourceStatus } from '../audio-source';
import type { FakeCaptureScript } from '../../testing/fake-capture-process';
import { ManualTimer } from '../../testing/manual-timer';
import { listCaptureDevices, openMicSource, type MicSourceOptions } from './mic-source';

const FAKE = path.join(__dirname, '../../testing/fake-capture-process.ts');
const dir = mkdtempSync(path.join(os.tmpdir(), 'live-mic-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const devices = [
  { id: 0, name: 'fake mic', maxInputChannels: 1, defaultSampleRate: 8000, hostAPIName: 'ALSA', isDefaultInput: true },
  {
    id: 1,
    name: 'speakers',
    maxInputChannels: 0,
    defaultSampleRate: 48000,
    hostAPIName: 'ALSA',
    isDefaultInput: false,
  },
];

let run = 0;
function fakeRunner(script: FakeCaptureScript, extra: Partial<MicSourceOptions> = {}): MicSourceOptions {
  const logs: string[] = [];
  return {
    captureModule: FAKE,
    env: {
      ...process.env,
      FAKE_CAPTURE: JSON.stringify(script),
      FAKE_CAPTURE_COUNTER: path.join(dir, `counter-${run++}`),
    },
    log: (line) => logs.push(line),
    reopenDelaysMs: [50],
    overflowStatusIntervalMs: 0,
    // A virtual clock nobody advances: no test stalls unless it says so (a busy machine does not count).
    stallTimer: new ManualTimer().timer,
    ...extra,
  };
}

/** Collects chunks until `until` says stop (then unsubscribes), with the statuses seen meanwhile. */
async function capture(options: MicSourceOptions, until: (chunks: AudioChunk[]) => boolean) {
  const source = await openMicSource(options);
  const statuses: SourceStatus[] = [];
  const chunks: AudioChunk[] = [];
  const statusSub = source.status$.subscribe((s) => statuses.push(s));
  await new Promise<void>((resolve, reject) => {
    const sub = source.chunks$.subscribe({
      next: (c) => {
        chunks.push(c);
        if (until(chunks)) {
          sub.unsubscribe();
          resolve();
        }
      },
      error: reject,
    });
  });
  statusSub.unsubscribe();
  return { source, statuses, chunks };
}

/** The stream cut back into the fake's chunks of `size` samples: under load the pipe may join or split
 * them, so tests look at samples, not at how reads happened to fall. */
function blocks(chunks: AudioChunk[], size: number): { startSample: number; value: number }[] {
  const out: { startSample: number; value: number }[] = [];
  let seen = 0;
  for (const c of chunks) {
    for (let i = 0; i < c.samples.length; i++, seen++) {
      if (seen % size === 0)
        out.push({ startSample: (c.startSample as number) + i, value: Math.round(c.samples[i] * 32768) });
    }
  }
  return out;
}
const sampleCount = (chunks: AudioChunk[]) => chunks.reduce((n, c) => n + c.samples.length, 0);

test('listCaptureDevices asks the capture process and returns its devices', async () => {
  assert.deepEqual(await listCaptureDevices(fakeRunner({ devices, launches: [] })), devices);
});

test('the mic source delivers the capture process PCM with its rate and position, and counts overflows from its stdout', async () => {
  const options = fakeRunner({ devices, launches: [{ chunks: 6, chunkSamples: 400, overflowsAfter: [1, 3] }] });
  const { source, statuses, chunks } = await capture(options, (c) => c.length === 6);
  assert.deepEqual(source.info, { kind: 'mic', description: 'fake mic (ALSA, device 0)', sampleRate: 8000 });
  assert.deepEqual(
    chunks.map((c) => [c.sampleRate, c.startSample, c.samples.length, Math.round(c.samples[0] * 32768)]),
    [
      [8000, 0, 400, 0],
      [8000, 400, 400, 1],
      [8000, 800, 400, 2],
      [8000, 1200, 400, 3],
      [8000, 1600, 400, 4],
      [8000, 2000, 400, 5],
    ],
  );
  assert.deepEqual(statuses[0], { state: 'starting' });
  assert.equal(statuses[2].state, 'listening');
  // Both overflows were counted and shown (the count reaches the status).
  await new Promise((r) => setTimeout(r, 20));
  const last = statuses[statuses.length - 1];
  assert.equal(last.overflows, 2, JSON.stringify(statuses));
  assert.match(last.detail ?? '', /input overflow/);
});

test('a capture error mid-stream reopens the device: status reopening then listening, stream time jumps the gap', async () => {
  const options = fakeRunner({
    devices,
    launches: [
      { chunks: 3, chunkSamples: 80, then: 'stream-error' },
      { chunks: 2, chunkSamples: 80, then: 'exit' },
      { chunks: 3, chunkSamples: 80 },
    ],
  });
  const logs: string[] = [];
  options.log = (l) => logs.push(l);
  const { statuses, chunks: read } = await capture(options, (c) => sampleCount(c) >= 8 * 80);
  const chunks = blocks(read, 80);
  const launches = chunks.map((c) => Math.floor(c.value / 1000));
  assert.deepEqual(launches, [0, 0, 0, 1, 1, 2, 2, 2]);
  const states = statuses.map((s) => s.state);
  assert.deepEqual(
    states.filter((s, i) => s !== states[i - 1]),
    ['starting', 'listening', 'reopening', 'listening', 'reopening', 'listening'],
  );
  assert.match(statuses.find((s) => s.state === 'reopening')?.detail ?? '', /capture error: fake device unplugged/);
  assert.match(logs.join('\n'), /reopening "fake mic" \(device 0\) in 50 ms/);
  assert.match(logs.join('\n'), /capture process exited \(3\)/);
  // Within a launch chunks are contiguous; across a reopen the clock jumps by at least the 50 ms wait.
  for (let i = 1; i < chunks.length; i++) {
    const step = (chunks[i].startSample as number) - (chunks[i - 1].startSample as number);
    if (launches[i] === launches[i - 1]) assert.equal(step, 80);
    else assert.ok(step >= 80 + 400, `gap of ${step} samples at a reopen`);
  }
});

test('failing to open the device at first is an error naming the device, the rate and the default rate', async () => {
  const options = fakeRunner(
    { devices, launches: [{ failOpen: 'Invalid sample rate', chunks: 0, chunkSamples: 0 }] },
    { sampleRate: 12345 },
  );
  await assert.rejects(
    capture(options, () => false),
    /cannot open "fake mic" \(device 0\) at 12345 Hz: Invalid sample rate; its default rate is 8000 Hz \(try --rate 8000\)/,
  );
});

test('no input device: a clear error that lists the devices and suggests --source wav:', async () => {
  await assert.rejects(
    openMicSource(fakeRunner({ devices: [devices[1]], launches: [] })),
    /no microphone[^]*speakers[^]*--source wav:/,
  );
});

test('a stream that stalls (no audio for stallTimeoutMs) is reopened too', async () => {
  // The stall timeout runs on a virtual clock: it passes only when the test says so, never because a
  // loaded machine paused between the fake's chunks.
  const clock = new ManualTimer();
  const options = fakeRunner(
    {
      devices,
      launches: [
        { chunks: 2, chunkSamples: 80, then: 'stay' },
        { chunks: 2, chunkSamples: 80 },
      ],
    },
    { stallTimeoutMs: 1000, stallTimer: clock.timer },
  );
  const source = await openMicSource(options);
  const statuses: SourceStatus[] = [];
  const chunks: AudioChunk[] = [];
  const statusSub = source.status$.subscribe((s) => statuses.push(s));
  let failed: unknown;
  const sub = source.chunks$.subscribe({ next: (c) => chunks.push(c), error: (err) => (failed = err) });
  const waitFor = async (what: string, done: () => boolean) => {
    for (let i = 0; i < 1000 && !done() && failed === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    if (failed !== undefined) throw failed;
    assert.ok(done(), `timed out waiting for ${what}`);
  };
  try {
    // The first launch delivers its two chunks and then stays silent.
    await waitFor('the first launch audio', () => sampleCount(chunks) >= 2 * 80);
    clock.advance(999);
    assert.equal(
      statuses.filter((s) => s.state === 'reopening').length,
      0,
      'no stall before stallTimeoutMs of silence',
    );
    clock.advance(1);
    assert.match(
      statuses.find((s) => s.state === 'reopening')?.detail ?? '',
      /no audio from "fake mic" \(device 0\) for 1000 ms/,
    );
    await waitFor('the second launch audio', () => sampleCount(chunks) >= 4 * 80);
    assert.deepEqual(
      blocks(chunks, 80).map((c) => Math.floor(c.value / 1000)),
      [0, 0, 1, 1],
    );
    assert.equal(
      statuses.filter((s) => s.state === 'reopening').length,
      1,
      'audio flowing again re-armed the timer: no second stall',
    );
    assert.equal(clock.armed, 1, 'one stall timer is armed while listening');
  } finally {
    sub.unsubscribe();
    statusSub.unsubscribe();
  }
  assert.equal(clock.armed, 0, 'unsubscribing cancels the stall timer');
});
