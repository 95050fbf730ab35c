// Integration: the live recognizer's real capture path (naudiodon2 / PortAudio / ALSA in the capture
// process) fed by the virtual microphone with a stream of FSDD digits, silences and light noise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { from, lastValueFrom, Observable, toArray } from 'rxjs';
import { PredictionMessageSchema, type PredictionMessage } from '@digits/protocol';
import { DEFAULT_SPEECH_DETECTOR_CONFIG, speechPipeline, type AudioChunk, type Utterance } from '@digits/stream';
import { listCaptureDevices, openMicSource } from '../../apps/live/src/sources/mic/mic-source';
import { livePipeline } from '../../apps/live/src/pipeline/live-pipeline';
import { startWorkerClassifier } from '../../apps/live/src/classifier/worker-classifier';
import { buildDigitStream, digitStreamPcm, pickRecordings } from '../../apps/live/src/testing/digit-stream';
import { setUpVirtualMic } from './support/virtual-mic';
import { testModel } from './support/test-model';

const RATE = 16000;
const PAD_MS = 1500;
const dir = mkdtempSync(path.join(os.tmpdir(), 'live-virtmic-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const stream = buildDigitStream(pickRecordings(8, 11), { sampleRate: RATE, gapMs: 900 });
const pcm = digitStreamPcm(stream, PAD_MS);
const env = setUpVirtualMic(dir, pcm);
const totalSamples = pcm.length / 2;

/** Chunks from the virtual microphone until `count` samples have arrived (it is not paced and never ends). */
function firstSamples(chunks$: Observable<AudioChunk>, count: number): Observable<AudioChunk> {
  return new Observable<AudioChunk>((subscriber) => {
    let got = 0;
    const sub = chunks$.subscribe({
      next: (c) => {
        const take = Math.min(c.samples.length, count - got);
        subscriber.next(take === c.samples.length ? c : { ...c, samples: c.samples.subarray(0, take) });
        got += take;
        if (got >= count) {
          subscriber.complete();
          sub.unsubscribe();
        }
      },
      error: (e) => subscriber.error(e),
    });
    return () => sub.unsubscribe();
  });
}

let captured: AudioChunk[] = [];

test('PortAudio lists the virtual microphone', async () => {
  const devices = await listCaptureDevices({ env });
  assert.deepEqual(devices.map((d) => d.name).sort(), ['default', 'virtmic']);
});

test('capture through naudiodon2 is bit-exact, at the asked rate, on a contiguous clock', async () => {
  const source = await openMicSource({ device: 'virtmic', sampleRate: RATE, env });
  assert.equal(source.info.kind, 'mic');
  assert.match(source.info.description, /^virtmic \(ALSA, device \d+\)$/);
  captured = await lastValueFrom(firstSamples(source.chunks$, totalSamples).pipe(toArray()));
  const samples = captured.flatMap((c) => Array.from(c.samples));
  assert.equal(samples.length, totalSamples);
  for (let i = 0; i < totalSamples; i += 97) assert.equal(samples[i], pcm.readInt16LE(2 * i) / 32768, `sample ${i}`);
  // PortAudio reads 50 ms (800 samples); the pipe from the capture process may regroup them.
  assert.ok(captured.every((c) => c.sampleRate === RATE && c.samples.length > 0));
  let next = 0;
  for (const c of captured) {
    assert.equal(c.startSample, next);
    next += c.samples.length;
  }
});

test('the speech pipeline finds each spoken digit of the captured stream once, where it was spoken', async () => {
  assert.ok(captured.length > 0, 'the capture test ran first');
  const events = await lastValueFrom(speechPipeline(from(captured), { targetSampleRate: 22050 }).pipe(toArray()));
  const utterances = events.flatMap((e): Utterance[] => (e.type === 'utterance' ? [e.utterance] : []));
  const where = utterances.map((u) => `${u.startMs.toFixed(0)}-${u.endMs.toFixed(0)}`).join(', ');
  assert.equal(
    utterances.length,
    stream.clips.length,
    `utterances at ${where}; clips at ${stream.clips.map((c) => `${c.startMs.toFixed(0)}-${c.endMs.toFixed(0)}`)}`,
  );
  utterances.forEach((u, i) => {
    const clip = stream.clips[i];
    assert.ok(
      u.startMs >= clip.startMs - 160 && u.endMs <= clip.endMs + 160,
      `${clip.file}: utterance ${u.startMs.toFixed(0)}-${u.endMs.toFixed(0)}, clip ${clip.startMs.toFixed(0)}-${clip.endMs.toFixed(0)}`,
    );
    assert.equal(u.reason, 'silence');
  });
});

test(
  'the live pipeline on the microphone gives one prediction per spoken digit (the digits themselves with the trained model)',
  { timeout: 120_000 },
  async () => {
    const model = await testModel(dir);
    const classifier = await startWorkerClassifier(model.dir, { log: () => undefined });
    const openSet = 'unknownThreshold' in JSON.parse(readFileSync(path.join(model.dir, 'meta.json'), 'utf8'));
    try {
      const source = await openMicSource({ device: 'virtmic', sampleRate: RATE, env });
      // Threshold 0: every prediction names its top digit, so a random model's answers are checkable too.
      const messages = await lastValueFrom(
        livePipeline(firstSamples(source.chunks$, totalSamples), classifier, {
          featureConfig: classifier.info.featureConfig,
          threshold: 0,
        }).pipe(toArray()),
      );
      assert.deepEqual(
        messages.filter((m) => m.type === 'error'),
        [],
      );
      const predictions = messages.filter((m): m is PredictionMessage => m.type === 'prediction');
      const said = stream.clips.map((c) => c.digit);
      const heard = predictions.map((p) => p.digit);
      const where = `heard ${heard.join(' ')}, said ${said.join(' ')} (${model.trained ? 'trained' : 'random'} model ${model.dir})`;
      assert.equal(predictions.length, said.length, where);
      predictions.forEach((p, i) => {
        assert.equal(PredictionMessageSchema.safeParse(p).success, true, JSON.stringify(p));
        const clip = stream.clips[i];
        assert.ok(
          p.startMs >= clip.startMs - 160 && p.endMs <= clip.endMs + 160,
          `prediction ${i} at ${p.startMs}-${p.endMs}, clip ${clip.startMs}-${clip.endMs}`,
        );
        // Ten digit probabilities: a softmax (sum 1), or 10 of an 11-way softmax with an unknown class (sum <= 1).
        const sum = p.probs.reduce((a, b) => a + b, 0);
        assert.ok(openSet ? sum > 0 && sum < 1 + 1e-3 : Math.abs(sum - 1) < 1e-3, `probs sum to ${sum}: ${p.probs}`);
        assert.equal(p.digit, p.probs.indexOf(Math.max(...p.probs)), 'the digit is the most probable one');
        assert.equal(p.confidence, p.probs[p.digit ?? 0]);
        // At most the hangover is waited for after the last speech frame; less where the utterance ends in a
        // falling tail 12 dB under its peak (the detector's decay rule, decayEndDb), so latency is only > 0 here.
        assert.ok(
          p.latencyMs > 0 && p.latencyMs < 10 * DEFAULT_SPEECH_DETECTOR_CONFIG.hangoverMs,
          `latency ${p.latencyMs}`,
        );
      });
      // Speech start/end messages bracket each prediction's utterance.
      assert.equal(messages.filter((m) => m.type === 'speech' && m.state === 'end').length, said.length);
      if (model.trained) {
        const right = said.filter((d, i) => heard[i] === d).length;
        assert.ok(right >= said.length - 1, `${right}/${said.length} right: ${where}`);
      }
    } finally {
      await classifier.close();
    }
  },
);
