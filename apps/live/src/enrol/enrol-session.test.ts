import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EnrolStateMessageSchema, EnrolTakeAudioMessageSchema, ENROL_AUDIO_MAX_BASE64 } from '@digits/protocol';
import { EnrolSession, MAX_TAKE_SECONDS, takeAudioBase64, takeThumbnail } from './enrol-session';

const RATE = 22050;
const tone = (seconds: number, amp = 0.3, rate = RATE) =>
  Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => amp * Math.sin((2 * Math.PI * 300 * i) / rate));

test('prompts go digit by digit, N takes each, and end when every take is in', () => {
  const s = new EnrolSession('ada', 2);
  const seen: string[] = [];
  while (s.prompt) {
    const p = s.prompt;
    seen.push(`${p.digit}.${p.take}`);
    assert.equal(p.redo, false);
    const t = s.accept(tone(0.4), RATE);
    assert.deepEqual([t?.digit, t?.take], [p.digit, p.take]);
  }
  assert.deepEqual(
    seen,
    Array.from({ length: 20 }, (_, i) => `${Math.floor(i / 2)}.${(i % 2) + 1}`),
  );
  assert.equal(s.size, 20);
  // Every take in: a further utterance is not a take, and the count stays bounded.
  assert.equal(s.accept(tone(0.4), RATE), null);
  assert.equal(s.size, 20);
  assert.deepEqual(s.digitsMissing(), []);
  assert.deepEqual(
    s
      .enrolTakes()
      .map((t) => t.name)
      .slice(0, 3),
    ['0_ada_1', '0_ada_2', '1_ada_1'],
  );
});

test('a redo asks that take again, the next utterance replaces it, then prompts go on where they were', () => {
  const s = new EnrolSession('ada', 3);
  for (let i = 0; i < 4; i++) s.accept(tone(0.3 + i * 0.1), RATE); // 0.1 0.2 0.3 1.1
  assert.deepEqual(s.prompt, { digit: 1, take: 2, redo: false });
  assert.equal(s.redo(0, 2), null);
  assert.deepEqual(s.prompt, { digit: 0, take: 2, redo: true });
  const before = s.get(0, 2);
  const again = s.accept(tone(0.9), RATE);
  assert.notEqual(again, before);
  assert.equal(s.get(0, 2), again);
  assert.equal(s.size, 4);
  assert.deepEqual(s.prompt, { digit: 1, take: 2, redo: false });
  // Takes that do not exist or were never recorded are refused with a reason.
  assert.match(s.redo(0, 4) ?? '', /take 4 does not exist: this enrolment has 3 per digit/);
  assert.match(s.redo(5, 1) ?? '', /take 1 of 5 has not been recorded yet/);
  // Redoing the take already prompted is harmless.
  assert.equal(s.redo(1, 2), null);
  assert.deepEqual(s.prompt, { digit: 1, take: 2, redo: false });
});

test('takes are copies, cut to MAX_TAKE_SECONDS; takes with a problem do not count', () => {
  const s = new EnrolSession('ada', 1);
  const long = tone(MAX_TAKE_SECONDS + 2);
  const t = s.accept(long, RATE);
  assert.equal(t?.samples.length, MAX_TAKE_SECONDS * RATE);
  long.fill(0);
  assert.ok((t?.samples[100] ?? 0) !== 0, 'the take is a copy');
  assert.deepEqual(s.digitsMissing(), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  if (t) t.problem = 'too quiet';
  assert.deepEqual(s.digitsMissing(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(s.enrolTakes().length, 0);
  const state = s.state();
  assert.equal(EnrolStateMessageSchema.safeParse(state).success, true);
  assert.equal(state.takes[0].problem, 'too quiet');
  assert.equal(state.takes[0].durationMs, MAX_TAKE_SECONDS * 1000);
  assert.deepEqual(state.prompt, { digit: 1, take: 1, redo: false });
  assert.equal(s.state({ done: 1, total: 4 }).prompt, null, 'no prompt while training');
  assert.throws(() => new EnrolSession('ada', 6), /takesPerDigit must be 1-5, got 6/);
  assert.throws(() => new EnrolSession('ada', 0), /takesPerDigit/);
});

test('the thumbnail is a bounded peak envelope scaled to 1', () => {
  const x = new Float32Array(4800);
  for (let i = 2400; i < 3600; i++) x[i] = i % 2 ? 0.5 : -0.25;
  const th = takeThumbnail(x);
  assert.equal(th.length, 48);
  assert.equal(Math.max(...th), 1);
  assert.equal(th[0], 0);
  assert.equal(th[30], 1);
  assert.deepEqual(takeThumbnail(new Float32Array(10)), new Array(10).fill(0));
  assert.deepEqual(takeThumbnail(new Float32Array(0)), []);
});

test('take audio is 16-bit PCM at 16 kHz, cut to 1.5 s, within the protocol bound', () => {
  const b64 = takeAudioBase64(tone(3, 0.5), RATE);
  assert.equal(b64.length, ENROL_AUDIO_MAX_BASE64);
  const pcm = Buffer.from(b64, 'base64');
  assert.equal(pcm.length, 1.5 * 16000 * 2);
  let peak = 0;
  for (let i = 0; i < pcm.length; i += 2) peak = Math.max(peak, Math.abs(pcm.readInt16LE(i)));
  assert.ok(peak > 15000 && peak <= 16500, `peak ${peak}`);
  const s = new EnrolSession('ada', 1);
  s.accept(tone(0.5), RATE);
  const audio = s.audio(0, 1);
  assert.equal(EnrolTakeAudioMessageSchema.safeParse(audio).success, true);
  assert.equal(Buffer.from(audio?.pcm ?? '', 'base64').length, 0.5 * 16000 * 2);
  assert.equal(s.audio(1, 1), undefined);
});
