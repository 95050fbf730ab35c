// Peak RSS of the live app alone: `digits live` (apps/live/src/main.ts) in a child process on a WAV file
// with --fast --exit-at-end, its high-water mark read from /proc (Linux) while it runs. The in-process
// figure also counts the benchmark's own buffers and its recording WebSocket client.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../../..');

/** VmHWM (peak resident set) of a process in MB, or undefined once it is gone / off Linux. */
export function peakRssMb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the app on `wav` and returns its peak RSS in MB (undefined where /proc is missing). */
export function appPeakRssMb(modelDir: string, wav: string): Promise<number | undefined> {
  const entry = path.join(REPO_ROOT, 'apps/live/src/main.ts');
  const args = [
    '--import',
    'tsx',
    entry,
    'live',
    '--source',
    `wav:${wav}`,
    '--fast',
    '--exit-at-end',
    '--json',
    '--port',
    '0',
    '--model',
    modelDir,
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: path.join(REPO_ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let peak: number | undefined;
  const timer = setInterval(() => {
    const now = child.pid === undefined ? undefined : peakRssMb(child.pid);
    if (now !== undefined) peak = Math.max(peak ?? 0, now);
  }, 25);
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code === 0) resolve(peak);
      else reject(new Error(`digits live exited with ${code}:\n${stderr}`));
    }),
  );
}
