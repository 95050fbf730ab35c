import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Room for the compiled binary (the LSTM kernel is a few KB). */
const RESULT_BYTES = 1 << 20;
const TIMEOUT_MS = 60_000;

// Runs in a short-lived helper thread: wabt only loads asynchronously, but the fused LSTM op that needs
// the kernel is synchronous (tfjs ops are), so the caller blocks on Atomics.wait until this is done.
const HELPER = `
const { workerData } = require('node:worker_threads');
const state = new Int32Array(workerData.result, 0, 2);
const finish = (code, bytes) => {
  new Uint8Array(workerData.result, 8).set(bytes.subarray(0, workerData.result.byteLength - 8));
  state[1] = bytes.length;
  Atomics.store(state, 0, code);
  Atomics.notify(state, 0);
};
require(workerData.wabtPath)().then((wabt) => {
  const mod = wabt.parseWat(workerData.name, workerData.source, { simd: true });
  try {
    finish(1, mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}).catch((err) => finish(2, Buffer.from(String((err && err.stack) || err))));
`;

/**
 * Compiles WebAssembly text to a binary with wabt (SIMD enabled), synchronously: wabt runs in a helper
 * thread while this one waits. Takes ~0.1 s; cache the result.
 */
export function watToWasmSync(source: string, name = 'module.wat'): Uint8Array<ArrayBuffer> {
  const wabtPath = createRequire(__filename).resolve('wabt');
  const result = new SharedArrayBuffer(8 + RESULT_BYTES);
  const state = new Int32Array(result, 0, 2);
  const worker = new Worker(HELPER, { eval: true, workerData: { wabtPath, source, name, result } });
  worker.unref();
  try {
    if (Atomics.wait(state, 0, 0, TIMEOUT_MS) === 'timed-out') throw new Error(`wabt took over ${TIMEOUT_MS / 1000} s`);
    const length = state[1];
    if (length > RESULT_BYTES) throw new Error(`the compiled module has ${length} bytes, more than ${RESULT_BYTES}`);
    const bytes = new Uint8Array(length); // not shared: WebAssembly.Module wants a plain buffer
    bytes.set(new Uint8Array(result, 8, length));
    if (state[0] !== 1) throw new Error(`wabt: ${Buffer.from(bytes).toString()}`);
    return bytes;
  } finally {
    void worker.terminate();
  }
}
