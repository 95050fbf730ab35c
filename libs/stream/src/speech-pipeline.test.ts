import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { filter, from, lastValueFrom, map, toArray } from 'rxjs';
import { parseServerMessage } from '@digits/protocol';
import {
  cutUtterances,
  detectSpeech,
  frameAudio,
  speechPipeline,
  type SpeechPipelineEvent,
  type Utterance,
} from './index';
import {
  buildFsddStream,
  chunksOf,
  FSDD_RECORDINGS,
  pickFsddFiles,
  scoreSegmentation,
  type FsddStream,
} from './testing/fsdd-stream';
import { framesOf, seededRandom } from './testing/synthetic-audio';
import { at, everyFrame, testScheduler } from './testing/marbles';

test('speechPipeline: levels every 50 ms, speech start, then end and utterance together, from one source subscription', () => {
  // One 10 ms chunk per marble frame: noise, 120 ms of speech at frames 30-41, noise (as in detect-speech.test).
  const frames = framesOf('30n 12s 25n');
  const joined = new Float32Array(frames.slice(15, 62).flatMap((f) => Array.from(f.samples)));
  testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
    const chunks = cold(everyFrame(frames.length));
    const events = speechPipeline(chunks.pipe(map((_, i) => ({ samples: frames[i].samples, sampleRate: 8000 }))), {
      targetSampleRate: 8000,
    });
    expectObservable(events.pipe(filter((e) => e.type !== 'level'))).toBe(at(67, { 39: 's', 61: 'eu' }), {
      s: { type: 'speech', state: 'start', tMs: 300 },
      e: { type: 'speech', state: 'end', tMs: 430 },
      u: {
        type: 'utterance',
        utterance: {
          samples: joined.slice(1120, 2240),
          sampleRate: 8000,
          startMs: 290,
          endMs: 430,
          speechEndMs: 420,
          endDetectedAtMs: 620,
          reason: 'silence',
        },
      },
    });
    // A level closes every 5 frames (50 ms); the last 2 frames are summarised at completion.
    const letters = 'abcdefghijklmn';
    const levelFrames = Object.fromEntries([...letters].map((c, i) => [i < 13 ? 5 * i + 4 : 67, c]));
    expectObservable(
      events.pipe(
        filter((e) => e.type === 'level'),
        map((l) => l.tMs),
      ),
    ).toBe(at(67, levelFrames), Object.fromEntries([...letters].map((c, i) => [c, i * 50])));
    expectSubscriptions(chunks.subscriptions).toBe(['^' + '-'.repeat(66) + '!', '^' + '-'.repeat(66) + '!']);
  });
});

// Three real recordings ("three", "six" with its fricatives, "nine") at their recorded levels, 0.7 s of
// white noise 30 dB below their mean power before, between and after them.
const CLIPS = ['3_jackson_5.wav', '6_nicolas_10.wav', '9_theo_20.wav'];

async function run(stream: FsddStream, chunkSamples: number): Promise<SpeechPipelineEvent[]> {
  return lastValueFrom(
    speechPipeline(from(chunksOf(stream, chunkSamples)), { targetSampleRate: 22050 }).pipe(toArray()),
  );
}

function checkUtterances(stream: FsddStream, events: SpeechPipelineEvent[]): Utterance[] {
  const utterances = events.flatMap((e) => (e.type === 'utterance' ? [e.utterance] : []));
  assert.equal(
    utterances.length,
    3,
    `utterances at ${utterances.map((u) => `${u.startMs.toFixed(0)}-${u.endMs.toFixed(0)}`)}`,
  );
  utterances.forEach((u, i) => {
    const t = stream.truth[i];
    const where = `${t.file}: utterance ${u.startMs.toFixed(0)}-${u.endMs.toFixed(0)} ms, clip ${t.startMs}-${t.endMs} ms`;
    assert.ok(Math.abs(u.startMs - t.startMs) <= 100, where);
    assert.ok(Math.abs(u.endMs - t.endMs) <= 100, where);
    assert.equal(u.sampleRate, 22050);
    assert.equal(u.reason, 'silence');
    // Resampled to 22,050 Hz via 8 kHz: one ceil per step, so within 3 samples of the exact length.
    assert.ok(Math.abs(u.samples.length - ((u.endMs - u.startMs) * 22050) / 1000) <= 3, where);
    // The end is decided at most the 200 ms hangover after the last speech frame (before trimming); sooner
    // when the utterance's last part is a tail 12 dB or more under its peak (decayEndDb: the hangover counts
    // from the last frame above it), as the end of jackson's "three" is.
    const latency = u.endDetectedAtMs - u.speechEndMs;
    assert.ok(latency >= 0 && latency <= 210, `${where}: decided ${latency} ms after the end of speech`);
    assert.ok(u.endMs <= u.speechEndMs + 20, `${where}: the trimmed end is not after the speech end`);
  });
  return utterances;
}

