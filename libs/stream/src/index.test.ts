import assert from 'node:assert/strict';
import { it } from 'node:test';
import { from, lastValueFrom, toArray } from 'rxjs';
import * as stream from './index';

// The public surface the live app builds on (`@digits/stream`): changing it should be a deliberate act.
it('exports exactly the documented API', () => {
  assert.deepEqual(Object.keys(stream).sort(), [
    'DBFS_FLOOR',
    'DEFAULT_CUT_UTTERANCES_CONFIG',
    'DEFAULT_SPEECH_DETECTOR_CONFIG',
    'SpeechDetector',
    'audioLevel',
    'cutUtterance',
    'cutUtterances',
    'detectSpeech',
    'frameAudio',
    'peakDbfs',
    'resolveCutUtterancesConfig',
    'resolveSpeechDetectorConfig',
    'rmsDbfs',
    'speechPipeline',
    'throttleLevel',
    'trimSilence',
    'zeroCrossingsPerSecond',
  ]);
  const constants = new Set(['DBFS_FLOOR', 'DEFAULT_CUT_UTTERANCES_CONFIG', 'DEFAULT_SPEECH_DETECTOR_CONFIG']);
  for (const [name, value] of Object.entries(stream))
    if (!constants.has(name)) assert.equal(typeof value, 'function', name);
  assert.equal(typeof stream.DBFS_FLOOR, 'number');
  for (const config of [stream.DEFAULT_CUT_UTTERANCES_CONFIG, stream.DEFAULT_SPEECH_DETECTOR_CONFIG])
    assert.equal(typeof config, 'object');
});

it('the pipeline cuts one utterance from a tone burst in silence through the public API only', async () => {
  const sr = 8000;
  // 1 s of near-silence, 0.4 s of a 440 Hz tone, 1.5 s of near-silence, in 10 ms chunks.
  const total = Math.round(2.9 * sr);
  const samples = Float32Array.from({ length: total }, (_, i) =>
    i >= sr && i < 1.4 * sr ? 0.3 * Math.sin((2 * Math.PI * 440 * i) / sr) : 1e-4 * Math.sin(i * 12.9898),
  );
  const chunks = [];
  for (let i = 0; i < total; i += sr / 100) chunks.push({ samples: samples.subarray(i, i + sr / 100), sampleRate: sr });
  const events = await lastValueFrom(stream.speechPipeline(from(chunks), { targetSampleRate: sr }).pipe(toArray()));
  const utterances = events.filter((e) => e.type === 'utterance');
  assert.equal(utterances.length, 1, JSON.stringify(events.filter((e) => e.type !== 'level')));
  const u = utterances[0].type === 'utterance' ? utterances[0].utterance : undefined;
  assert.ok(
    u && u.startMs <= 1000 && u.startMs >= 800 && u.endMs >= 1350 && u.endMs <= 1700,
    JSON.stringify({ ...u, samples: undefined }),
  );
  assert.ok(stream.rmsDbfs(samples.subarray(sr, 1.4 * sr)) > -15);
});
