// End to end through the `digits` CLI: a --quick training run (every code path of the four
// experiments), its run folder, resuming it, predict and eval with the saved models, and the errors
// a user meets with bad input.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FSDD_RECORDINGS } from '@digits/dsp/testing';
import { readScalarEvents } from '@digits/tensorboard';

const ROOT = path.resolve(__dirname, '../..');
const FSDD = FSDD_RECORDINGS;
const SLUGS = ['model1-raw', 'model2-spectrogram', 'model3-raw-augmented', 'model4-spectrogram-augmented'];

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function digits(args: string[], env: NodeJS.ProcessEnv = {}): Result {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/digits.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FSDD_DATA: FSDD, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tmp: string;
let runDir: string;
let quick: Result;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'train-cli-'));
  quick = digits([
    'train',
    '--quick',
    '--jobs',
    '2',
    '--out',
    path.join(tmp, 'runs'),
    '--cache-dir',
    path.join(tmp, 'cache'),
  ]);
  const runs = fs.existsSync(path.join(tmp, 'runs')) ? fs.readdirSync(path.join(tmp, 'runs')) : [];
  runDir = path.join(tmp, 'runs', runs[0] ?? 'missing');
});

test('train --quick runs all four experiments and prints the comparison table', () => {
  assert.equal(quick.status, 0, quick.stderr);
  for (const title of ['Raw data', 'Spectrogram', 'Raw data with augmentation', 'Spectrogram with augmentation']) {
    assert.match(quick.stdout, new RegExp(`│ \\d │ ${title}\\s+│`));
  }
  assert.match(quick.stdout, /Total params: 4,510/);
  assert.match(quick.stdout, /Total params: 318,218/);
  assert.match(quick.stdout, /Epoch 1\/1 - [\d.]+s - loss: [\d.]+ - val_loss: [\d.]+ - f1: [\d.]+ - val_f1: [\d.]+/);
});

test('the run folder holds run.json, results.json and, per model, the model, metrics, epoch log and TensorBoard events', () => {
  const run = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8'));
  assert.deepEqual(run.experiments, [1, 2, 3, 4]);
  assert.equal(run.split.train.length, 40);
  assert.equal(run.split.test.length, 10);
  const results = JSON.parse(fs.readFileSync(path.join(runDir, 'results.json'), 'utf8'));
  assert.deepEqual(
    results.results.map((r: { slug: string }) => r.slug),
    SLUGS,
  );
  for (const slug of SLUGS) {
    const dir = path.join(runDir, slug);
    for (const f of ['model.json', 'weights.bin', 'features.json', 'labels.json', 'meta.json']) {
      assert.ok(fs.existsSync(path.join(dir, 'model', f)), `${slug}/model/${f}`);
    }
    const metrics = JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8'));
    assert.equal(metrics.history.length, 1);
    assert.equal(metrics.test.n, 10);
    assert.equal(
      metrics.test.confusion.flat().reduce((a: number, b: number) => a + b, 0),
      10,
    );
    const lines = fs.readFileSync(path.join(dir, 'epochs.jsonl'), 'utf8').trim().split('\n');
    assert.deepEqual(JSON.parse(lines[0]), metrics.history[0]);
    for (const side of ['train', 'validation']) {
      const files = fs.readdirSync(path.join(dir, 'tensorboard', side));
      const events = readScalarEvents(path.join(dir, 'tensorboard', side, files[0]));
      const tags = events.map((e) => e.tag).sort();
      assert.deepEqual(tags, ['epoch_f1', 'epoch_loss']);
      const loss = events.find((e) => e.tag === 'epoch_loss')!.value;
      const expected = side === 'train' ? metrics.history[0].loss : metrics.history[0].val_loss;
      assert.ok(Math.abs(loss - expected) < 1e-5, `${slug} ${side} loss ${loss} vs ${expected}`);
    }
  }
});

