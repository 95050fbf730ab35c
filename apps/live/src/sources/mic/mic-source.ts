import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { Observable } from 'rxjs';
import type { AudioChunk } from '@digits/stream';
import type { AudioSource } from '../audio-source';
import { S16leDecoder } from '../s16le-decoder';
import { SourceStatusSubject } from '../source-status';
import {
  CAPTURE_CONFIG_ENV,
  countInputOverflows,
  type CaptureConfig,
  type CaptureDevice,
  type CaptureEvent,
} from './capture-protocol';
import { selectInputDevice } from './devices';
import { splitLines } from './line-splitter';
import { spawnTsProcess } from './spawn-ts-process';

/** The module run in the capture child process. */
export const CAPTURE_MODULE = path.join(__dirname, 'capture-process.ts');

/** How to reach PortAudio: which capture module to run, with which environment. Tests swap both. */
export interface CaptureRunner {
  /** Module run in the child (default CAPTURE_MODULE; tests pass a fake speaking the same protocol). */
  captureModule?: string;
  /** Environment of the child (default process.env; e.g. ALSA_CONFIG_PATH for the virtual microphone). */
  env?: NodeJS.ProcessEnv;
  /** Where diagnostics go (PortAudio/ALSA output when `verbose`, reopen notices). Default: stderr. */
  log?: (line: string) => void;
  /** Pass everything PortAudio and ALSA print to `log`. Default false (kept for error messages only). */
  verbose?: boolean;
}

/** Options of openMicSource. */
export interface MicSourceOptions extends CaptureRunner {
  /** `--device`: a PortAudio device index, or part of a device name (case-insensitive). Default: the
   * default input device. */
  device?: string;
  /** `--rate`: capture rate in Hz. Default: the device's default rate. */
  sampleRate?: number;
  /** Audio per PortAudio read, in ms; smaller is lower latency, larger is fewer wake-ups. Default 50. */
  chunkMs?: number;
  /** PortAudio buffers that may queue in naudiodon before its callback waits. Default 4 (200 ms). */
  maxQueue?: number;
  /** No audio for this long while listening counts as a failed stream and reopens the device, in ms.
   * Default 3,000. */
  stallTimeoutMs?: number;
  /** How the stall timeout is timed. Default: setTimeout (wall-clock time); tests pass a virtual clock
   * so that a stall happens exactly when they say, however slow the machine. */
  stallTimer?: Timer;
  /** Waits before successive reopen attempts, in ms; the last repeats. Default 250, 500, 1000, 2000, 5000. */
  reopenDelaysMs?: readonly number[];
  /** Least time between two status messages that only update the overflow count, in ms. Default 1,000. */
  overflowStatusIntervalMs?: number;
}

/** Runs `fn` once after `ms` milliseconds; the function it returns cancels that. */
export type Timer = (fn: () => void, ms: number) => () => void;

/** {@link Timer} on setTimeout. */
export const wallClockTimer: Timer = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
};

/** Lines of PortAudio/ALSA output kept to explain a failure. */
const KEPT_DIAGNOSTIC_LINES = 12;

const defaultLog = (line: string) => process.stderr.write(`${line}\n`);

/** One capture child process with its pipes wired: audio bytes, IPC events, stdout and stderr lines. */
function startCapture(
  runner: CaptureRunner,
  config: CaptureConfig,
  handlers: {
    onAudio?: (bytes: Buffer) => void;
    onEvent: (event: CaptureEvent) => void;
    onStdoutLine?: (line: string) => void;
    onExit: (code: number | null, signal: NodeJS.Signals | null, diagnostics: string[]) => void;
  },
): ChildProcess {
  const env = { ...(runner.env ?? process.env), [CAPTURE_CONFIG_ENV]: JSON.stringify(config) };
  const child = spawnTsProcess(runner.captureModule ?? CAPTURE_MODULE, {
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'ipc'],
  });
  const diagnostics: string[] = [];
  const keep = (line: string) => {
    if (!line.trim()) return;
    diagnostics.push(line);
    if (diagnostics.length > KEPT_DIAGNOSTIC_LINES) diagnostics.shift();
    if (runner.verbose) (runner.log ?? defaultLog)(`portaudio: ${line}`);
  };
  splitLines(child.stdout as Readable, (line) => {
    handlers.onStdoutLine?.(line);
    keep(line);
  });
  splitLines(child.stderr as Readable, keep);
  const audio = child.stdio[3] as Readable;
  if (handlers.onAudio) audio.on('data', handlers.onAudio);
  else audio.resume();
  child.on('message', (m) => handlers.onEvent(m as CaptureEvent));
  child.on('exit', (code, signal) => handlers.onExit(code, signal, diagnostics));
  child.on('error', (err) => {
    diagnostics.push(err.message);
  });
  return child;
}

