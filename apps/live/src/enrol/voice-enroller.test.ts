import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_MODEL_DIR } from '@digits/model/default-model-dir';
import { FAKE_METHOD, FAKE_VOICE_MODULE } from '../testing/fake-voice';
import { voiceEnroller } from './voice-enroller';

const tone = (seconds: number, rate = 16000) =>
  Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => 0.3 * Math.sin(i / 5));

test(
  'the voice enroller runs the voice module in a child process: checks, training with progress, the list, cancel',
  { timeout: 60_000 },
  async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'voices-'));
    const enroller = voiceEnroller({ module: FAKE_VOICE_MODULE, root });
    try {
      assert.equal(await enroller.checkTake({ digit: 1, name: '1_a_1', samples: tone(0.5), sampleRate: 16000 }), null);
      assert.match(
        (await enroller.checkTake({ digit: 1, name: '1_a_1', samples: tone(0.05), sampleRate: 16000 })) ?? '',
        /too short/,
      );
      assert.deepEqual(await enroller.listVoices(), []);
      const takes = Array.from({ length: 10 }, (_, d) => ({
        digit: d,
        name: `${d}_ada_1`,
        samples: tone(0.4),
        sampleRate: 16000,
      }));
      const progress: number[] = [];
      const result = await enroller.enrol({ name: 'ada', baseModelDir: DEFAULT_MODEL_DIR, takes }, (done) =>
        progress.push(done),
      );
      assert.equal(result.outDir, path.join(root, 'ada'));
      assert.equal(result.method, FAKE_METHOD);
      assert.equal(result.takesUsed.length, 10);
      assert.deepEqual(progress, [1, 2, 3, 4, 5]);
      assert.ok(existsSync(path.join(root, 'ada', 'model.json')));
      assert.equal(JSON.parse(readFileSync(path.join(root, 'ada', 'voice.json'), 'utf8')).name, 'ada');
      // The caller's takes are intact (the process got copies).
      assert.equal(takes[0].samples.length, 6400);
      assert.deepEqual(
        (await enroller.listVoices()).map((v) => v.name),
        ['ada'],
      );

      // A cancel stops the training (the process goes) and the next request starts a new one.
      const pending = enroller.enrol({ name: 'bob', baseModelDir: DEFAULT_MODEL_DIR, takes });
      enroller.cancel();
      await assert.rejects(pending, /enrolment cancelled/);
      assert.deepEqual(
        (await enroller.listVoices()).map((v) => v.name),
        ['ada'],
      );
      // A failure inside the library is a rejection with its message.
      await assert.rejects(
        enroller.enrol({ name: 'no/good', baseModelDir: DEFAULT_MODEL_DIR, takes }),
        /bad voice name "no\/good"/,
      );
    } finally {
      await enroller.close();
      rmSync(root, { recursive: true, force: true });
    }
  },
);

test('a voice module that cannot load is a clear rejection, not a crash', { timeout: 30_000 }, async () => {
  const enroller = voiceEnroller({ module: '/nowhere/voice-module.ts', log: () => undefined });
  try {
    await assert.rejects(
      enroller.listVoices(),
      /the voice process exited \(1\): Cannot find module '\/nowhere\/voice-module\.ts'/,
    );
  } finally {
    await enroller.close();
  }
});
