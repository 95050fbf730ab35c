import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Subject } from 'rxjs';
import { DigitsMessageSchema, PredictionMessageSchema, type DigitsMessage } from '@digits/protocol';
import type { StringFrame, StringSession } from '../classifier/classifier';
import { digitStrings, STRING_DEFAULTS, STRING_RATE, type StringInput, type StringOutput } from './digit-strings';

/**
 * A fake string model: it emits each script entry's digit on the frame (80 ms) whose end passes its time,
 * blank elsewhere, and records what each session was pushed. The test's audio holds each sample's stream
 * index, so the fake knows the stream time of every frame it hears.
 */
class FakeStrings {
  readonly sessions: { pushed: number; closed: boolean; firstPush: number; head: number[] }[] = [];
  /** Stream ms of each digit to emit, with its digit. */
  constructor(private readonly script: { atMs: number; digit: number }[] = []) {}
  /** Stream samples read so far (the test keeps it). */
  streamSamples = 0;

  open = (): StringSession => {
    const s = { pushed: 0, closed: false, firstPush: -1, head: [] as number[] };
    this.sessions.push(s);
    return {
      push: async (samples) => {
        if (s.firstPush < 0) s.firstPush = samples.length;
        // The first second a stream hears, kept for the pre-roll test.
        for (let i = 0; i < samples.length && s.head.length < STRING_RATE; i++) s.head.push(samples[i]);
        const frames: StringFrame[] = [];
        const before = s.pushed;
        s.pushed += samples.length;
        for (let end = Math.ceil((before + 1) / 1280) * 1280; end <= s.pushed; end += 1280) {
          const ms = ((samples[end - before - 1] + 1) / STRING_RATE) * 1000;
          const hit = this.script.find((e) => e.atMs > ms - 80 && e.atMs <= ms);
          const digitProbs = Array.from({ length: 10 }, (_, d) => (hit && d === hit.digit ? 0.9 : 0.01));
          frames.push({ endSample: end, best: hit ? hit.digit : 10, digitProbs, ...(hit ? { digit: hit.digit } : {}) });
        }
        return frames;
      },
      close: async () => {
        s.closed = true;
      },
    };
  };
}

/** Feeds `events` (speech edges at ms, and silence up to `untilMs`) in 10 ms blocks; returns the outputs. */
async function run(
  fake: FakeStrings,
  edges: { tMs: number; state: 'start' | 'end' }[],
  untilMs: number,
  opts: Parameters<typeof digitStrings>[1] = {},
): Promise<{ out: StringOutput[]; closedAtMs: number[] }> {
  const input = new Subject<StringInput>();
  const out: StringOutput[] = [];
  const closedAtMs: number[] = [];
  const done = new Promise<void>((resolve, reject) =>
    input.pipe(digitStrings(fake.open, opts)).subscribe({
      next: (m) => {
        out.push(m);
        if (m.type === 'digits') closedAtMs.push((fake.streamSamples / STRING_RATE) * 1000);
      },
      error: reject,
      complete: resolve,
    }),
  );
  const block = STRING_RATE / 100;
  for (let ms = 0; ms < untilMs; ms += 10) {
    for (const e of edges.filter((x) => x.tMs === ms)) input.next({ kind: 'speech', state: e.state, tMs: e.tMs });
    const samples = Float32Array.from({ length: block }, (_, i) => fake.streamSamples + i);
    fake.streamSamples += block;
    input.next({ kind: 'audio', samples });
    // Let the fake's answers (promises) land, as a worker's would between audio chunks.
    await new Promise((r) => setImmediate(r));
  }
  input.complete();
  await done;
  return { out, closedAtMs };
}

const digitsOf = (out: StringOutput[]) => out.filter((m): m is DigitsMessage => m.type === 'digits');

test('digitStrings: silence gives nothing and opens no stream', async () => {
  const fake = new FakeStrings([{ atMs: 500, digit: 3 }]);
  const { out } = await run(fake, [], 3000);
  assert.deepEqual(out, []);
  assert.equal(fake.sessions.length, 0);
});

test('digitStrings: a 3-digit group gives 3 predictions as they come, then one digits message after the hangover', async () => {
  const fake = new FakeStrings([
    { atMs: 1300, digit: 5 },
    { atMs: 1700, digit: 5 },
    { atMs: 2300, digit: 1 },
  ]);
  // Two segments 100 ms apart (one group), a third 400 ms later (a new group).
  const edges = [
    { tMs: 1000, state: 'start' as const },
    { tMs: 1400, state: 'end' as const },
    { tMs: 1500, state: 'start' as const },
    { tMs: 1800, state: 'end' as const },
    { tMs: 2200, state: 'start' as const },
    { tMs: 2400, state: 'end' as const },
  ];
  const { out, closedAtMs } = await run(fake, edges, 5000);
  assert.deepEqual(
    out.map((m) => m.type),
    ['prediction', 'prediction', 'prediction', 'digits'],
  );
  for (const m of out) {
    if (m.type === 'prediction') assert.equal(PredictionMessageSchema.safeParse(m).success, true);
    else assert.equal(DigitsMessageSchema.safeParse(m).success, true, JSON.stringify(m));
  }
  const [d] = digitsOf(out);
  assert.equal(d.text, '551');
  assert.equal(d.grouped, '55 1');
  assert.equal(d.reason, 'pause');
  assert.equal(d.startMs, 1000);
  assert.equal(d.endMs, 2400);
  // Closed once the stream reached the last speech end + the hangover (to the 10 ms block).
  assert.ok(Math.abs(closedAtMs[0] - (2400 + STRING_DEFAULTS.hangoverMs)) <= 10, `closed at ${closedAtMs[0]}`);
  // Each digit's span ends on the frame that made it certain.
  d.digits.forEach((x, i) => assert.ok(Math.abs(x.endMs - [1360, 1760, 2320][i]) <= 0.01, `${x.endMs}`));
  // The stream opened with the pre-roll: 1 s before the onset.
  assert.equal(fake.sessions.length, 1);
  assert.equal(fake.sessions[0].firstPush, 1280);
  assert.equal(fake.sessions[0].closed, true);
});