/**
 * The audio devices PortAudio sees (`digits devices`). PortAudio runs in a child process, so its
 * console output (ALSA prints ~120 lines on a machine without sound card) stays out of ours.
 */
export function listCaptureDevices(runner: CaptureRunner = {}, timeoutMs = 15000): Promise<CaptureDevice[]> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const child = startCapture(
      runner,
      { mode: 'list' },
      {
        onEvent: (event) => {
          if (event.type === 'devices') settle(() => resolve(event.devices));
          else if (event.type === 'open-failed')
            settle(() => reject(new Error(`PortAudio could not list devices: ${event.message}`)));
        },
        onExit: (code, signal, diagnostics) =>
          settle(() =>
            reject(
              new Error(
                `PortAudio device listing failed (exit ${code ?? signal})${diagnostics.length ? `:\n  ${diagnostics.join('\n  ')}` : ''}`,
              ),
            ),
          ),
      },
    );
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(() => reject(new Error(`PortAudio device listing did not answer within ${timeoutMs} ms`)));
    }, timeoutMs);
  });
}

/**
 * The microphone as a live source, through PortAudio (naudiodon2) in a child process.
 *
 * Why a child process: naudiodon reports input overflows only by printing them on stdout (with
 * `closeOnError: false`, which we need: one overflow would otherwise destroy the stream), and PortAudio
 * and ALSA print banners and errors too. In a child, that output arrives in pipes: overflows are counted
 * from it, our own stdout stays clean, and capture never waits on our event loop. A reopen after a device
 * error simply starts a fresh process, which also makes PortAudio rescan the devices.
 *
 * Lists the devices first (in a child), so a missing microphone is a clear error that lists the devices
 * and suggests `--source wav:`. During capture a stream error, an exit of the capture process or
 * `stallTimeoutMs` without audio makes the source reopen the device with growing waits (status
 * `reopening`, then `listening`); stream time jumps over the wall-clock time lost (chunks carry
 * `startSample`). Failing to open the device the first time is an error of chunks$.
 */
export async function openMicSource(options: MicSourceOptions = {}): Promise<AudioSource> {
  const devices = await listCaptureDevices(options);
  const device = selectInputDevice(devices, options.device);
  const sampleRate = options.sampleRate ?? Math.round(device.defaultSampleRate);
  if (!(Number.isInteger(sampleRate) && sampleRate > 0)) {
    throw new RangeError(`--rate must be a positive integer number of Hz, got ${sampleRate}`);
  }
  return createMicSource(device, sampleRate, options);
}

