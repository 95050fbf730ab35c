import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareClips, parseClipName, type Sortable } from './clip-name';

test('parseClipName reads digit, speaker and take from {digit}_{speaker}_{index}.wav', () => {
  assert.deepEqual(parseClipName('7_jackson_32.wav'), { digit: 7, speaker: 'jackson', take: 32 });
  assert.deepEqual(parseClipName('0_yweweler_0.WAV'), { digit: 0, speaker: 'yweweler', take: 0 });
});

test('parseClipName rejects names that are not FSDD recordings', () => {
  for (const name of [
    'README.md',
    '7_jackson.wav',
    '12_jackson_3.wav',
    'x_jackson_3.wav',
    '7_jackson_3.mp3',
    '7_jack_son_3.wav',
    '._7_jackson_3.wav',
    '7__3.wav',
    '7_jackson_a.wav',
    'recordings/7_jackson_3.wav',
  ]) {
    assert.equal(parseClipName(name), null, name);
  }
});

const item = (name: string): Sortable => {
  const p = parseClipName(name);
  return { name, digit: p?.digit ?? null, speaker: p?.speaker ?? null, take: p?.take ?? null };
};

test('compareClips orders by digit, speaker, numeric take, then unlabelled names last', () => {
  const names = [
    'hello.wav',
    '1_theo_0.wav',
    '0_theo_10.wav',
    '0_theo_2.wav',
    '0_jackson_5.wav',
    'a.wav',
    '0_theo_02.wav',
  ];
  const sorted = names
    .map(item)
    .sort(compareClips)
    .map((c) => c.name);
  assert.deepEqual(sorted, [
    '0_jackson_5.wav',
    '0_theo_02.wav',
    '0_theo_2.wav',
    '0_theo_10.wav',
    '1_theo_0.wav',
    'a.wav',
    'hello.wav',
  ]);
});
