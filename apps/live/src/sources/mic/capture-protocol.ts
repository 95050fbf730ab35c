// What the PortAudio capture process and the app tell each other. The capture runs in a child process
// (see mic-source.ts for why); audio travels as raw s16le on the child's fd 3, these messages over IPC.

/** An audio device as PortAudio (naudiodon2 `getDevices`) lists it. */
export interface CaptureDevice {
  /** PortAudio device index (`--device` takes it, or part of the name). */
  id: number;
  name: string;
  /** Input channels; 0 for an output-only device. */
  maxInputChannels: number;
  /** The device's preferred rate in Hz (used when `--rate` is not given). */
  defaultSampleRate: number;
  /** PortAudio host API, e.g. "ALSA". */
  hostAPIName: string;
  /** Whether PortAudio's default host API names this its default input. */
  isDefaultInput: boolean;
}

/** Configuration of one capture process, passed as JSON in env DIGITS_CAPTURE_CONFIG. */
export type CaptureConfig =
  | { mode: 'list' }
  | {
      mode: 'capture';
      /** PortAudio device index. */
      deviceId: number;
      /** Capture rate in Hz. */
      sampleRate: number;
      /** Bytes per PortAudio read (naudiodon `highwaterMark`): each chunk is exactly this long. */
      highwaterMark: number;
      /** Chunks PortAudio may queue before its callback waits (naudiodon `maxQueue`). */
      maxQueue: number;
    };

/** Child -> app messages over IPC. */
export type CaptureEvent =
  | { type: 'devices'; devices: CaptureDevice[] }
  | { type: 'opened'; deviceName: string; sampleRate: number }
  /** Opening failed (no device, format not supported, ...); the process exits after sending it. */
  | { type: 'open-failed'; message: string }
  /** The stream failed or ended while capturing; the process exits after sending it. */
  | { type: 'stream-error'; message: string };

export const CAPTURE_CONFIG_ENV = 'DIGITS_CAPTURE_CONFIG';

/**
 * naudiodon2 (with closeOnError false) reports PortAudio status flags only by printing
 * "AudioIO: portAudio status - input overflow ..." on stdout. The number of input overflows in a line.
 */
export function countInputOverflows(stdoutLine: string): number {
  return /portAudio status - .*input overflow/.test(stdoutLine) ? 1 : 0;
}
