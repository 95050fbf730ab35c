import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXPERIMENTS } from '../experiments';
import { conclusions } from './conclusions';

const input = (id: number, valF1: number, epochs = 5) => ({ experiment: EXPERIMENTS[id - 1], valF1, epochs });

test("conclusions state the differences from our numbers, beside the notebook's", () => {
  const lines = conclusions([input(1, 0.1), input(2, 0.9), input(3, 0.098), input(4, 0.93, 7)], false);
  assert.match(
    lines[0],
    /^Spectrogram vs raw audio: the spectrogram model \(val F1 0\.900\) beats the raw-audio model \(0\.100\) by 80\.0 points; the notebook: \+76\.7 points, the same direction\.$/,
  );
  assert.match(
    lines[2],
    /^Augmentation, spectrogram input: .* beats training without them \(0\.900\) by 3\.0 points; the notebook: \+4\.2 points, the same direction\.$/,
  );
  assert.match(
    lines[3],
    /ties with training without them \(0\.100\) \(-0\.2 points\); the notebook: \+2\.4 points, a different direction/,
  );
  assert.match(lines[4], /raw-audio LSTMs stay at chance \(val F1 0\.100, 0\.098/);
  assert.match(lines[5], /Best model of this run: #4 Spectrogram with augmentation, val F1 0\.930/);
  assert.equal(lines.length, 6);
});

test('a finding that goes against the notebook says so, and missing models are named', () => {
  const lines = conclusions([input(2, 0.85), input(4, 0.8)], true);
  assert.match(lines[0], /Spectrogram vs raw audio: not compared, model 1 is missing/);
  assert.match(
    lines[2],
    /trails training without them \(0\.850\) by 5\.0 points; the notebook: \+4\.2 points, a different direction/,
  );
  assert.match(lines.at(-1)!, /--quick run/);
});