/** The mic source for a known device and rate (openMicSource without the device listing). */
export function createMicSource(
  device: CaptureDevice,
  sampleRate: number,
  options: MicSourceOptions = {},
): AudioSource {
  const {
    chunkMs = 50,
    maxQueue = 4,
    stallTimeoutMs = 3000,
    reopenDelaysMs = [250, 500, 1000, 2000, 5000],
    overflowStatusIntervalMs = 1000,
    stallTimer = wallClockTimer,
  } = options;
  const log = options.log ?? defaultLog;
  const bytesPerChunk = 2 * Math.max(1, Math.round((sampleRate * chunkMs) / 1000));
  const status = new SourceStatusSubject();
  const deviceLabel = `"${device.name}" (device ${device.id})`;

  const chunks$ = new Observable<AudioChunk>((subscriber) => {
    let child: ChildProcess | undefined;
    let closed = false;
    let everOpened = false;
    let attempt = 0;
    /** Position of the next sample on the stream clock, in samples at sampleRate. */
    let position = 0;
    let lastAudioAt = performance.now();
    let overflows = 0;
    let lastOverflowStatusAt = -Infinity;
    let cancelStall: () => void = () => undefined;
    let reopenTimer: NodeJS.Timeout | undefined;
    let overflowTimer: NodeJS.Timeout | undefined;
    let listening = false;

    const setStatus = (state: 'starting' | 'listening' | 'reopening', detail: string) => {
      status.set({ state, detail, overflows });
    };
    const armStallTimer = () => {
      cancelStall();
      const watched = child;
      cancelStall = stallTimer(
        () => fault(watched, `no audio from ${deviceLabel} for ${stallTimeoutMs} ms`),
        stallTimeoutMs,
      );
    };
    const reportOverflows = () => {
      clearTimeout(overflowTimer);
      overflowTimer = undefined;
      lastOverflowStatusAt = performance.now();
      if (listening) setStatus('listening', `${deviceLabel} at ${sampleRate} Hz; input overflow (audio was dropped)`);
    };
    const countOverflow = () => {
      overflows++;
      const wait = lastOverflowStatusAt + overflowStatusIntervalMs - performance.now();
      if (wait <= 0) reportOverflows();
      else overflowTimer ??= setTimeout(reportOverflows, wait);
    };

    const open = () => {
      if (closed) return;
      const decoder = new S16leDecoder();
      const config: CaptureConfig = {
        mode: 'capture',
        deviceId: device.id,
        sampleRate,
        highwaterMark: bytesPerChunk,
        maxQueue,
      };
      const me: ChildProcess = startCapture(options, config, {
        onAudio: (bytes) => {
          if (child !== me || closed) return;
          const samples = decoder.push(bytes);
          if (samples.length === 0) return;
          lastAudioAt = performance.now();
          attempt = 0;
          armStallTimer();
          subscriber.next({ samples, sampleRate, startSample: position });
          position += samples.length;
        },
        onEvent: (event) => {
          if (child !== me || closed) return;
          if (event.type === 'opened') {
            everOpened = true;
            listening = true;
            setStatus('listening', `${event.deviceName} at ${event.sampleRate} Hz`);
            armStallTimer();
          } else if (event.type === 'open-failed') {
            if (!everOpened) {
              closed = true;
              const hint =
                sampleRate !== Math.round(device.defaultSampleRate)
                  ? `; its default rate is ${device.defaultSampleRate} Hz (try --rate ${Math.round(device.defaultSampleRate)})`
                  : '';
              status.set({ state: 'error', detail: event.message });
              subscriber.error(new Error(`cannot open ${deviceLabel} at ${sampleRate} Hz: ${event.message}${hint}`));
            } else fault(me, `cannot reopen ${deviceLabel}: ${event.message}`);
          } else if (event.type === 'stream-error') fault(me, `capture error: ${event.message}`);
        },
        onStdoutLine: (line) => {
          if (child === me && countInputOverflows(line) > 0) countOverflow();
        },
        onExit: (code, signal, diagnostics) => {
          if (child !== me || closed) return;
          const why = diagnostics.length ? `: ${diagnostics[diagnostics.length - 1]}` : '';
          if (!everOpened) {
            closed = true;
            status.set({ state: 'error', detail: `capture process exited (${code ?? signal})` });
            subscriber.error(
              new Error(`cannot open ${deviceLabel}: the capture process exited (${code ?? signal})${why}`),
            );
          } else fault(me, `capture process exited (${code ?? signal})${why}`);
        },
      });
      child = me;
    };

    /** Drops the failed capture process and schedules a fresh one. */
    function fault(failed: ChildProcess | undefined, reason: string): void {
      if (closed || failed !== child) return;
      listening = false;
      cancelStall();
      child = undefined;
      failed?.removeAllListeners('exit');
      failed?.kill('SIGKILL');
      const delay = reopenDelaysMs[Math.min(attempt, reopenDelaysMs.length - 1)] ?? 1000;
      attempt++;
      log(`live: ${reason}; reopening ${deviceLabel} in ${delay} ms`);
      setStatus('reopening', reason);
      reopenTimer = setTimeout(() => {
        // Stream time keeps pace with the wall clock across the gap, so timestamps stay meaningful.
        position += Math.round(((performance.now() - lastAudioAt) * sampleRate) / 1000);
        lastAudioAt = performance.now();
        open();
      }, delay);
    }

    setStatus('starting', `opening ${deviceLabel} at ${sampleRate} Hz`);
    open();
    return () => {
      closed = true;
      cancelStall();
      clearTimeout(reopenTimer);
      clearTimeout(overflowTimer);
      const c = child;
      child = undefined;
      if (c && c.exitCode === null) {
        // Closing IPC asks the child to abort PortAudio cleanly; a kill follows if it does not go.
        c.disconnect?.();
        setTimeout(() => c.exitCode === null && c.kill('SIGKILL'), 1000).unref();
      }
    };
  });

  return {
    info: { kind: 'mic', description: `${device.name} (${device.hostAPIName}, device ${device.id})`, sampleRate },
    chunks$,
    status$: status.status$,
  };
}
