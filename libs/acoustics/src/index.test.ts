import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as acoustics from './index';

// The public surface of @digits/acoustics: changing it should be a deliberate act.
it('exports exactly the documented API', () => {
  assert.deepEqual(Object.keys(acoustics).sort(), [
    'HELD_OUT_NOISE_KINDS',
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
    'pinkNoise',
    'roomImpulseResponse',
    'scatteredSounds',
    'seededRng',
    'toneNoise',
    'whiteNoise',
  ]);
  for (const [name, value] of Object.entries(acoustics))
    if (!name.endsWith('_KINDS')) assert.equal(typeof value, 'function', name);
});
