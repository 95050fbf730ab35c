import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeWav } from '@digits/dsp';
import { buildSpectrogramModel, loadRecognizer, saveModelDir } from '@digits/model';
import { spawnTsWorker } from '@digits/threads';
import { changeSpeed, enrolVoice } from './enrol';
import type { EnrolTake } from './take-check';
import { listVoices, readEnrolmentMeta } from './voice-dirs';

const ROOT = path.resolve(__dirname, '../../..');
// The base here is model 5 (log-mel, models/model5); the default, model 6, is enrolled by apps/trainer's
// enrol-command test and by tools/bench/bench-enrol.ts.
const MODEL5_DIR = path.join(ROOT, 'models', 'model5');
const FSDD = process.env.FSDD_DATA ?? path.resolve(ROOT, '../shared/fsdd/recordings');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'enrol-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function fsddTake(file: string): EnrolTake {
  const w = decodeWav(new Uint8Array(fs.readFileSync(path.join(FSDD, file))), file);
  return { digit: Number(file[0]), name: file, samples: w.samples, sampleRate: w.sampleRate };
}
const silent = (digit: number): EnrolTake => ({
  digit,
  name: `${digit}_x_silent.wav`,
  samples: new Float32Array(4000),
  sampleRate: 8000,
});

test('missing digits are an error naming them and every rejected take, before any model is read', async () => {
  const takes = [0, 1, 2, 4, 5, 6, 7, 8].map((d) => fsddTake(`${d}_theo_0.wav`));
  takes.push(silent(3));
  await assert.rejects(
    enrolVoice({ baseModelDir: path.join(tmp, 'no-such-model'), takes, outDir: path.join(tmp, 'x') }),
    (e: Error) => {
      assert.match(
        e.message,
        /every digit 0-9 needs at least 1; digits short of that \(usable takes\): 3 \(0\), 9 \(0\)/,
      );
      assert.match(e.message, /rejected 3_x_silent\.wav: silent/);
      return true;
    },
  );
  await assert.rejects(
    enrolVoice({ baseModelDir: MODEL5_DIR, takes: [], outDir: path.join(tmp, 'x') }),
    /no takes given: every digit 0-9 needs at least 1; digits short of that \(usable takes\): 0 \(0\), 1 \(0\)/,
  );
  const ten = Array.from({ length: 10 }, (_, d) => fsddTake(`${d}_theo_0.wav`));
  await assert.rejects(
    enrolVoice({ baseModelDir: MODEL5_DIR, takes: ten, outDir: path.join(tmp, 'x'), minTakesPerDigit: 2 }),
    /needs at least 2; digits short of that \(usable takes\): 0 \(1\), 1 \(1\), 2 \(1\)/,
  );
  assert.ok(!fs.existsSync(path.join(tmp, 'x')));
});

test('an existing output folder is not replaced unless asked, nor the base model', async () => {
  const out = path.join(tmp, 'existing');
  fs.mkdirSync(out);
  fs.writeFileSync(path.join(out, 'keep.txt'), 'mine');
  const takes = Array.from({ length: 10 }, (_, d) => fsddTake(`${d}_theo_0.wav`));
  await assert.rejects(
    enrolVoice({ baseModelDir: MODEL5_DIR, takes, outDir: out }),
    /existing already exists; choose another folder or allow overwriting it \(--force\)/,
  );
  assert.equal(fs.readFileSync(path.join(out, 'keep.txt'), 'utf8'), 'mine');
  await assert.rejects(
    enrolVoice({ baseModelDir: MODEL5_DIR, takes, outDir: MODEL5_DIR, overwrite: true }),
    /cannot replace its own base model/,
  );
});

test('changeSpeed plays a signal faster or slower by linear interpolation', () => {
  const ramp = Float32Array.from({ length: 101 }, (_, i) => i);
  const fast = changeSpeed(ramp, 1.25);
  assert.equal(fast.length, 81);
  assert.ok(Math.abs(fast[40] - 50) < 1e-4);
  assert.equal(changeSpeed(ramp, 0.5).length, 201);
  assert.ok(Math.abs(changeSpeed(ramp, 0.5)[3] - 1.5) < 1e-6);
});

