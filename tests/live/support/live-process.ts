// Runs `digits live` as a child process (the live app's own entry, apps/live/src/main.ts, which registers
// the same commands as bin/digits.js) and reads what it prints. Node runs the entry itself (tsx as an
// import hook, as tools/run-ts.mjs does) rather than through run-ts: a signal sent to run-ts would kill it
// and orphan the app, and the test could neither stop the app nor see its exit code.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
const ENTRY = path.join(REPO_ROOT, 'apps/live/src/main.ts');

export interface LiveProcess {
  child: ChildProcess;
  /** Every stdout line so far. */
  stdout: string[];
  /** Every stderr line so far. */
  stderr: string[];
  /** The dashboard URL once printed ("Dashboard: <url>", on stdout, or on stderr with --json). */
  url: Promise<string>;
  /** Exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
}

/** Starts `digits live <args>` with the given extra environment. */
export function startLive(args: string[], env: NodeJS.ProcessEnv = {}): LiveProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'live', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: path.join(REPO_ROOT, 'tsconfig.json'), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  let resolveUrl: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (resolveUrl = resolve));
  const lines = (stream: NodeJS.ReadableStream, into: string[], onLine?: (l: string) => void) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => {
      const parts = (rest + text).split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) {
        into.push(p);
        onLine?.(p);
      }
    });
  };
  const findUrl = (l: string) => {
    const m = /^Dashboard: (\S+)/.exec(l);
    if (m) resolveUrl(m[1]);
  };
  lines(child.stdout as NodeJS.ReadableStream, stdout, findUrl);
  lines(child.stderr as NodeJS.ReadableStream, stderr, findUrl);
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return { child, stdout, stderr, url, exited };
}
