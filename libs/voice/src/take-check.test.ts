import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTake, speechSpan, type EnrolTake } from './take-check';

/** A 300 Hz tone of `seconds` at `amp`, with `padSeconds` of silence either side, at 8 kHz. */
function tone(seconds: number, amp = 0.3, padSeconds = 0.1, rate = 8000): EnrolTake {
  const pad = Math.round(padSeconds * rate);
  const n = Math.round(seconds * rate);
  const samples = new Float32Array(n + 2 * pad);
  for (let i = 0; i < n; i++) samples[pad + i] = amp * Math.sin((2 * Math.PI * 300 * i) / rate);
  return { digit: 3, name: '3_alice_0.wav', samples, sampleRate: rate };
}

test('a 0.4 s tone with silence around it is a usable take', () => {
  assert.equal(checkTake(tone(0.4)), null);
});

test('speechSpan finds the tone inside its silence, to within a 5 ms window', () => {
  const { start, end } = speechSpan(tone(0.4).samples, 8000);
  assert.ok(Math.abs(start - 800) <= 40, `start ${start}`);
  assert.ok(Math.abs(end - 4000) <= 40, `end ${end}`);
});

test('too little audio, or too little speech in it, is too short', () => {
  assert.match(checkTake(tone(0.05, 0.3, 0)) ?? '', /^too short: 0\.05 s of audio/);
  assert.match(checkTake(tone(0.05, 0.3, 0.2)) ?? '', /^too short: 0\.05 s of speech/);
});

test('more than 1.5 s of speech is too long', () => {
  assert.match(checkTake(tone(2)) ?? '', /^too long: 2\.00 s of speech/);
});

test('silence and a whisper far below -45 dBFS are silent', () => {
  assert.match(checkTake({ ...tone(0.4), samples: new Float32Array(4000) }) ?? '', /^silent: peak level -inf dBFS/);
  assert.match(checkTake(tone(0.4, 0.001)) ?? '', /^silent: peak level -60 dBFS/);
});

test('a take driven into full scale is clipped', () => {
  const t = tone(0.4, 3);
  for (let i = 0; i < t.samples.length; i++) t.samples[i] = Math.max(-1, Math.min(1, t.samples[i]));
  assert.match(checkTake(t) ?? '', /^clipped: \d+\.\d% of samples at full scale/);
});

test('non-finite samples, a bad rate and a digit outside 0-9 are named', () => {
  const t = tone(0.4);
  t.samples[1000] = NaN;
  assert.equal(checkTake(t), 'sample 1000 is not a finite number');
  assert.match(checkTake({ ...tone(0.4), sampleRate: 0 }) ?? '', /^sample rate 0 Hz/);
  assert.equal(checkTake({ ...tone(0.4), digit: 10 }), 'digit 10 is not 0-9');
});

test('a take at 48 kHz is judged like the same take at 8 kHz', () => {
  assert.equal(checkTake(tone(0.4, 0.3, 0.1, 48000)), null);
  assert.match(checkTake(tone(2, 0.3, 0.1, 48000)) ?? '', /^too long/);
});
