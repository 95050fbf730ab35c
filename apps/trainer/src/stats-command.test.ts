import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { encodeWav16 } from '@digits/dsp';
import { FSDD_RECORDINGS, LIBROSA_REFERENCE } from '@digits/dsp/testing';
import { registerStatsCommand, runStats, type StatsIo, type StatsReport } from './stats-command';

// The real recordings: FSDD_DATA if set, else the shared copy beside the repository (as CI lays it out).
const REAL_FSDD = FSDD_RECORDINGS;
const REFERENCE = path.join(LIBROSA_REFERENCE, 'duration_stats.json');

/** Captures what the command prints; FSDD_DATA cleared so only --data counts. */
function capture(): { io: Partial<StatsIo>; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: {}, interactive: false },
    out: () => out,
    err: () => err,
  };
}

/** A `digits` program with only the stats command, which throws instead of exiting. */
function program(io: Partial<StatsIo>): { program: Command; output: () => string } {
  let output = '';
  const p = new Command('digits')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void (output += s), writeErr: (s) => void (output += s) });
  registerStatsCommand(p, io).exitOverride();
  return { program: p, output: () => output };
}

test('digits stats --json on the real data: 2,000 clips, 200 per digit, 1,600/400 split, percentiles equal librosa', async () => {
  const ref = JSON.parse(await readFile(REFERENCE, 'utf8'));
  const c = capture();
  const { program: p } = program(c.io);
  await p.parseAsync(['node', 'digits', 'stats', '--data', REAL_FSDD, '--json']);
  const report = JSON.parse(c.out()) as StatsReport;
  assert.equal(report.clips, 2000);
  assert.equal(report.skipped.count, 0);
  assert.deepEqual(report.speakers, ['jackson', 'nicolas', 'theo', 'yweweler']);
  assert.deepEqual(Object.values(report.perDigit), Array(10).fill(200));
  assert.deepEqual(report.perSpeaker, { jackson: 500, nicolas: 500, theo: 500, yweweler: 500 });
  assert.equal(report.perSpeakerDigit.theo['7'], 50);
  assert.deepEqual(
    { ...report.split, testPerDigit: undefined },
    { method: 'stratified', seed: 33, testFraction: 0.2, train: 1600, test: 400, testPerDigit: undefined },
  );
  assert.deepEqual(Object.values(report.split.testPerDigit), Array(10).fill(40));
  for (const [k, v] of Object.entries(ref.percentiles_0_100_step10))
    assert.ok(Math.abs(report.durations.all.percentilesStep10[Number(k)] - (v as number)) <= 1e-12, `p${k}`);
  for (const [k, v] of Object.entries(ref.percentiles_90_100_step1))
    assert.ok(Math.abs(report.durations.all.percentilesTop[Number(k)] - (v as number)) <= 1e-12, `p${k}`);
  assert.ok(Math.abs(report.padding.p99 - ref.percentiles_90_100_step1['99']) <= 1e-12);
  assert.deepEqual(
    [report.padding.samples, report.padding.longerThanPad, report.padding.longest.name],
    [17640, 19, '9_theo_16.wav'],
  );
  assert.equal(report.durations.train.count + report.durations.test.count, 2000);
  assert.equal(report.durations.train.longerThanPad + report.durations.test.longerThanPad, 19);
  assert.equal(c.err(), '');
});

