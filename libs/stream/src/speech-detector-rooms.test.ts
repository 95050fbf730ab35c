// The detector in rooms and noise, on synthetic streams: reverberant digit-like words back to back, a
// 10 dB white-noise background, and backgrounds alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyCondition, heldOutCondition, makeNoise, mixAtSnr, seededRng } from '@digits/acoustics';
import { SpeechDetector, type SpeechDetectorConfig, type SpeechEndEvent } from './index';

const RATE = 16000;

/** A word-like sound: one or two voiced syllables (f0 100-180 Hz, formant-shaped harmonics), 0.3-0.5 s. */
function word(rand: ReturnType<typeof seededRng>): Float32Array {
  const syllables = rand.uniform() < 0.5 ? 1 : 2;
  const len = Math.round(rand.range(0.3, 0.5) * RATE);
  const f0 = rand.range(100, 180);
  const formant = rand.range(500, 900);
  const out = new Float32Array(len);
  for (let i = 0; i < len; i++) {
    const t = i / len;
    const env = Math.sin(Math.PI * ((t * syllables) % 1)) ** 2;
    let v = 0;
    for (let h = 1; h * f0 < 4000; h++)
      v += Math.sin((2 * Math.PI * h * f0 * i) / RATE) / (1 + ((h * f0 - formant) / 300) ** 2);
    out[i] = env * v;
  }
  const rms = Math.sqrt(out.reduce((s, v) => s + v * v, 0) / len);
  return out.map((v) => (v / rms) * 10 ** (-22 / 20)); // -22 dBFS, like the live benchmarks' digits
}

interface Stream {
  samples: Float32Array;
  spans: [number, number][];
}

/** `n` words 0.5 s apart (end of one to start of the next), each heard in its own held-out room (or dry). */
function wordStream(n: number, rt60: number | null, seed: number): Stream {
  const rand = seededRng(seed);
  const gap = RATE / 2;
  const words = Array.from({ length: n }, () => word(rand));
  const heard = words.map((w, i) => (rt60 ? applyCondition(w, RATE, heldOutCondition(seed * 100 + i, { rt60 })) : w));
  const total = words.reduce((s, w) => s + w.length + gap, gap) + RATE;
  const samples = new Float32Array(total);
  const spans: [number, number][] = [];
  let pos = gap;
  words.forEach((w, i) => {
    heard[i].forEach((v, j) => {
      if (pos + j < total) samples[pos + j] += v;
    });
    spans.push([(pos * 1000) / RATE, ((pos + w.length) * 1000) / RATE]);
    pos += w.length + gap;
  });
  // A quiet floor 40 dB under the speech, as a room always has.
  return {
    samples: mixAtSnr(samples, makeNoise('white', total, RATE, rand), 40, { signalPower: 10 ** -2.2 }).mixed,
    spans,
  };
}

function utterances(samples: Float32Array, config: Partial<SpeechDetectorConfig> = {}): SpeechEndEvent[] {
  const detector = new SpeechDetector(config);
  const out: SpeechEndEvent[] = [];
  const frame = RATE / 100;
  for (let i = 0, k = 0; i < samples.length; i += frame, k++) {
    const events = detector.push({
      samples: samples.subarray(i, i + frame),
      sampleRate: RATE,
      index: k,
      tMs: (i * 1000) / RATE,
    });
    for (const e of events) if (e.type === 'end') out.push(e);
  }
  for (const e of detector.finish()) if (e.type === 'end') out.push(e);
  return out;
}

/** Words that got exactly one utterance, which overlaps no other word. */
function oneEach(stream: Stream, ends: SpeechEndEvent[]): number {
  const hits = ends.map((e) => stream.spans.flatMap(([s, t], i) => (e.endMs > s && e.startMs < t ? [i] : [])));
  return stream.spans.filter((_, i) => {
    const mine = hits.filter((h) => h.includes(i));
    return mine.length === 1 && mine[0].length === 1;
  }).length;
}

test('reverberant words 0.5 s apart (RT60 0.3-0.9 s): one utterance each; without the decay rule tails merge them', () => {
  for (const rt60 of [0.3, 0.6, 0.9]) {
    const stream = wordStream(30, rt60, Math.round(rt60 * 10));
    const ends = utterances(stream.samples);
    assert.equal(oneEach(stream, ends), 30, `RT60 ${rt60}: ${ends.length} utterances`);
    assert.equal(ends.length, 30);
  }
  const stream = wordStream(30, 0.9, 9);
  const old = utterances(stream.samples, { decayEndDb: 0 });
  assert.ok(oneEach(stream, old) < 25, `decayEndDb 0: ${oneEach(stream, old)} of 30`);
});

test('dry words keep one utterance each, whose audio reaches past the word (no split inside a word)', () => {
  const stream = wordStream(30, null, 4);
  const ends = utterances(stream.samples);
  assert.equal(oneEach(stream, ends), 30);
  ends.forEach((e, i) => {
    const last = e.frames.at(-1)!;
    const audioEndMs = last.tMs + (last.samples.length * 1000) / RATE;
    assert.ok(audioEndMs >= stream.spans[i][1], `${audioEndMs} vs ${stream.spans[i][1]}`);
  });
});

test('words in 10 dB white or pink noise: one utterance each, no splits', () => {
  for (const kind of ['white', 'pink'] as const) {
    const stream = wordStream(30, null, 5);
    const noise = makeNoise(kind, stream.samples.length, RATE, seededRng(6));
    const noisy = mixAtSnr(stream.samples, noise, 10, { signalPower: 10 ** -2.2 }).mixed;
    const ends = utterances(noisy);
    assert.equal(oneEach(stream, ends), 30, `${kind}: ${ends.length} utterances`);
  }
});

// Brown noise is left out: its 10 ms levels swing by +-7 dB (most of its power is below 100 Hz), so alone it
// still starts utterances (5 in 30 s at -40 dBFS); it is a training background only.
test('stationary noise alone gives no utterance: white, pink (hissy: the fricative rule must not fire)', () => {
  for (const kind of ['white', 'pink'] as const) {
    const noise = makeNoise(kind, 30 * RATE, RATE, seededRng(7)).map((v) => v * 10 ** (-40 / 20));
    assert.equal(utterances(noise).length, 0, kind);
  }
});
