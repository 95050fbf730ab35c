import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { clipDuration, durationStatistics, resampledLength } from './durations';
import { readDataset } from './read-dataset';
import { REAL_FSDD, REFERENCE_DURATIONS } from './test-support';

test('resampledLength is ceil(n * 22050 / rate), exact at multiples', () => {
  // From the librosa reference README: 8 kHz lengths and their loaded lengths at 22,050 Hz.
  assert.equal(resampledLength(5148, 8000), 14190);
  assert.equal(resampledLength(18262, 8000), 50335);
  assert.equal(resampledLength(1148, 8000), 3165);
  assert.equal(resampledLength(160, 8000), 441, 'a multiple of 160 needs no padding sample');
  assert.equal(resampledLength(161, 8000), 444);
  assert.equal(resampledLength(1000, 22050), 1000);
  assert.equal(clipDuration({ numSamples: 8000, sampleRate: 8000 }), 1);
});

test('durationStatistics on hand-made clips: percentiles, pad count, min/max names, per speaker', () => {
  const clip = (name: string, speaker: string, n8k: number) => ({ name, speaker, numSamples: n8k, sampleRate: 8000 });
  const s = durationStatistics([
    clip('a', 'x', 1600),
    clip('b', 'x', 8000),
    clip('c', 'y', 6400),
    clip('d', 'y', 6560),
  ]);
  // 1600 -> 0.2 s, 8000 -> 1 s, 6400 -> 0.8 s exactly (not longer), 6560 -> 0.82 s.
  assert.equal(s.count, 4);
  assert.equal(s.longerThanPad, 2);
  assert.deepEqual(s.pad, { seconds: 0.8, samples: 17640 });
  assert.deepEqual(s.min, { seconds: 0.2, name: 'a' });
  assert.deepEqual(s.max, { seconds: 1, name: 'b' });
  assert.ok(Math.abs(s.percentilesStep10[50] - 0.81) < 1e-15);
  assert.deepEqual(s.perSpeaker.x, { n: 2, mean: 0.6, max: 1, longerThanPad: 1 });
  assert.equal(s.perSpeaker.y.longerThanPad, 1);
  assert.throws(() => durationStatistics([]), RangeError);
});

test('duration statistics of the real recordings equal librosa + numpy (duration_stats.json)', async () => {
  const ref = JSON.parse(readFileSync(REFERENCE_DURATIONS, 'utf8'));
  const { clips } = await readDataset(REAL_FSDD);
  const s = durationStatistics(clips);
  const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12, `${what}: ${a} vs ${b}`);
  assert.equal(s.count, ref.n_files);
  assert.equal(s.sampleRate, ref.sr);
  for (const [p, v] of Object.entries(ref.percentiles_0_100_step10))
    close(s.percentilesStep10[Number(p)], v as number, `p${p}`);
  for (const [p, v] of Object.entries(ref.percentiles_90_100_step1))
    close(s.percentilesTop[Number(p)], v as number, `p${p}`);
  close(s.mean, ref.mean, 'mean');
  close(s.std, ref.std, 'std');
  close(s.min.seconds, ref.min, 'min');
  close(s.max.seconds, ref.max, 'max');
  assert.equal(s.longerThanPad, ref.count_longer_than_0_8s);
  assert.equal(s.pad.samples, ref.pad_len);
  assert.equal(s.pad.seconds, ref.pad_seconds);
  assert.equal(`recordings/${s.max.name}`, ref.longest_file);
  assert.equal(`recordings/${s.min.name}`, ref.shortest_file);
  assert.deepEqual(Object.keys(s.perSpeaker), Object.keys(ref.per_speaker));
  for (const [speaker, r] of Object.entries(ref.per_speaker) as [
    string,
    { n: number; mean: number; max: number; count_longer_than_0_8s: number },
  ][]) {
    const got = s.perSpeaker[speaker];
    assert.equal(got.n, r.n, speaker);
    close(got.mean, r.mean, `${speaker} mean`);
    close(got.max, r.max, `${speaker} max`);
    assert.equal(got.longerThanPad, r.count_longer_than_0_8s, speaker);
  }
});