test('three FSDD recordings in light noise (8 kHz): exactly three utterances within 100 ms of the clips', async () => {
  const stream = buildFsddStream(CLIPS, { gapMs: 700, snrDb: 30, seed: 11 });
  const events = await run(stream, 1000);
  const utterances = checkUtterances(stream, events);

  // speech start/end messages alternate, one pair per utterance, and are valid protocol messages.
  const speech = events.filter((e) => e.type === 'speech');
  assert.deepEqual(
    speech.map((e) => e.state),
    ['start', 'end', 'start', 'end', 'start', 'end'],
  );
  for (const [i, u] of utterances.entries()) {
    assert.ok(
      speech[2 * i].tMs >= u.startMs && speech[2 * i].tMs < u.endMs,
      `start ${speech[2 * i].tMs} in ${u.startMs}-${u.endMs}`,
    );
    assert.equal(speech[2 * i + 1].tMs, u.endMs);
  }
  // Each end message comes right before its utterance.
  const order = events.filter((e) => e.type !== 'level').map((e) => (e.type === 'speech' ? e.state : 'u'));
  assert.deepEqual(order, ['start', 'end', 'u', 'start', 'end', 'u', 'start', 'end', 'u']);

  // Levels: at most 20 per second of audio, on the stream clock, and valid protocol messages.
  const levels = events.filter((e) => e.type === 'level');
  const seconds = stream.samples.length / stream.sampleRate;
  assert.ok(
    levels.length <= seconds * 20 + 1 && levels.length >= seconds * 20 - 2,
    `${levels.length} levels for ${seconds} s`,
  );
  for (const m of [...levels, ...speech]) assert.deepEqual(parseServerMessage(m), { ok: true, message: m });
  const noiseLevels = levels.filter((l) => l.tMs < 600).map((l) => l.rmsDbfs);
  assert.ok(
    noiseLevels.every((l) => Math.abs(l - stream.noiseDbfs) < 1.5),
    `${noiseLevels} vs ${stream.noiseDbfs}`,
  );
});

test('the same recordings from a 16 kHz source in odd-sized chunks give the same three utterances', async () => {
  const stream = buildFsddStream(CLIPS, { gapMs: 700, snrDb: 30, seed: 12, sampleRate: 16000 });
  checkUtterances(stream, await run(stream, 737));
});

test('a 200-clip FSDD stream: at least 98% of the digits give exactly one utterance, none appear in the silences', async () => {
  const all = readdirSync(FSDD_RECORDINGS)
    .filter((f) => f.endsWith('.wav'))
    .sort();
  const files = pickFsddFiles(all, 200, seededRandom(1));
  // Levels normalised (a microphone with AGC), then as recorded (some clips end up below the noise).
  for (const normalizeDbfs of [-26, undefined]) {
    const stream = buildFsddStream(files, { seed: 1, normalizeDbfs });
    const utterances = await lastValueFrom(
      from(chunksOf(stream, 1024)).pipe(
        frameAudio(10),
        detectSpeech(),
        cutUtterances({ targetSampleRate: 8000 }),
        toArray(),
      ),
    );
    const score = scoreSegmentation(stream, utterances);
    assert.ok(score.exactlyOne >= 196, `${normalizeDbfs} dBFS: ${score.exactlyOne}/200 ${score.problems.join('; ')}`);
    assert.equal(score.spurious, 0);
    // The recordings' own boundaries include up to ~0.4 s of recording noise in some clips; the speech
    // inside them is found within 100 ms for nearly every clip.
    assert.ok(score.speechWithin100Ms >= (normalizeDbfs === undefined ? 170 : 194), `${score.speechWithin100Ms}`);
  }
});
