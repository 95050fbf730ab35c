import { test } from 'node:test';
import assert from 'node:assert/strict';
import { map, type Observable } from 'rxjs';
import {
  detectSpeech,
  SpeechDetector,
  DEFAULT_SPEECH_DETECTOR_CONFIG,
  resolveSpeechDetectorConfig,
  type AudioFrame,
  type SpeechDetectorConfig,
  type SpeechEvent,
} from './index';
import { at, everyFrame, testScheduler } from './testing/marbles';
import { framesOf, testFrame } from './testing/synthetic-audio';

// Frames are 10 ms at 8 kHz (see testing/synthetic-audio: n noise -60 dBFS, s speech -20 dBFS, f hiss
// -55 dBFS, l quiet tone -55 dBFS, z digital silence, q noise -75 dBFS, L loud noise -40 dBFS). Each marble
// frame delivers one audio frame, so marble frame k is audio frame k (tMs = 10k).

/** What the marble tests compare: an event's times, reason and the span of frame indices it carries. */
function summary(e: SpeechEvent) {
  const span = `${e.frames[0]?.index}..${e.frames.at(-1)?.index}`;
  return e.type === 'start'
    ? { type: e.type, tMs: e.tMs, detectedAtMs: e.detectedAtMs, frames: span }
    : {
        type: e.type,
        startMs: e.startMs,
        endMs: e.endMs,
        endDetectedAtMs: e.endDetectedAtMs,
        reason: e.reason,
        frames: span,
      };
}

/** Runs detectSpeech over `frames` delivered one per marble frame and compares summaries with `expected`. */
function expectSpeech(
  frames: AudioFrame[],
  expected: string,
  values: Record<string, ReturnType<typeof summary>>,
  config?: Partial<SpeechDetectorConfig>,
) {
  testScheduler().run(({ cold, expectObservable }) => {
    const source: Observable<AudioFrame> = cold(everyFrame(frames.length)).pipe(map((_, i) => frames[i]));
    expectObservable(source.pipe(detectSpeech(config), map(summary))).toBe(expected, values);
  });
}

const start = (onset: number, confirmedAt: number, from = onset - 15) => ({
  type: 'start' as const,
  tMs: onset * 10,
  detectedAtMs: (confirmedAt + 1) * 10,
  frames: `${from}..${confirmedAt}`,
});
const end = (onset: number, lastSpeech: number, decidedAt: number, reason = 'silence', from = onset - 15) => ({
  type: 'end' as const,
  startMs: onset * 10,
  endMs: (lastSpeech + 1) * 10,
  endDetectedAtMs: (decidedAt + 1) * 10,
  reason: reason as 'silence',
  frames: `${from}..${decidedAt}`,
});

test('an utterance: start after minSpeechMs (100) of speech, end after hangoverMs (200), 150 ms pre-roll', () => {
  // Speech in frames 30-41: start decided at frame 39, end at frame 61 (20 silent frames after 41).
  expectSpeech(framesOf('30n 12s 25n'), at(67, { 39: 's', 61: 'e' }), { s: start(30, 39), e: end(30, 41, 61) });
});

test('a blip shorter than minSpeechMs produces no event', () => {
  expectSpeech(framesOf('30n 9s 30n'), at(69, {}), {});
});

test('a pause shorter than the hangover stays inside one utterance; a longer one splits it', () => {
  expectSpeech(framesOf('30n 12s 15n 12s 40n'), at(109, { 39: 's', 88: 'e' }), {
    s: start(30, 39),
    e: end(30, 68, 88),
  });
  // The second utterance's pre-roll reaches back into the first one's hangover (frames 52-66).
  expectSpeech(framesOf('30n 12s 25n 12s 40n'), at(119, { 39: 's', 61: 'e', 76: 'S', 98: 'E' }), {
    s: start(30, 39),
    e: end(30, 41, 61),
    S: start(67, 76),
    E: end(67, 78, 98),
  });
});

test('a sound longer than maxSpeechMs (1,500) is cut there; the detector waits for silence before listening again', () => {
  expectSpeech(framesOf('30n 200s 40n 12s 30n'), at(312, { 39: 's', 179: 'e', 279: 'S', 301: 'E' }), {
    s: start(30, 39),
    e: end(30, 179, 179, 'max-length'),
    S: start(270, 279),
    E: end(270, 281, 301),
  });
});

test('speech running into the end of the stream ends with reason stream-end at completion', () => {
  expectSpeech(framesOf('30n 15s'), at(45, { 39: 's', 45: 'e' }), {
    s: start(30, 39),
    e: end(30, 44, 44, 'stream-end'),
  });
});

test('quiet hiss (high zero-crossing rate) counts as speech; an equally quiet low tone does not', () => {
  expectSpeech(framesOf('30n 12f 25n'), at(67, { 39: 's', 61: 'e' }), { s: start(30, 39), e: end(30, 41, 61) });
  expectSpeech(framesOf('30n 12l 25n'), at(67, {}), {});
});

