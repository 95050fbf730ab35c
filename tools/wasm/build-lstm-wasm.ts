/**
 * Compiles the fused LSTM's WebAssembly kernel (libs/model/src/lstm/wasm/lstm-kernel.wat) to the binary
 * the runtime loads (lstm-kernel.wasm, committed beside it), with wabt and SIMD enabled. wabt is a
 * devDependency: only this script and its test use it, never the runtime.
 *
 * Rebuild after every change to the .wat; tools/wasm/build-lstm-wasm.test.ts fails while the committed
 * .wasm is not what the .wat compiles to.
 *
 * Usage: npx nx run tools:build-lstm-wasm [-- --check]
 *   --check  write nothing; exit 1 if the committed .wasm differs from a fresh build
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import wabtInit from 'wabt';

const KERNEL_DIR = path.resolve(__dirname, '../../libs/model/src/lstm/wasm');
/** The kernel's WebAssembly text. */
export const LSTM_WAT_PATH = path.join(KERNEL_DIR, 'lstm-kernel.wat');
/** The committed binary the runtime loads (wasm-lstm-kernel.ts). */
export const LSTM_WASM_PATH = path.join(KERNEL_DIR, 'lstm-kernel.wasm');

/** Compiles WebAssembly text to a binary (SIMD enabled, no debug names: the bytes depend on the text only). */
export async function watToWasm(source: string, name: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat(name, source, { simd: true });
  try {
    mod.validate();
    return Uint8Array.from(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

/** The bytes lstm-kernel.wat compiles to now. */
export async function buildLstmWasm(watPath = LSTM_WAT_PATH): Promise<Uint8Array> {
  return watToWasm(readFileSync(watPath, 'utf8'), path.basename(watPath));
}

async function main(): Promise<void> {
  const bytes = await buildLstmWasm();
  const rel = path.relative(process.cwd(), LSTM_WASM_PATH);
  if (process.argv.includes('--check')) {
    let committed: Buffer | undefined;
    try {
      committed = readFileSync(LSTM_WASM_PATH);
    } catch {
      committed = undefined;
    }
    if (!committed || !Buffer.from(bytes).equals(committed)) {
      console.error(
        `${rel} is not what ${path.basename(LSTM_WAT_PATH)} compiles to: run npx nx run tools:build-lstm-wasm`,
      );
      process.exitCode = 1;
      return;
    }
    console.log(`${rel} is up to date (${bytes.length} bytes)`);
    return;
  }
  writeFileSync(LSTM_WASM_PATH, bytes);
  console.log(`wrote ${rel} (${bytes.length} bytes)`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