test('digits stats prints the exploration as text, and --seed changes only the split', async () => {
  const a = capture();
  const report = await runStats({ data: REAL_FSDD }, a.io);
  const text = a.out();
  assert.match(text, /^Clips: 2,000 from 4 speakers \(jackson, nicolas, theo, yweweler\)$/m);
  assert.match(text, /^Skipped entries: 0$/m);
  assert.match(text, /│ total\s+│ 200 │ 200 │/);
  assert.match(text, /seed 33, test fraction 0\.2: 1,600 train \/ 400 test \(40 per digit\)/);
  assert.match(text, /│\s+99 │ 0\.7960 │/);
  assert.match(text, /│\s+100 │ 2\.2828 │/);
  assert.match(text, /0\.8 s = 17,640 samples at 22,050 Hz\. The 99th percentile is 0\.7960 s, just under 0\.8 s/);
  assert.match(
    text,
    /19 of 2,000 clips \(0\.95%\) are longer and get truncated; the longest is 9_theo_16\.wav at 2\.2828 s/,
  );

  const b = capture();
  const other = await runStats({ data: REAL_FSDD, seed: 7, json: true }, b.io);
  assert.equal(other.split.seed, 7);
  assert.deepEqual(other.durations.all, report.durations.all);
  assert.notDeepEqual(other.durations.test.percentilesStep10, report.durations.test.percentilesStep10);
});

test('digits stats reports skipped files and speakers left out by the default filter', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'digits-stats-'));
  try {
    const wav = encodeWav16(new Float32Array(800).fill(0.1), 8000);
    for (const s of ['george', 'jackson', 'nicolas', 'theo', 'yweweler']) {
      for (let d = 0; d < 10; d++) await writeFile(path.join(dir, `${d}_${s}_0.wav`), wav);
    }
    await writeFile(path.join(dir, '3_theo_1.wav'), 'garbage');
    await writeFile(path.join(dir, 'notes.txt'), 'x');
    const c = capture();
    const report = await runStats({ data: dir }, c.io);
    assert.equal(report.clips, 40);
    assert.deepEqual(report.excludedSpeakers, [{ speaker: 'george', clips: 10 }]);
    assert.deepEqual(
      report.skipped.entries.map((s) => s.name),
      ['3_theo_1.wav', 'notes.txt'],
    );
    const text = c.out();
    assert.match(
      text,
      /^Speakers left out: george \(10 clips\)\. The notebook uses jackson, nicolas, theo, yweweler; --speakers all keeps every speaker\.$/m,
    );
    assert.match(text, /^Skipped entries: 2$/m);
    assert.match(text, /^ {2}3_theo_1\.wav: not a RIFF\/WAVE file/m);

    const all = capture();
    const { program: p } = program(all.io);
    await p.parseAsync(['node', 'digits', 'stats', '--data', dir, '--speakers', 'all', '--json']);
    assert.equal((JSON.parse(all.out()) as StatsReport).clips, 50);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('digits stats --help names every option; a bad --seed is refused', async () => {
  const { program: p, output } = program(capture().io);
  await assert.rejects(p.parseAsync(['node', 'digits', 'stats', '--help']), { code: 'commander.helpDisplayed' });
  for (const s of [
    '--data <folder|zip>',
    '--seed <n>',
    '--speakers <names|all>',
    '--json',
    'FSDD_DATA',
    'default: 33',
    '0.8 s',
  ]) {
    assert.ok(output().includes(s), s);
  }
  const bad = program(capture().io);
  await assert.rejects(bad.program.parseAsync(['node', 'digits', 'stats', '--seed', 'x1']), {
    code: 'commander.invalidArgument',
  });
  assert.match(bad.output(), /expected an integer from 0 to 4294967295/);
});

test('digits stats with a missing --data path fails naming it', async () => {
  const c = capture();
  await assert.rejects(
    runStats({ data: '/no/such/recordings.zip' }, c.io),
    /--data path not found: \/no\/such\/recordings\.zip/,
  );
});

test('digits stats on 1 or 2 clips says the split is empty, not that there are no clips', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'digits-stats-few-'));
  try {
    const wav = encodeWav16(new Float32Array(800).fill(0.1), 8000);
    await writeFile(path.join(dir, '3_theo_0.wav'), wav);
    await assert.rejects(
      runStats({ data: dir }, capture().io),
      /1 clip leaves the test split empty .*need clips in both train and test/,
    );
    await writeFile(path.join(dir, '4_theo_0.wav'), wav);
    await assert.rejects(runStats({ data: dir }, capture().io), /2 clips leave the test split empty/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
