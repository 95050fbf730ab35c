import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { FILE_VERSION, openRunWriters, readEvents, readScalarEvents, readRecords, ScalarEventWriter } from './index';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tensorboard-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const TAGS = ['loss', 'val_loss', 'f1', 'val_f1'];

function writeSample(logDir: string): {
  file: string;
  written: { step: number; wallTime: number; tag: string; value: number }[];
} {
  const w = new ScalarEventWriter(logDir);
  const written = [];
  for (let step = 0; step < 3; step++) {
    for (const [i, tag] of TAGS.entries()) {
      const value = 1 / (step + 2 + i) + 0.1; // not exactly representable in float32
      const wallTime = 1_700_000_000.123 + step * 10 + i;
      w.addScalar(tag, value, step, wallTime);
      written.push({ step, wallTime, tag, value: Math.fround(value) });
    }
  }
  w.flush();
  w.close();
  return { file: w.file, written };
}

test('scalars written for 3 steps read back exactly (values rounded to float32)', (t) => {
  const dir = tempDir(t);
  const { file, written } = writeSample(path.join(dir, 'logs'));
  assert.deepEqual(readScalarEvents(file), written);
});

test('the file is named like TensorBoard names it and starts with the file_version event', (t) => {
  const dir = tempDir(t);
  const before = Math.floor(Date.now() / 1000);
  const { file } = writeSample(dir);
  const m = /^events\.out\.tfevents\.(\d+)\.(.+)$/.exec(path.basename(file));
  assert.ok(m, path.basename(file));
  assert.ok(Number(m[1]) >= before && Number(m[1]) <= Math.floor(Date.now() / 1000) + 1);
  assert.equal(m[2], hostname());
  const events = readEvents(file);
  assert.equal(events.length, 1 + 12);
  assert.equal(events[0].fileVersion, FILE_VERSION);
  assert.equal(events[0].step, 0);
  assert.equal(events[0].summary, undefined);
  assert.ok(Math.abs(events[0].wallTime - Date.now() / 1000) < 60);
  // The raw record too: field 1 (double), then field 3 holding "brain.Event:2".
  const first = readRecords(file)[0].data;
  assert.equal(first[0], 0x09);
  assert.deepEqual(
    first.subarray(9),
    Buffer.concat([Buffer.from([0x1a, FILE_VERSION.length]), Buffer.from(FILE_VERSION)]),
  );
});

test('a corrupted byte is a CRC error naming the file and the record offset', (t) => {
  const dir = tempDir(t);
  const { file } = writeSample(dir);
  const offsets = readRecords(file).map((r) => r.offset);
  const bytes = readFileSync(file);
  bytes[offsets[5] + 14] ^= 0x40; // inside record 5's data
  writeFileSync(file, bytes);
  assert.throws(
    () => readScalarEvents(file),
    (err: Error) => {
      assert.equal(err.message, `${file}: data CRC mismatch in record at offset ${offsets[5]} (corrupted file)`);
      return true;
    },
  );
});

test('a truncated file is an error naming the file and the offset of the torn record', (t) => {
  const dir = tempDir(t);
  const { file } = writeSample(dir);
  const offsets = readRecords(file).map((r) => r.offset);
  const last = offsets[offsets.length - 1];
  truncateSync(file, last + 20);
  assert.throws(
    () => readScalarEvents(file),
    new RegExp(
      `^Error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: truncated record at offset ${last}: needs \\d+ bytes, 20 left$`,
    ),
  );
});

test('a second writer in the same folder starts a new file; the first file is untouched', (t) => {
  const dir = tempDir(t);
  const a = writeSample(dir);
  const sizeBefore = readFileSync(a.file).length;
  const b = new ScalarEventWriter(dir);
  b.addScalar('loss', 0.25, 3, 1_700_000_100);
  b.close();
  assert.notEqual(a.file, b.file);
  assert.equal(readdirSync(dir).length, 2);
  assert.equal(readFileSync(a.file).length, sizeBefore);
  assert.deepEqual(readScalarEvents(b.file), [{ step: 3, wallTime: 1_700_000_100, tag: 'loss', value: 0.25 }]);
});

test('records hit the file as they are added; closed writers refuse more; bad arguments throw', (t) => {
  const dir = tempDir(t);
  const w = new ScalarEventWriter(dir);
  w.addScalar('loss', 2, 1, 5);
  assert.deepEqual(readScalarEvents(w.file), [{ step: 1, wallTime: 5, tag: 'loss', value: 2 }]); // before close
  assert.throws(() => w.addScalar('loss', 1, 1.5), /step must be an integer, got 1.5/);
  assert.throws(() => w.addScalar('', 1, 1), /tag must be a non-empty string/);
  w.close();
  w.close();
  assert.throws(() => w.addScalar('loss', 1, 2), /event writer is closed/);
});

test('openRunWriters lays out tensorboard/train and tensorboard/validation (Keras layout)', (t) => {
  const modelDir = path.join(tempDir(t), 'model-1');
  const { train, validation } = openRunWriters(modelDir);
  train.addScalar('epoch_loss', 0.5, 0, 10);
  validation.addScalar('epoch_loss', 0.75, 0, 10);
  train.close();
  validation.close();
  assert.equal(path.dirname(train.file), path.join(modelDir, 'tensorboard', 'train'));
  assert.equal(path.dirname(validation.file), path.join(modelDir, 'tensorboard', 'validation'));
  assert.ok(existsSync(train.file) && existsSync(validation.file));
  assert.deepEqual(readScalarEvents(validation.file), [{ step: 0, wallTime: 10, tag: 'epoch_loss', value: 0.75 }]);
});
