import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as acoustics from './index';

// The public surface of @digits/acoustics: changing it should be a deliberate act.
it('exports exactly the documented API', () => {
  assert.deepEqual(Object.keys(acoustics).sort(), [
    'HELD_OUT_NOISE_KINDS',
    'ROOM_PARTS',
    'TRAIN_NOISE_KINDS',
    'applyCondition',
    'applyGainDb',
    'babble',
    'brownNoise',
    'colouredNoise',
    'deriveSeed',
    'drawRoom',
    'drawTrainCondition',
    'fftConvolve',
    'heldOutCondition',
    'levelChanges',
    'makeNoise',
    'meanPower',
    'measureRt60',
    'measureSnrDb',
    'microphoneColour',
    'mixAtSnr',
    'musicNoise',
    'normaliseRms',
    'parseRoomParts',
    'pinkNoise',
    'roomImpulseResponse',
    'scatteredSounds',
    'seededRng',
    'toneNoise',
    'whiteNoise',
    'withoutParts',
  ]);
  for (const [name, value] of Object.entries(acoustics))
    if (!name.endsWith('_KINDS') && name !== 'ROOM_PARTS') assert.equal(typeof value, 'function', name);
});
