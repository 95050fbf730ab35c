import { test } from 'node:test';
import assert from 'node:assert/strict';
import { map } from 'rxjs';
import { resample } from '@digits/dsp';
import {
  cutUtterances,
  cutUtterance,
  detectSpeech,
  resolveCutUtterancesConfig,
  DEFAULT_CUT_UTTERANCES_CONFIG,
  type AudioFrame,
  type SpeechEndEvent,
} from './index';
import { at, everyFrame, testScheduler } from './testing/marbles';
import { framesOf, sine } from './testing/synthetic-audio';

const frames = framesOf('30n 12s 25n');
/** The detected utterance's audio: frames 15-61 joined, starting at 150 ms. */
const joined = new Float32Array(frames.slice(15, 62).flatMap((f) => Array.from(f.samples)));

test('cutUtterances emits each utterance at its end event: pre-roll included, trimmed, on the stream clock', () => {
  testScheduler().run(({ cold, expectObservable }) => {
    const source = cold(everyFrame(frames.length)).pipe(map((_, i) => frames[i]));
    // Speech is samples 1200-2160 of the joined audio; 10 ms (80 samples) is kept on either side.
    expectObservable(source.pipe(detectSpeech(), cutUtterances({ targetSampleRate: 8000 }))).toBe(at(67, { 61: 'u' }), {
      u: {
        samples: joined.slice(1120, 2240),
        sampleRate: 8000,
        startMs: 290,
        endMs: 430,
        speechEndMs: 420,
        endDetectedAtMs: 620,
        reason: 'silence',
      },
    });
  });
});

test('cutUtterances resamples to the target rate with dsp resample', () => {
  testScheduler().run(({ cold, expectObservable }) => {
    const source = cold(everyFrame(frames.length)).pipe(map((_, i) => frames[i]));
    expectObservable(source.pipe(detectSpeech(), cutUtterances({ targetSampleRate: 22050 }))).toBe(
      at(67, { 61: 'u' }),
      {
        u: {
          samples: resample(joined.slice(1120, 2240), 8000, 22050),
          sampleRate: 22050,
          startMs: 290,
          endMs: 430,
          speechEndMs: 420,
          endDetectedAtMs: 620,
          reason: 'silence',
        },
      },
    );
  });
});

/** Power of `x` at `hz` (sample rate `sr`), in dB: projection onto a complex tone. */
function toneDb(x: Float32Array, hz: number, sr: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < x.length; i++) {
    re += x[i] * Math.cos((2 * Math.PI * hz * i) / sr);
    im += x[i] * Math.sin((2 * Math.PI * hz * i) / sr);
  }
  return 10 * Math.log10((re * re + im * im) / (x.length * x.length) + 1e-30);
}

test('cutUtterance limits a 16 kHz source to the 8 kHz band before going to 22,050 Hz', () => {
  const n = 160;
  const sourceFrames: AudioFrame[] = Array.from({ length: 40 }, (_, k) => ({
    samples: sine(n, 300, 16000, -20, k * n).map((v, i) => v + sine(1, 6000, 16000, -20, k * n + i)[0]),
    sampleRate: 16000,
    index: k,
    tMs: k * 10,
  }));
  const event: SpeechEndEvent = {
    type: 'end',
    startMs: 0,
    endMs: 400,
    endDetectedAtMs: 600,
    reason: 'silence',
    noiseFloorDbfs: -90,
    frames: sourceFrames,
  };
  const u = cutUtterance(event, resolveCutUtterancesConfig({ targetSampleRate: 22050 }));
  assert.equal(u.sampleRate, 22050);
  assert.equal(u.samples.length, Math.ceil((6400 / 2) * (22050 / 8000)));
  assert.deepEqual([u.startMs, u.endMs], [0, 400]);
  const body = u.samples.subarray(2000, 6000);
  const low = toneDb(body, 300, 22050);
  const high = toneDb(body, 6000, 22050);
  assert.ok(low > -30, `300 Hz kept: ${low} dB`);
  assert.ok(low - high > 60, `6 kHz removed: 300 Hz ${low} dB, 6 kHz ${high} dB`);
  // Without the band step the 6 kHz tone would pass (22,050 Hz carries up to 11 kHz).
  const wide = cutUtterance(event, resolveCutUtterancesConfig({ targetSampleRate: 22050, bandSampleRate: 16000 }));
  assert.ok(toneDb(wide.samples.subarray(2000, 6000), 6000, 22050) > -30);
});

test('cutUtterances config: documented defaults, targetSampleRate required and checked', () => {
  assert.deepEqual(DEFAULT_CUT_UTTERANCES_CONFIG, {
    bandSampleRate: 8000,
    trimTopDb: 40,
    trimAboveFloorDb: 6,
    trimWindowMs: 5,
    trimKeepMs: 10,
    trimKeepEndMs: 10,
  });
  assert.deepEqual(resolveCutUtterancesConfig({ targetSampleRate: 22050, trimKeepMs: undefined }), {
    ...DEFAULT_CUT_UTTERANCES_CONFIG,
    targetSampleRate: 22050,
  });
  assert.throws(() => cutUtterances({ targetSampleRate: 0 }), /field "targetSampleRate" must be positive/);
  assert.throws(
    () => cutUtterances({ targetSampleRate: Number.NaN }),
    /field "targetSampleRate" must be a finite number/,
  );
  assert.throws(() => cutUtterances({ targetSampleRate: 22050, trimTopDb: -1 }), /field "trimTopDb"/);
  assert.throws(() => cutUtterances({ targetSampleRate: 22050, topDb: 3 } as never), /unknown field "topDb"/);
});
