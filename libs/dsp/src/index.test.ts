import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as dsp from './index';

// The public surface other libs build on (`@digits/dsp`): changing it should be a deliberate act.
it('exports exactly the documented API', () => {
  assert.deepEqual(Object.keys(dsp).sort(), [
    'DEFAULT_MAX_WAV_SECONDS',
    'WAV_MAX_CHANNELS',
    'WAV_SAMPLE_RATE_RANGE',
    'WavDecodeError',
    'checkWavPrefix',
    'decodeWav',
    'encodeWav16',
    'fftFrequencies',
    'fixLength',
    'hannWindow',
    'hzToMel',
    'istft',
    'logMelSpectrogram',
    'melFilterbank',
    'melFrequencies',
    'melSpectrogram',
    'melToHz',
    'nonZeroMask',
    'phaseVocoder',
    'pitchShift',
    'pitchShifts',
    'powerSpectrogram',
    'powerToDb',
    'resample',
    'resampleToLength',
    'resampyResample',
    'seededUniform',
    'stft',
    'stftFrameCount',
    'timeStretch',
    'timeStretchPitchShiftGrid',
    'timeStretches',
  ]);
  const limits = new Set(['DEFAULT_MAX_WAV_SECONDS', 'WAV_MAX_CHANNELS', 'WAV_SAMPLE_RATE_RANGE']);
  for (const [name, value] of Object.entries(dsp)) if (!limits.has(name)) assert.equal(typeof value, 'function', name);
  assert.equal(dsp.DEFAULT_MAX_WAV_SECONDS, 60);
});

it('the pipeline runs end to end on a synthetic clip through the public API only', () => {
  const sr = 8000;
  const tone = Float32Array.from({ length: 4000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / sr));
  const wav = dsp.decodeWav(dsp.encodeWav16(tone, sr), 'tone.wav');
  const y = dsp.resample(wav.samples, wav.sampleRate, 22050);
  const padded = dsp.fixLength(y, 17640);
  const mask = dsp.nonZeroMask(padded);
  assert.ok(mask.reduce((s, v) => s + v, 0) > 10000);
  const logmel = dsp.logMelSpectrogram(padded, { sampleRate: 22050, nMels: 64 });
  assert.equal(logmel.length, 64 * 35);
  // 440 Hz lies in a low band: the loudest cell of a middle frame is there.
  let best = 0;
  for (let m = 1; m < 64; m++) if (logmel[m * 35 + 10] > logmel[best * 35 + 10]) best = m;
  assert.ok(best >= 5 && best <= 12, `loudest band ${best}`);
});
