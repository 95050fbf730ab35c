import cliProgress from 'cli-progress';

/** A progress display: a bar on a TTY, nothing in between on a pipe (callers print plain lines). */
export interface Progress {
  update(done: number, payload?: Record<string, string | number>): void;
  stop(): void;
}

/**
 * A cli-progress bar on stderr when it is a TTY; a no-op otherwise, so logs and CI output stay
 * plain lines.
 */
export function startProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total <= 0) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted} {info}`,
      barsize: 30,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { info: '' });
  return {
    update(done, payload) {
      const info = payload ? Object.entries(payload).map(([k, v]) => `${k}: ${v}`).join(' ') : '';
      bar.update(done, { info });
    },
    stop() {
      bar.stop();
    },
  };
}
