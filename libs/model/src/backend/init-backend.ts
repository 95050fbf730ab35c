import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { applyBatchMatMulTransposeFix } from './batch-matmul-fix';
import { silenceCpuBanner, silenceOrthogonalWarning } from './quiet-tfjs';

/** A tfjs backend we can run on, fastest first. */
export type BackendPreference = 'node' | 'wasm' | 'cpu';

export interface InitBackendOptions {
  /**
   * The fastest backend to try; slower ones are the fallback. Default 'node' (tfjs-node when it is
   * installed, else wasm, else cpu). 'wasm' skips tfjs-node; 'cpu' uses the pure-JS backend only.
   */
  prefer?: BackendPreference;
  /** Where the one-line choice is printed. Default console.log. */
  log?: (line: string) => void;
}

export interface BackendInfo {
  /** tfjs's name of the backend in use: 'tensorflow' (tfjs-node), 'wasm' or 'cpu'. */
  name: string;
  /** Human-readable detail, e.g. "wasm (SIMD, 1 thread, BatchMatMul transpose fix)". */
  detail: string;
}

const nodeRequire = createRequire(__filename);
let chosen: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;

/**
 * Chooses and initialises the tfjs backend once per process, and prints the choice:
 * `@tensorflow/tfjs-node` when it can be required (an optional dependency that installs only where
 * libtensorflow can be downloaded), else the wasm backend (SIMD, with its `.wasm` files loaded from the
 * installed package so it works offline, and the BatchMatMul transpose fix), else the cpu backend.
 * Later calls return the first call's choice without printing again.
 */
export function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  if (chosen) return Promise.resolve(chosen);
  if (!pending) {
    pending = chooseBackend(opts).then((info) => {
      chosen = info;
      (opts.log ?? console.log)(`tfjs backend: ${info.detail}`);
      return info;
    });
    pending.catch(() => {
      pending = null;
    });
  }
  return pending;
}

/** The backend chosen by {@link initBackend}, or null before it finished. */
export function currentBackend(): BackendInfo | null {
  return chosen;
}

async function chooseBackend(opts: InitBackendOptions): Promise<BackendInfo> {
  silenceOrthogonalWarning();
  const prefer = opts.prefer ?? 'node';
  const failures: string[] = [];
  if (prefer === 'node') {
    const info = await tryTfjsNode(failures);
    if (info) return info;
  }
  if (prefer === 'node' || prefer === 'wasm') {
    const info = await tryWasm(failures);
    if (info) return info;
  }
  if (!(await tf.setBackend('cpu')))
    throw new Error(`initBackend: no tfjs backend could start (${failures.join('; ')})`);
  silenceCpuBanner();
  await tf.ready();
  const why = failures.length ? `; ${failures.join('; ')}` : '';
  return { name: 'cpu', detail: `cpu (pure JS, slow${why})` };
}

async function tryTfjsNode(failures: string[]): Promise<BackendInfo | null> {
  try {
    // A computed name keeps bundlers and type checkers from insisting on an optional package.
    const pkg = '@tensorflow/tfjs-node';
    nodeRequire(pkg);
  } catch {
    failures.push('tfjs-node not installed');
    return null;
  }
  if (!(await tf.setBackend('tensorflow'))) {
    failures.push('tfjs-node failed to start');
    return null;
  }
  await tf.ready();
  return { name: 'tensorflow', detail: 'tensorflow (tfjs-node, native libtensorflow)' };
}

async function tryWasm(failures: string[]): Promise<BackendInfo | null> {
  try {
    // The package ships its .wasm binaries in dist/; a file-system prefix makes Node read them locally.
    const dist = path.dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm'));
    setWasmPaths(dist + path.sep);
    if (!(await tf.setBackend('wasm'))) throw new Error('setBackend returned false');
    await tf.ready();
  } catch (err) {
    failures.push(`wasm failed: ${(err as Error).message}`);
    return null;
  }
  applyBatchMatMulTransposeFix('wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return { name: 'wasm', detail: `wasm (${simd ? 'SIMD' : 'no SIMD'}, 1 thread, BatchMatMul transpose fix)` };
}
