import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_MODEL_DIR, loadRecognizer } from '@digits/model';
import { enrolTarget, formatVoices, runEnrolCommand, type EnrolCommandOptions } from './enrol-command';

const ROOT = path.resolve(__dirname, '../../..');
const FSDD = process.env.FSDD_DATA ?? path.resolve(ROOT, '../shared/fsdd/recordings');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'enrol-command-'));
const saved = process.env.DIGITS_HOME;
process.env.DIGITS_HOME = path.join(tmp, 'home');
after(() => {
  if (saved === undefined) delete process.env.DIGITS_HOME;
  else process.env.DIGITS_HOME = saved;
  fs.rmSync(tmp, { recursive: true, force: true });
});

const opts = (o: Partial<EnrolCommandOptions>): EnrolCommandOptions => ({
  model: DEFAULT_MODEL_DIR,
  takes: path.join(tmp, 'takes'),
  seed: 33,
  minTakes: 1,
  ...o,
});

test('enrolTarget: --voice goes under $DIGITS_HOME/voices; --out takes the voice name from the files or the folder', () => {
  assert.deepEqual(enrolTarget(opts({ voice: 'ann' }), ['x']), {
    outDir: path.join(tmp, 'home', 'voices', 'ann'),
    voiceName: 'ann',
  });
  assert.equal(enrolTarget(opts({ out: '/m/Bob' }), ['alice']).voiceName, 'alice');
  assert.equal(enrolTarget(opts({ out: '/m/Bob' }), ['alice', 'carol']).voiceName, 'bob');
  assert.throws(() => enrolTarget(opts({ out: '/m/x', voice: 'ann' }), []), /give --out DIR or --voice NAME, not both/);
  assert.throws(() => enrolTarget(opts({}), []), /give --out DIR \(a model folder\) or --voice NAME/);
  assert.throws(() => enrolTarget(opts({ voice: 'Ann Smith' }), []), /voice name "Ann Smith"/);
});

test('digits enrol --voice writes a voice that `digits voices` lists and the recognizer loads; a second run needs --force', async () => {
  fs.mkdirSync(path.join(tmp, 'takes'));
  for (let d = 0; d < 10; d++)
    fs.copyFileSync(path.join(FSDD, `${d}_nicolas_2.wav`), path.join(tmp, 'takes', `${d}_nicolas_2.wav`));
  const lines: string[] = [];
  const dir = await runEnrolCommand(opts({ voice: 'nico' }), (l) => lines.push(l));
  assert.equal(dir, path.join(tmp, 'home', 'voices', 'nico'));
  assert.match(lines.join('\n'), /voice "nico" enrolled from 10 takes in [\d.]+ s \(head-finetune\)/);
  assert.match(lines.join('\n'), /digits live --voice nico/);
  const table = formatVoices(path.join(tmp, 'home', 'voices'));
  assert.match(table, /^voices in .*\nname +base model +takes +created +method\nnico +\S+models\/default +10 +\d{4}-/);
  const r = await loadRecognizer(dir);
  assert.deepEqual(r.labels, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  r.dispose();
  await assert.rejects(
    runEnrolCommand(opts({ voice: 'nico' }), () => {}),
    /nico already exists.*--force/,
  );
  assert.equal(
    formatVoices(path.join(tmp, 'none')),
    `no voices in ${path.join(tmp, 'none')} (enrol one: digits enrol --takes DIR --voice NAME)`,
  );
});
