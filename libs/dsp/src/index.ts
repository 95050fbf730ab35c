// Public API of @digits/dsp: pure signal processing, Float32Array in, Float32Array out, matching librosa 0.9.2.
export {
  checkWavPrefix,
  decodeWav,
  DEFAULT_MAX_WAV_SECONDS,
  WAV_MAX_CHANNELS,
  WAV_SAMPLE_RATE_RANGE,
  type DecodedWav,
  type DecodeWavOptions,
} from './wav/decode-wav';
export { encodeWav16 } from './wav/encode-wav';
export { WavDecodeError } from './wav/wav-decode-error';
export { resample, resampleToLength, resampyResample } from './resample/resample';
export { fixLength } from './util/fix-length';
export { nonZeroMask } from './util/non-zero-mask';
export { hannWindow } from './spectral/hann-window';
export { stft, stftFrameCount, type Stft, type StftOptions } from './spectral/stft';
export { powerSpectrogram, type Spectrogram } from './spectral/power-spectrogram';
export { hzToMel, melToHz, melFrequencies, fftFrequencies } from './spectral/mel-scale';
export { melFilterbank, type MelFilterbankOptions } from './spectral/mel-filterbank';
export { melSpectrogram, type MelSpectrogram, type MelSpectrogramOptions } from './spectral/mel-spectrogram';
export { powerToDb, type PowerToDbOptions } from './spectral/power-to-db';
export { logMelSpectrogram, type LogMelOptions } from './spectral/log-mel-spectrogram';
export { istft, type IstftOptions } from './spectral/istft';
export { phaseVocoder } from './effects/phase-vocoder';
export { timeStretch, timeStretches } from './effects/time-stretch';
export {
  pitchShift,
  pitchShifts,
  timeStretchPitchShiftGrid,
  type PitchShiftOptions,
  type StretchShiftGridOptions,
} from './effects/pitch-shift';
export { seededUniform } from './util/seeded-uniform';
