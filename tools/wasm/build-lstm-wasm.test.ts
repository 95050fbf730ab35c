import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildLstmWasm, LSTM_WASM_PATH, LSTM_WAT_PATH } from './build-lstm-wasm';

test('the committed lstm-kernel.wasm is what lstm-kernel.wat compiles to (rebuild: npx nx run tools:build-lstm-wasm)', async () => {
  const built = Buffer.from(await buildLstmWasm());
  const committed = readFileSync(LSTM_WASM_PATH);
  assert.ok(
    built.equals(committed),
    `${LSTM_WASM_PATH} (${committed.length} bytes) differs from a build of ${LSTM_WAT_PATH} (${built.length} bytes)`,
  );
  assert.ok(WebAssembly.validate(committed), `${LSTM_WASM_PATH} is a valid module`);
});

test('a changed .wat compiles to other bytes than the committed .wasm, so the check above can fail', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lstm-wat-'));
  try {
    const changed = path.join(dir, 'lstm-kernel.wat');
    // One more exported function than the committed kernel has.
    const source = readFileSync(LSTM_WAT_PATH, 'utf8').trimEnd();
    assert.ok(source.endsWith(')'), `${LSTM_WAT_PATH} ends with the module's closing parenthesis`);
    writeFileSync(changed, `${source.slice(0, -1)}\n  (func (export "changed") (result i32) i32.const 1))\n`);
    const built = Buffer.from(await buildLstmWasm(changed));
    assert.ok(!built.equals(readFileSync(LSTM_WASM_PATH)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