test('digitStrings: the first push carries the pre-roll from the ring', async () => {
  const fake = new FakeStrings();
  await run(fake, [{ tMs: 2000, state: 'start' }], 2500);
  // The onset at 2.0 s with 1 s of pre-roll: the stream starts at 1.0 s, so by 2.5 s it has 1.5 s (whole blocks).
  assert.equal(fake.sessions[0].pushed, Math.floor((1.5 * STRING_RATE) / 1280) * 1280);
});

test('digitStrings: the pre-roll never replays the speech before the string (the noise floor instead)', async () => {
  const fake = new FakeStrings();
  const edges = [
    { tMs: 1000, state: 'start' as const },
    { tMs: 1400, state: 'end' as const },
    { tMs: 2100, state: 'start' as const },
    { tMs: 2300, state: 'end' as const },
  ];
  await run(fake, edges, 3500, { hangoverMs: 200 });
  assert.equal(fake.sessions.length, 2);
  // The second stream starts 1 s before its onset (1.1 s); up to the last speech end + 100 ms it hears a faint
  // floor, then the stream itself (each test sample holds its stream index).
  const head = fake.sessions[1].head;
  const muted = Math.round(((1400 + 100 - 1100) / 1000) * STRING_RATE);
  for (let i = 0; i < muted; i++) assert.ok(Math.abs(head[i]) < 1e-3, `sample ${i}: ${head[i]}`);
  for (let i = muted; i < head.length; i++) assert.equal(head[i], 1.1 * STRING_RATE + i);
  // The first stream had no speech before it: its pre-roll is the stream as it was.
  assert.equal(fake.sessions[0].head[0], 0);
  assert.equal(fake.sessions[0].head[5000], 5000);
});

test('digitStrings: a shorter --string-hangover closes sooner; a pause shorter than it keeps one string', async () => {
  const edges = [
    { tMs: 1000, state: 'start' as const },
    { tMs: 1400, state: 'end' as const },
    { tMs: 1750, state: 'start' as const },
    { tMs: 2000, state: 'end' as const },
  ];
  const long = await run(new FakeStrings(), edges, 4000, { hangoverMs: 500 });
  assert.equal(digitsOf(long.out).length, 1);
  const short = await run(new FakeStrings(), edges, 4000, { hangoverMs: 200 });
  assert.equal(digitsOf(short.out).length, 2);
  assert.ok(Math.abs(short.closedAtMs[0] - 1600) <= 10, `${short.closedAtMs}`);
});

test('digitStrings: a 60 s monologue is cut at the maximum length and each stream stays bounded', async () => {
  const script = Array.from({ length: 100 }, (_, i) => ({ atMs: 1200 + i * 700, digit: i % 10 }));
  const fake = new FakeStrings(script);
  const { out } = await run(fake, [{ tMs: 1000, state: 'start' }], 60_500, { maxStringMs: 20_000 });
  const strings = digitsOf(out);
  assert.deepEqual(
    strings.map((s) => s.reason),
    ['max-length', 'max-length', 'end'],
  );
  // No stream heard more than the maximum plus its pre-roll; at most one is open at a time.
  for (const s of fake.sessions) assert.ok(s.pushed <= (20 + 1) * STRING_RATE, `${s.pushed} samples`);
  assert.ok(fake.sessions.slice(0, -1).every((s) => s.closed));
  assert.equal(fake.sessions.length, 3);
  // Every digit is in exactly one string message, in order: a string cut at the maximum does not hear the
  // last digits again in the next one's pre-roll.
  const predicted = out.filter((m) => m.type === 'prediction').length;
  assert.equal(
    strings.reduce((n, s) => n + s.digits.length, 0),
    predicted,
  );
  const starts = strings.flatMap((s) => s.digits.map((d) => d.startMs));
  starts.forEach((t, i) => assert.ok(i === 0 || t > starts[i - 1], `digit ${i} at ${t} ms after ${starts[i - 1]} ms`));
});

test('digitStrings: at most maxDigits digits per string', async () => {
  const script = Array.from({ length: 40 }, (_, i) => ({ atMs: 1200 + i * 200, digit: i % 10 }));
  const { out } = await run(new FakeStrings(script), [{ tMs: 1000, state: 'start' }], 10_000, { maxDigits: 32 });
  const strings = digitsOf(out);
  assert.equal(strings[0].digits.length, 32);
  assert.equal(strings[0].reason, 'max-length');
  assert.equal(strings[1].reason, 'end');
  // The next string starts with the 33rd digit, not with the last ones heard again.
  assert.ok(strings[1].digits[0].startMs > strings[0].digits[31].startMs, JSON.stringify(strings[1].digits[0]));
  assert.equal(strings[0].digits.length + strings[1].digits.length, 40, 'no digit lost at the cut either');
});

test('digitStrings: bad options are RangeErrors naming the field', () => {
  const open = new FakeStrings().open;
  assert.throws(() => digitStrings(open, { hangoverMs: -1 }), /hangoverMs must be >= 0/);
  assert.throws(() => digitStrings(open, { maxStringMs: 10 }), /maxStringMs must be >= 1000/);
});