test('enrolling one take per digit of an FSDD speaker on model 5 gives a model folder that loads and recognises', async () => {
  const out = path.join(tmp, 'voices', 'theo');
  const takes = Array.from({ length: 10 }, (_, d) => fsddTake(`${d}_theo_1.wav`));
  takes.push({ ...silent(4), name: '4_theo_bad.wav' });
  let last = 0;
  const result = await enrolVoice({
    baseModelDir: MODEL5_DIR,
    takes,
    outDir: out,
    voiceName: 'theo',
    seed: 5,
    onProgress: (done, total) => {
      assert.ok(done > last && done <= total);
      last = done;
    },
  });
  assert.equal(result.outDir, out);
  assert.equal(result.method, 'head-finetune');
  assert.deepEqual(
    result.takesUsed,
    takes.slice(0, 10).map((t) => t.name),
  );
  assert.deepEqual(
    result.rejected.map((r) => r.name),
    ['4_theo_bad.wav'],
  );
  assert.ok(result.seconds > 0);

  // A normal model folder: the base's features.json and labels byte for byte, the takes playable.
  for (const f of ['features.json', 'labels.json'])
    assert.deepEqual(fs.readFileSync(path.join(out, f)), fs.readFileSync(path.join(MODEL5_DIR, f)), f);
  const meta = readEnrolmentMeta(out);
  assert.ok(meta);
  assert.equal(meta.baseModel, MODEL5_DIR);
  assert.equal(meta.voiceName, 'theo');
  assert.deepEqual(
    meta.takes.map((t) => t.source),
    result.takesUsed,
  );
  assert.equal(meta.settings.seed, 5);
  for (const t of meta.takes) {
    const w = decodeWav(new Uint8Array(fs.readFileSync(path.join(out, t.file))));
    assert.equal(w.sampleRate, 8000);
    assert.ok(w.samples.length > 800);
  }
  assert.deepEqual(
    listVoices(path.dirname(out)).map((v) => [v.name, v.takes, v.baseModel]),
    [['theo', 10, MODEL5_DIR]],
  );

  // The head changed, the rest of the network did not; its unknown threshold is the base's.
  const r = await loadRecognizer(out);
  const b = await loadRecognizer(MODEL5_DIR);
  try {
    assert.equal(r.unknownThreshold, b.unknownThreshold);
    const changed = r.model.layers.filter((l, i) =>
      l.getWeights().some((w, j) => {
        const a = w.dataSync();
        const c = b.model.layers[i].getWeights()[j].dataSync();
        return a.some((v, k) => v !== c[k]);
      }),
    );
    assert.deepEqual(
      changed.map((l) => l.name),
      ['digit'],
    );
    // It recognises the takes it was taught and the same speaker's other takes.
    const held = Array.from({ length: 10 }, (_, d) => `${d}_theo_${20 + d}.wav`);
    for (const file of [...takes.slice(0, 10).map((t) => t.name), ...held]) {
      const t = fsddTake(file);
      const got = await r.classify(t.samples, t.sampleRate);
      assert.equal(got.label, String(t.digit), file);
    }
  } finally {
    r.dispose();
    b.dispose();
  }
});

test("a notebook spectrogram LSTM (model 2's network) is adapted the same way: only its last Dense changes", async () => {
  const config = JSON.parse(fs.readFileSync(path.join(MODEL5_DIR, 'features.json'), 'utf8'));
  // Small and untrained: the mechanics are under test (the LSTM runs, the head is found and rewritten), not accuracy.
  const net = buildSpectrogramModel({ units: 16, denseUnits: 16, seed: 1 });
  const baseDir = path.join(tmp, 'lstm-base');
  await saveModelDir(net, baseDir, { featureConfig: config, labels: [...'0123456789'], extra: { title: 'tiny LSTM' } });
  net.dispose();
  const out = path.join(tmp, 'lstm-voice');
  const takes = Array.from({ length: 10 }, (_, d) => fsddTake(`${d}_jackson_3.wav`));
  await enrolVoice({ baseModelDir: baseDir, takes, outDir: out, settings: { copies: 2, steps: 10 } });
  const [a, b] = [await loadRecognizer(out), await loadRecognizer(baseDir)];
  try {
    const changed = a.model.layers
      .filter((l, i) =>
        l
          .getWeights()
          .some((w, j) => w.dataSync().some((v, k) => v !== b.model.layers[i].getWeights()[j].dataSync()[k])),
      )
      .map((l) => l.name);
    assert.deepEqual(changed, ['dense_1']);
    assert.equal(a.info.meta.title, 'tiny LSTM, enrolled for lstm-voice');
    const got = await a.classify(takes[0].samples, takes[0].sampleRate);
    assert.equal(got.probabilities.length, 10);
  } finally {
    a.dispose();
    b.dispose();
  }
});

test('enrolVoice runs in a worker thread, reporting progress while the main thread stays free', async () => {
  const takes = Array.from({ length: 10 }, (_, d) => fsddTake(`${d}_yweweler_4.wav`));
  const out = path.join(tmp, 'worker-voice');
  const worker = spawnTsWorker(path.join(__dirname, 'testing', 'enrol-worker.ts'), {
    workerData: { baseModelDir: MODEL5_DIR, takes, outDir: out, settings: { copies: 2, steps: 20 } },
  });
  let progress = 0;
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const result = await new Promise<{ outDir: string; takesUsed: string[] }>((resolve, reject) => {
    worker.on('message', (m: { progress?: [number, number]; result?: never; error?: string }) => {
      if (m.progress) progress = m.progress[0];
      else if (m.error) reject(new Error(m.error));
      else resolve(m.result!);
    });
    worker.on('error', reject);
  });
  clearInterval(timer);
  await worker.terminate();
  assert.equal(result.outDir, out);
  assert.equal(result.takesUsed.length, 10);
  assert.equal(progress, 10 * 2 + 20);
  assert.ok(ticks > 0, 'the main thread ran timers while the worker enrolled');
  assert.ok(fs.existsSync(path.join(out, 'model.json')));
});
