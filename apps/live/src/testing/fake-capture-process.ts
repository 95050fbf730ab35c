// Test helper: a stand-in for capture-process.ts that speaks the same protocol without PortAudio.
// Its behaviour per launch comes from env FAKE_CAPTURE (JSON FakeCaptureScript); launches are counted
// in the file FAKE_CAPTURE_COUNTER, so a test can script "fail, then work".
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import {
  CAPTURE_CONFIG_ENV,
  type CaptureConfig,
  type CaptureDevice,
  type CaptureEvent,
} from '../sources/mic/capture-protocol';

/** What one launch of the fake capture process does. */
export interface FakeLaunch {
  /** Send open-failed with this message instead of opening. */
  failOpen?: string;
  /** Chunks of audio to write (each `chunkSamples` int16 samples of value launch * 1000 + chunk index). */
  chunks: number;
  chunkSamples: number;
  /** Chunk indices after which "AudioIO: portAudio status - input overflow" is printed on stdout. */
  overflowsAfter?: number[];
  /** After the chunks: 'stream-error' (send it and exit 2), 'exit' (exit 3 silently) or 'stay' (default). */
  then?: 'stream-error' | 'exit' | 'stay';
}

export interface FakeCaptureScript {
  devices: CaptureDevice[];
  /** Launch i (after the device listing) follows launches[min(i, last)]. */
  launches: FakeLaunch[];
}

const send = (event: CaptureEvent, then?: () => void) => process.send?.(event, undefined, {}, () => then?.());
const script = JSON.parse(process.env.FAKE_CAPTURE ?? '{}') as FakeCaptureScript;
const config = JSON.parse(process.env[CAPTURE_CONFIG_ENV] ?? '{}') as CaptureConfig;

if (config.mode === 'list') {
  send({ type: 'devices', devices: script.devices }, () => process.exit(0));
} else if (config.mode === 'capture') {
  const counterFile = process.env.FAKE_CAPTURE_COUNTER as string;
  let launch = 0;
  try {
    launch = Number(readFileSync(counterFile, 'utf8')) || 0;
  } catch {
    launch = 0;
  }
  writeFileSync(counterFile, String(launch + 1));
  const plan = script.launches[Math.min(launch, script.launches.length - 1)];
  // Like PortAudio: version banner on stdout first.
  process.stdout.write('PortAudio V19.7.0-devel (fake)\n');
  if (plan.failOpen) {
    send({ type: 'open-failed', message: plan.failOpen }, () => process.exit(1));
  } else {
    const out = new net.Socket({ fd: 3, readable: false, writable: true });
    send({ type: 'opened', deviceName: 'fake mic', sampleRate: config.sampleRate });
    process.on('disconnect', () => process.exit(0));
    let i = 0;
    const next = () => {
      if (i >= plan.chunks) {
        if (plan.then === 'stream-error')
          send({ type: 'stream-error', message: 'fake device unplugged' }, () => process.exit(2));
        else if (plan.then === 'exit') process.exit(3);
        return;
      }
      const b = Buffer.alloc(plan.chunkSamples * 2);
      for (let k = 0; k < plan.chunkSamples; k++) b.writeInt16LE(launch * 1000 + i, 2 * k);
      out.write(b);
      if (plan.overflowsAfter?.includes(i)) process.stdout.write('AudioIO: portAudio status - input overflow \n');
      i++;
      setTimeout(next, 5);
    };
    next();
    setInterval(() => undefined, 1000);
  }
}
