import cliProgress from 'cli-progress';

/** A progress display: a bar on a TTY, nothing in between on a pipe (callers print plain lines). */
export interface Progress {
  update(done: number, payload?: Record<string, string | number>): void;
  stop(): void;
}

/** Featurisation and training seconds of one experiment, as a lane reports them. */
export interface LaneTimings {
  featuresSeconds: number;
  trainSeconds: number;
  cachedClips: number;
  clips: number;
  /** Peak resident memory of the process that trained it, MiB. */
  peakRssMiB: number;
}

/** What a training lane (a child process of `digits train --jobs`) tells the parent. */
export type LaneMessage =
  | { kind: 'progress'; label: string; done: number; total: number; info?: string }
  | { kind: 'progress-stop' }
  | { kind: 'features-done' }
  | { kind: 'timings'; timings: LaneTimings };

/** True in a training lane: a child process whose parent draws the progress bars. */
export function inLane(): boolean {
  return !!process.env.DIGITS_LANE && typeof process.send === 'function';
}

/** Sends a message to the parent of a lane; a no-op in a standalone process. */
export function tellParent(msg: LaneMessage): void {
  if (inLane()) process.send!(msg);
}

/**
 * A cli-progress bar on stderr when it is a TTY; a no-op otherwise, so logs and CI output stay
 * plain lines. In a training lane the figures go to the parent, which draws one bar per lane.
 */
export function startProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (inLane() && total > 0) return laneProgress(label, total);
  if (!stream.isTTY || total <= 0) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(barOptions(stream, label), cliProgress.Presets.shades_classic);
  bar.start(total, 0, { info: '' });
  return {
    update(done, payload) {
      bar.update(done, { info: formatInfo(payload) });
    },
    stop() {
      bar.stop();
    },
  };
}

/** How every progress bar looks; `label` may hold a cli-progress payload field such as {lane}. */
export function barOptions(stream: NodeJS.WriteStream, label: string): cliProgress.Options {
  return {
    stream,
    format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted} {info}`,
    barsize: 30,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  };
}

function laneProgress(label: string, total: number): Progress {
  let last = 0;
  return {
    update(done, payload) {
      // At most ~5 messages a second: the parent redraws anyway, and IPC is not free.
      const now = Date.now();
      if (now - last < 200 && done < total) return;
      last = now;
      tellParent({ kind: 'progress', label, done, total, info: formatInfo(payload) });
    },
    stop() {
      tellParent({ kind: 'progress-stop' });
    },
  };
}

function formatInfo(payload?: Record<string, string | number>): string {
  return payload
    ? Object.entries(payload)
        .map(([k, v]) => `${k}: ${v}`)
        .join(' ')
    : '';
}
