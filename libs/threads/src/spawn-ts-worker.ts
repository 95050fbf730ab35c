import { Worker, type WorkerOptions } from 'node:worker_threads';
import os from 'node:os';

/**
 * Starts a worker thread on a TypeScript module. Our sources run through tsx (no build step), and a
 * worker does not inherit the main thread's loader hooks, so the worker first registers tsx and then
 * requires the module. TSX_TSCONFIG_PATH (set by bin/digits.js and tools/run-tests.mjs) reaches the
 * worker through process.env, so the @digits/* aliases resolve there too.
 */
export function spawnTsWorker(file: string, options: WorkerOptions = {}): Worker {
  // Absolute paths: an eval'd worker resolves bare specifiers from the process's cwd, not from here.
  const code = `require(${JSON.stringify(TSX_API)}).register(); require(${JSON.stringify(file)});`;
  return new Worker(code, { ...options, eval: true });
}

const TSX_API = require.resolve('tsx/cjs/api');

/** Worker threads worth starting for CPU-bound work: one per core, at least 1. */
export function availableThreads(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}