test('--jobs 2 trains the experiments in two lanes, each exactly as --jobs 1 trains it', () => {
  assert.match(quick.stdout, /training #3, #4, #2, #1 in 2 lanes/);
  for (const id of [1, 2, 3, 4]) assert.match(quick.stdout, new RegExp(`^#${id} Epoch 1/1 - `, 'm'));
  const out = path.join(tmp, 'runs-one-lane');
  const one = digits([
    'train',
    '--quick',
    '--experiment',
    '2,4',
    '--jobs',
    '1',
    '--out',
    out,
    '--cache-dir',
    path.join(tmp, 'cache'),
  ]);
  assert.equal(one.status, 0, one.stderr);
  assert.doesNotMatch(one.stdout, /lanes/);
  const oneDir = path.join(out, fs.readdirSync(out)[0]);
  for (const slug of ['model2-spectrogram', 'model4-spectrogram-augmented']) {
    const [a, b] = [runDir, oneDir].map(
      (d) => JSON.parse(fs.readFileSync(path.join(d, slug, 'metrics.json'), 'utf8')).history[0],
    );
    assert.equal(a.f1, b.f1, `${slug} f1`);
    assert.equal(a.val_f1, b.val_f1, `${slug} val_f1`);
    // Same data, seeds and batches; only float rounding may differ between processes.
    for (const k of ['loss', 'val_loss'])
      assert.ok(Math.abs(a[k] - b[k]) <= 1e-6 * Math.abs(b[k]), `${slug} ${k}: ${a[k]} vs ${b[k]}`);
  }
});

test('--resume continues an interrupted run from its checkpoint instead of retraining', () => {
  const slug = 'model2-spectrogram';
  const before = JSON.parse(fs.readFileSync(path.join(runDir, slug, 'metrics.json'), 'utf8'));
  // As if the run was killed after the epoch's checkpoint but before the model was finished.
  fs.rmSync(path.join(runDir, slug, 'metrics.json'));
  fs.rmSync(path.join(runDir, slug, 'model'), { recursive: true });
  const r = digits([
    'train',
    '--resume',
    path.basename(runDir),
    '--out',
    path.join(tmp, 'runs'),
    '--cache-dir',
    path.join(tmp, 'cache'),
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /#1 Raw data: finished earlier/);
  assert.match(r.stdout, /resuming #2 after epoch 1/);
  assert.doesNotMatch(r.stdout, /Epoch 1\/1/, 'no epoch is trained again');
  const after = JSON.parse(fs.readFileSync(path.join(runDir, slug, 'metrics.json'), 'utf8'));
  assert.deepEqual(after.history, before.history);
  assert.ok(fs.existsSync(path.join(runDir, slug, 'model', 'model.json')));
});

test('predict prints one JSON line per WAV with 10 probabilities; eval reports accuracy and confusion', () => {
  const model = path.join(runDir, 'model4-spectrogram-augmented', 'model');
  const wavs = ['3_theo_0.wav', '8_jackson_12.wav'].map((f) => path.join(FSDD, f));
  const p = digits(['predict', '--model', model, ...wavs]);
  assert.equal(p.status, 0, p.stderr);
  const lines = p.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => path.basename(l.file)),
    ['3_theo_0.wav', '8_jackson_12.wav'],
  );
  for (const l of lines) {
    assert.equal(l.probs.length, 10);
    assert.ok(Math.abs(l.probs.reduce((a: number, b: number) => a + b, 0) - 1) < 1e-3);
    assert.equal(l.confidence, Math.max(...l.probs));
    assert.equal(l.digit, l.probs.indexOf(l.confidence));
  }
  const e = digits([
    'eval',
    '--model',
    model,
    '--data',
    FSDD,
    '--split',
    'official',
    '--cache-dir',
    path.join(tmp, 'cache'),
  ]);
  assert.equal(e.status, 0, e.stderr);
  const report = JSON.parse(e.stdout);
  assert.equal(report.n, 200); // takes 0-4 of every digit and speaker
  assert.equal(
    report.confusion.flat().reduce((a: number, b: number) => a + b, 0),
    200,
  );
  assert.ok(report.accuracy >= 0 && report.accuracy <= 1);
  assert.equal(report.perDigit.length, 10);
});

test('bad input: unknown experiment, missing data, missing or corrupt model folder give clear errors and exit 1', () => {
  const r1 = digits(['train', '--experiment', '7', '--out', path.join(tmp, 'x')]);
  assert.equal(r1.status, 1);
  assert.match(r1.stderr, /unknown experiment "7"/);
  assert.ok(!fs.existsSync(path.join(tmp, 'x')), 'nothing written for a bad command line');
  const r2 = digits(['train', '--data', path.join(tmp, 'no-such-data'), '--out', path.join(tmp, 'x')]);
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /no-such-data/);
  const r3 = digits(['predict', '--model', path.join(tmp, 'no-model'), path.join(FSDD, '3_theo_0.wav')]);
  assert.equal(r3.status, 1);
  assert.match(r3.stderr, /no-model: no such folder/);
  const corrupt = path.join(tmp, 'corrupt');
  fs.cpSync(path.join(runDir, 'model2-spectrogram', 'model'), corrupt, { recursive: true });
  fs.writeFileSync(path.join(corrupt, 'weights.bin'), 'junk');
  const r4 = digits(['eval', '--model', corrupt, '--data', FSDD]);
  assert.equal(r4.status, 1);
  assert.match(r4.stderr, /weights\.bin: 4 bytes, but model\.json describes/);
});

test('promote copies the best spectrogram model of a run, with its metrics, to a model folder predict can use', () => {
  const out = path.join(tmp, 'models', 'default');
  const r = digits(['promote', '--run', runDir, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const results = JSON.parse(fs.readFileSync(path.join(runDir, 'results.json'), 'utf8')).results as {
    slug: string;
    valF1: number;
  }[];
  const spectro = results.filter((x) => x.slug.includes('spectrogram'));
  const best = spectro.reduce((a, b) => (b.valF1 > a.valF1 ? b : a));
  const meta = JSON.parse(fs.readFileSync(path.join(out, 'meta.json'), 'utf8'));
  assert.equal(meta.name, best.slug);
  assert.equal(meta.metrics.valF1, best.valF1);
  assert.ok(fs.existsSync(path.join(out, 'metrics.json')));
  const p = digits(['predict', '--model', out, path.join(FSDD, '5_nicolas_9.wav')]);
  assert.equal(p.status, 0, p.stderr);
  assert.equal(JSON.parse(p.stdout).probs.length, 10);
  const bad = digits(['promote', '--run', path.join(tmp, 'nowhere')]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /nowhere.*run\.json: not found/);
});

test('promote --model installs a given model folder (e.g. model 5) and records where it came from', () => {
  const out = path.join(tmp, 'models', 'chosen');
  const src = path.join(runDir, 'model1-raw', 'model');
  const r = digits(['promote', '--model', src, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const meta = JSON.parse(fs.readFileSync(path.join(out, 'meta.json'), 'utf8'));
  assert.equal(meta.name, 'model1-raw');
  assert.equal(path.resolve(ROOT, meta.promotedFrom), src);
  assert.ok(fs.readFileSync(path.join(out, 'weights.bin')).equals(fs.readFileSync(path.join(src, 'weights.bin'))));
  assert.ok(fs.existsSync(path.join(out, 'metrics.json')));
  const none = digits(['promote', '--model', path.join(tmp, 'nowhere'), '--out', out]);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /nowhere: no saved model \(model\.json missing\)/);
  const both = digits(['promote', '--model', src, '--run', runDir, '--out', out]);
  assert.equal(both.status, 1);
  assert.match(both.stderr, /exactly one of --run <dir> or --model <dir>/);
});
