import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  HELD_OUT_NOISE_KINDS,
  TRAIN_NOISE_KINDS,
  applyCondition,
  drawTrainCondition,
  heldOutCondition,
  meanPower,
  measureSnrDb,
  parseRoomParts,
  ROOM_PARTS,
  seededRng,
  type Condition,
} from './index';

const rate = 16000;
// A broadband burst (a room's response to a pure tone swings by its resonances; to a burst it averages out).
const noise = seededRng(5);
const clip = Float32Array.from({ length: 8000 }, (_, i) => 0.1 * noise.normal() * Math.sin((Math.PI * i) / 8000));

describe('the split of conditions', () => {
  it('pink noise, music and scattered sounds are held-out kinds only; training draws never use them', () => {
    for (const k of ['pink', 'music', 'sounds'] as const) {
      assert.ok(HELD_OUT_NOISE_KINDS.includes(k) && !TRAIN_NOISE_KINDS.includes(k));
    }
    const kinds = new Set<string>();
    for (let s = 0; s < 300; s++) {
      const c = drawTrainCondition(s);
      if (c.noise) kinds.add(c.noise.kind);
      assert.equal(c.split, 'train');
      if (c.room) assert.ok(c.room.dims[1] / c.room.dims[0] >= 0.6 || c.room.dims[1] === 2);
      if (c.room) assert.ok(c.room.rt60 >= 0.2 && c.room.rt60 <= 1.0);
      if (c.noise) assert.ok(c.noise.snrDb >= 0 && c.noise.snrDb <= 30);
    }
    assert.deepEqual([...kinds].sort(), [...TRAIN_NOISE_KINDS].sort());
    assert.throws(() => drawTrainCondition(1, { kinds: ['pink'] }), /"pink" is not a training kind/);
    assert.throws(() => heldOutCondition(1, { noise: { kind: 'white', snrDb: 10 } }), /"white" is not a held-out/);
  });

  it('the same seed gives different rooms and noise seeds for training and for benchmarks', () => {
    const train = drawTrainCondition(7, { roomProbability: 1 });
    const held = heldOutCondition(7, { rt60: train.room!.rt60 });
    assert.notEqual(train.seed, held.seed);
    assert.notDeepEqual(train.room!.dims, held.room!.dims);
    assert.ok(held.room!.dims[1] / held.room!.dims[0] <= 0.55 || held.room!.dims[1] === 2);
  });

  it('draws are deterministic for a seed', () => {
    assert.deepEqual(drawTrainCondition(3), drawTrainCondition(3));
    assert.notDeepEqual(drawTrainCondition(3), drawTrainCondition(4));
  });
});

describe('applyCondition', () => {
  const none: Condition = { split: 'held-out', seed: 1, room: null, noise: null, colour: null, gainDb: 0 };

  it('noise lands at the asked SNR below the dry clip', () => {
    for (const snr of [0, 10, 20]) {
      const c: Condition = { ...none, noise: { kind: 'pink', snrDb: snr } };
      const y = applyCondition(clip, rate, c);
      const residual = Float32Array.from(y, (v, i) => v - clip[i]);
      assert.ok(Math.abs(measureSnrDb(clip, residual) - snr) < 0.01);
    }
  });

  it('a room adds its reverberant tail and keeps about the level; the whole is deterministic', () => {
    const c = heldOutCondition(2, { rt60: 0.6, noise: { kind: 'music', snrDb: 20 } });
    const y = applyCondition(clip, rate, c);
    assert.ok(y.length > clip.length + 0.6 * rate, `${y.length}`);
    const ratio = (meanPower(y) * y.length) / (meanPower(clip) * clip.length);
    assert.ok(ratio > 0.5 && ratio < 2, `${ratio}`);
    assert.deepEqual(y, applyCondition(clip, rate, c));
    assert.deepEqual(applyCondition(clip, rate, none), clip);
    assert.throws(
      () => applyCondition(clip, rate, { ...none, noise: { kind: 'babble', snrDb: 5 } }),
      /needs NoisePools\.babble/,
    );
  });
});

describe('leaving parts of the training out (ablations)', () => {
  it('each part goes, the rest stays as drawn; a draw without the part is unchanged', () => {
    let changed = 0;
    for (let s = 0; s < 200; s++) {
      const full = drawTrainCondition(s);
      const noRoom = drawTrainCondition(s, { without: ['room'] });
      assert.equal(noRoom.room, null);
      assert.deepEqual({ ...noRoom, room: full.room }, full);
      const noBabble = drawTrainCondition(s, { without: ['babble'] });
      assert.notEqual(noBabble.noise?.kind, 'babble');
      if (full.noise?.kind !== 'babble') assert.deepEqual(noBabble, full);
      else changed++;
      const noNoise = drawTrainCondition(s, { without: ['noise'] });
      assert.ok(!['white', 'brown'].includes(noNoise.noise?.kind ?? ''));
      const noMic = drawTrainCondition(s, { without: ['mic', 'tones'] });
      assert.equal(noMic.colour, null);
      assert.equal(noMic.gainDb, 0);
      assert.notEqual(noMic.noise?.kind, 'tones');
      assert.deepEqual(noMic.room, full.room);
    }
    assert.ok(changed > 20 && changed < 80, `${changed} of 200 drew babble`);
  });

  it('parseRoomParts names a bad part and lists the good ones', () => {
    assert.deepEqual(parseRoomParts('room, babble,room'), ['babble', 'room']);
    assert.throws(() => parseRoomParts('room,sounds'), /"sounds" is not a part of the room training \(noise, babble/);
    assert.throws(() => parseRoomParts(' , '), /expected one or more of noise, babble, tones, room, mic/);
    assert.deepEqual([...ROOM_PARTS], ['noise', 'babble', 'tones', 'room', 'mic']);
  });
});
