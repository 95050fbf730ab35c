// The PortAudio capture process: opens one input stream with naudiodon2 and writes its PCM to fd 3.
// Run by mic-source.ts (never imported by the app itself). Everything naudiodon and PortAudio print
// (version banner, option dumps, "input overflow" status lines on stdout; ALSA's complaints on stderr)
// lands in pipes the app reads, not in the app's own stdout.
import net from 'node:net';
import { AudioIO, getDevices, getHostAPIs, SampleFormat16Bit, type IoStreamRead } from 'naudiodon2';
import { CAPTURE_CONFIG_ENV, type CaptureConfig, type CaptureDevice, type CaptureEvent } from './capture-protocol';

function send(event: CaptureEvent, then?: () => void): void {
  if (process.send) process.send(event, undefined, {}, () => then?.());
  else then?.();
}

function listDevices(): CaptureDevice[] {
  const apis = getHostAPIs();
  const defaultInput = apis.HostAPIs.find((api) => api.id === apis.defaultHostAPI)?.defaultInput;
  return getDevices().map((d) => ({
    id: d.id,
    name: d.name,
    maxInputChannels: d.maxInputChannels,
    defaultSampleRate: d.defaultSampleRate,
    hostAPIName: d.hostAPIName,
    isDefaultInput: d.id === defaultInput,
  }));
}

function capture(config: Extract<CaptureConfig, { mode: 'capture' }>): void {
  const out = new net.Socket({ fd: 3, readable: false, writable: true });
  // Listed before opening: PortAudio is initialised and terminated around the listing.
  const name = listDevices().find((d) => d.id === config.deviceId)?.name ?? `device ${config.deviceId}`;
  let io: IoStreamRead;
  try {
    io = AudioIO({
      inOptions: {
        deviceId: config.deviceId,
        sampleRate: config.sampleRate,
        channelCount: 1,
        sampleFormat: SampleFormat16Bit,
        highwaterMark: config.highwaterMark,
        maxQueue: config.maxQueue,
        // One overflow would otherwise destroy the stream; with false, naudiodon prints it and goes on.
        closeOnError: false,
      },
    });
  } catch (err) {
    send({ type: 'open-failed', message: (err as Error).message }, () => process.exit(1));
    return;
  }
  const fail = (message: string) => send({ type: 'stream-error', message }, () => process.exit(2));
  io.on('data', (chunk: Buffer) => out.write(chunk));
  io.on('error', (err: Error) => fail(err.message));
  io.on('end', () => fail('the capture stream ended'));
  // The app went away (or wants us gone): stop PortAudio without waiting for queued audio.
  process.on('disconnect', () => io.abort(() => process.exit(0)));
  try {
    io.start();
  } catch (err) {
    send({ type: 'open-failed', message: (err as Error).message }, () => process.exit(1));
    return;
  }
  send({ type: 'opened', deviceName: name, sampleRate: config.sampleRate });
}

const config = JSON.parse(process.env[CAPTURE_CONFIG_ENV] ?? '{}') as CaptureConfig;
if (config.mode === 'list') {
  try {
    send({ type: 'devices', devices: listDevices() }, () => process.exit(0));
  } catch (err) {
    send({ type: 'open-failed', message: (err as Error).message }, () => process.exit(1));
  }
} else if (config.mode === 'capture') {
  capture(config);
} else {
  process.stderr.write(`capture-process: set ${CAPTURE_CONFIG_ENV} to a capture config\n`);
  process.exit(2);
}