test('nothing quieter than minSpeechDbfs (-70) is speech, even over digital silence; a tone over it is', () => {
  expectSpeech(framesOf('50z 100q'), at(150, {}), {});
  expectSpeech(framesOf('50z 12s 25z'), at(87, { 59: 's', 81: 'e' }), { s: start(50, 59), e: end(50, 61, 81) });
});

test('the noise floor adapts to a louder background: one cut-off false alarm, then speech is found above it', () => {
  expectSpeech(framesOf('100n 400L 12s 40L'), at(552, { 109: 's', 249: 'e', 509: 'S', 531: 'E' }), {
    s: start(100, 109),
    e: end(100, 249, 249, 'max-length'),
    S: start(500, 509),
    E: end(500, 511, 531),
  });
});

test('a sample-rate change ends the utterance (source-change) and starts afresh', () => {
  const frames = [...framesOf('30n 12s'), ...Array.from({ length: 5 }, (_, i) => testFrame('n', 42 + i, 16000))];
  expectSpeech(frames, at(47, { 39: 's', 42: 'e' }), { s: start(30, 39), e: end(30, 41, 41, 'source-change') });
});

test('the config changes the timing: no pre-roll, 50 ms minimum, 100 ms hangover', () => {
  expectSpeech(
    framesOf('30n 12s 25n'),
    at(67, { 34: 's', 51: 'e' }),
    { s: start(30, 34, 30), e: end(30, 41, 51, 'silence', 30) },
    {
      preRollMs: 0,
      minSpeechMs: 50,
      hangoverMs: 100,
    },
  );
});

test('end events carry the frames themselves, and every subscription has its own detector', () => {
  const frames = framesOf('30n 12s 25n');
  const operator = detectSpeech();
  testScheduler().run(({ cold, expectObservable }) => {
    const source = cold(everyFrame(frames.length)).pipe(
      map((_, i) => frames[i]),
      operator,
    );
    const ends = source.pipe(
      map((e) => (e.type === 'end' ? e.frames.every((f, i) => f === frames[15 + i]) && e.frames.length : -1)),
    );
    expectObservable(ends).toBe(at(67, { 39: 'a', 61: 'b' }), { a: -1, b: 47 });
    expectObservable(ends).toBe(at(67, { 39: 'a', 61: 'b' }), { a: -1, b: 47 });
  });
});

test('the noise floor follows the background: the 10th percentile, ~1 dB under -60 dBFS noise in 10 ms frames', () => {
  const detector = new SpeechDetector();
  assert.equal(detector.noiseFloorDbfs, DEFAULT_SPEECH_DETECTOR_CONFIG.initialNoiseFloorDbfs);
  for (const f of framesOf('300n')) detector.push(f);
  const floor = detector.noiseFloorDbfs;
  assert.ok(floor > -62 && floor < -60, `${floor}`);
  // 150 frames of speech (half the window) do not lift it.
  for (const f of framesOf('150s', 300)) detector.push(f);
  assert.ok(Math.abs(detector.noiseFloorDbfs - floor) < 0.5, `${detector.noiseFloorDbfs}`);
  // Digital silence pulls it down within noisePercentile of the window (30 frames), to the -120 floor.
  for (const f of framesOf('29z', 450)) detector.push(f);
  assert.ok(detector.noiseFloorDbfs > -70);
  for (const f of framesOf('2z', 479)) detector.push(f);
  assert.equal(detector.noiseFloorDbfs, -120);
});

test('DEFAULT_SPEECH_DETECTOR_CONFIG holds the documented defaults; bad configs throw naming the field', () => {
  assert.deepEqual(DEFAULT_SPEECH_DETECTOR_CONFIG, {
    thresholdDb: 8,
    fricativeThresholdDb: 4,
    fricativeZcrPerSecond: 3000,
    minSpeechDbfs: -70,
    noiseWindowMs: 3000,
    noisePercentile: 0.1,
    initialNoiseFloorDbfs: -60,
    preRollMs: 150,
    hangoverMs: 200,
    minSpeechMs: 100,
    maxSpeechMs: 1500,
    sustainThresholdDb: 6,
    decayEndDb: 12,
    decayDropDb: 3,
    decayWindowMs: 100,
  });
  assert.ok(Object.isFrozen(DEFAULT_SPEECH_DETECTOR_CONFIG));
  assert.equal(resolveSpeechDetectorConfig({ hangoverMs: 300 }).hangoverMs, 300);
  assert.throws(() => detectSpeech({ hangoverMs: -1 }), /field "hangoverMs" must not be negative/);
  assert.throws(() => detectSpeech({ noisePercentile: 2 }), /field "noisePercentile" must be in 0\.\.1/);
  assert.throws(() => detectSpeech({ maxSpeechMs: Number.NaN }), /field "maxSpeechMs" must be a finite number/);
  assert.throws(() => detectSpeech({ minSpeechMs: 2000 }), /"minSpeechMs" \(2000\) must not exceed maxSpeechMs/);
  assert.throws(() => detectSpeech({ hangover: 1 } as Partial<SpeechDetectorConfig>), /unknown field "hangover"/);
});
