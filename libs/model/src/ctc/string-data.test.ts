import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StringClipPool, type Digit, type StringClip } from '@digits/dataset';
import { loadSpeechFrontEnd, type SpeechFrontEnd } from '@digits/speech-embedding';
import { formatStringFigures, heldOutStringSets, STRING_GOALS } from './string-bench';
import { embedStringSet, framesOfSamples, poolFingerprint } from './string-data';
import { scoreStrings } from './string-metrics';

/** A pool of two speakers whose "digits" are tones (the front end runs on them; no recordings needed). */
function tonePool(): StringClipPool {
  const clips: StringClip[] = [];
  for (const speaker of ['a', 'b'])
    for (let d = 0; d < 10; d++)
      for (let take = 0; take < 2; take++) {
        const n = 4000 + 300 * d + 200 * take;
        const f = 200 + 60 * d + (speaker === 'b' ? 15 : 0);
        clips.push({
          name: `${d}_${speaker}_${take}.wav`,
          digit: d as Digit,
          speaker,
          samples: Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin((2 * Math.PI * f * i) / 16000)),
        });
      }
  return new StringClipPool(clips);
}

let fe: SpeechFrontEnd;
let tmp: string;
before(async () => {
  fe = await loadSpeechFrontEnd();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'string-data-'));
});
after(async () => {
  await fe.release();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('heldOutStringSets', () => {
  it('makes groups of 3-4 digits, runs of one digit said 2-4 times, and isolated clips, in 20 dB noise', () => {
    const pool = tonePool();
    const [groups, repeats, isolated] = heldOutStringSets(pool, { groups: 5, repeats: 12, isolated: 7 });
    assert.deepEqual([groups.name, repeats.name, isolated.name], ['groups', 'repeats', 'isolated']);
    assert.deepEqual(groups.options.digits, [3, 4]);
    assert.deepEqual(groups.options.gapMs, [0, 250]);
    assert.deepEqual(groups.options.snrDb, [20, 20]);
    assert.equal(groups.count, 5);
    assert.equal(repeats.clips!.length, 12);
    for (const r of repeats.clips!) {
      assert.ok(r.length >= 2 && r.length <= 4);
      assert.ok(r.every((c) => c.digit === r[0].digit && c.speaker === r[0].speaker));
    }
    assert.equal(isolated.clips!.length, 7);
    assert.equal(new Set(isolated.clips!.map((c) => c[0].name)).size, 7);
    assert.equal(heldOutStringSets(pool)[2].clips!.length, pool.clips.length);
  });

  it('prints each figure beside its goal', () => {
    const perfect = scoreStrings([{ reference: [1, 2, 3], hypothesis: [1, 2, 3] }]);
    const poor = scoreStrings([{ reference: [1, 2, 3], hypothesis: [1, 3] }]);
    const latency = { digits: 3, medianMs: 120, p90Ms: 300 };
    const lines = formatStringFigures({
      groups: { greedy: perfect, beam: perfect, latency },
      repeats: { greedy: poor, beam: poor, latency },
      isolated: { greedy: perfect, beam: perfect, latency },
    });
    assert.ok(
      lines.some((l) => l.includes('a median 120 ms after its speech ends (negative: before; 90% within 300 ms')),
    );
    assert.match(
      lines.find((l) => l.includes('digit recall'))!,
      new RegExp(`>= ${STRING_GOALS.digitRecall} \\(met\\)`),
    );
    assert.match(
      lines.find((l) => l.includes('count right'))!,
      /0\.000 .* \(not met\)/,
    );
  });
});

describe('embedStringSet', () => {
  it('embeds each string once: the frames the front end gives, the same from the cache, labels and spans kept', async () => {
    const pool = tonePool();
    const spec = { name: 't', count: 3, seed: 11, options: { digits: [2, 3] as [number, number] } };
    const first = await embedStringSet(fe, pool, spec, { cacheDir: tmp });
    assert.equal(first.length, 3);
    for (const s of first) {
      assert.equal(s.frames, framesOfSamples(s.samples));
      assert.equal(s.x.length, s.frames * 96);
      assert.ok(s.labels.length >= 2 && s.labels.length <= 3);
      assert.deepEqual(
        s.spans.map((x) => x.digit),
        [...s.labels],
      );
    }
    const files = () => fs.readdirSync(tmp, { recursive: true }).filter((f) => String(f).endsWith('.f32')).length;
    assert.equal(files(), 3);
    let embedCalls = 0;
    const counting = Object.create(fe) as SpeechFrontEnd;
    counting.embedAudio = async (...args) => {
      embedCalls++;
      return fe.embedAudio(...args);
    };
    const again = await embedStringSet(counting, pool, spec, { cacheDir: tmp });
    assert.equal(embedCalls, 0, 'all three read from the cache');
    again.forEach((s, i) => assert.deepEqual(s.x, first[i].x));
    // Another recipe or pool is another entry, never a stale hit.
    await embedStringSet(counting, pool, { ...spec, options: { ...spec.options, snrDb: [30, 30] } }, { cacheDir: tmp });
    assert.equal(embedCalls, 3);
    const other = new StringClipPool(pool.clips.filter((c) => !c.name.endsWith('_1.wav')));
    assert.notEqual(poolFingerprint(other), poolFingerprint(pool));
  });
});
