import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_FEATURE_CONFIG } from '@digits/features';
import { MetricsFileSchema, NotebookRunSchema, ResultsFileSchema, readRunFile, type NotebookRun } from './run-files';

const dir = mkdtempSync(path.join(os.tmpdir(), 'run-files-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const run: NotebookRun = {
  experiments: [1, 2],
  split: { train: ['0_theo_1.wav'], test: ['1_theo_2.wav'] },
  featureConfig: { ...DEFAULT_FEATURE_CONFIG },
  seed: 33,
  quick: true,
  data: 'data/recordings',
  startedAt: '2026-12-03T06:00:00.000Z',
  backend: 'wasm',
};

function write(name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

test('a run.json as `digits train` writes it reads back equal; a missing file is undefined', () => {
  assert.deepEqual(readRunFile(NotebookRunSchema, write('run.json', run)), run);
  assert.equal(readRunFile(NotebookRunSchema, path.join(dir, 'absent.json')), undefined);
});

test('run files that do not match name the file and the field', () => {
  const bad = (name: string, value: unknown, schema: Parameters<typeof readRunFile>[0], pattern: RegExp) => {
    const file = write(name, value);
    assert.throws(
      () => readRunFile(schema, file),
      (e: Error) => e.message.startsWith(`${file}: `) && pattern.test(e.message),
      name,
    );
  };
  bad('torn.json', '{"seed": 3', NotebookRunSchema, /not valid JSON/);
  bad('list.json', '[1]', NotebookRunSchema, /not a JSON object/);
  bad('no-split.json', { ...run, split: undefined }, NotebookRunSchema, /: "split" must hold "train" and "test" lists/);
  bad(
    'nfft.json',
    { ...run, featureConfig: { ...DEFAULT_FEATURE_CONFIG, nFft: 1000 } },
    NotebookRunSchema,
    /"nFft" must be a power of two, got 1000/,
  );
  bad('seed.json', { ...run, seed: 'x' }, NotebookRunSchema, /field "seed": Expected number, received string/);
  bad('metrics.json', { history: 'none' }, MetricsFileSchema, /"history" must be a list of epochs/);
  bad(
    'results.json',
    { runId: 'r', backend: 'wasm', seed: 1, quick: false, totalSeconds: 1, timings: {}, results: [{ id: 1 }] },
    ResultsFileSchema,
    /field "results\.0\.slug": Required/,
  );
});
