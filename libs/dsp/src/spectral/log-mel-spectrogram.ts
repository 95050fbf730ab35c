import { melSpectrogram, type MelSpectrogramOptions } from './mel-spectrogram';
import { powerToDb } from './power-to-db';

/** Parameters of {@link logMelSpectrogram}. */
export interface LogMelOptions extends MelSpectrogramOptions {
  /** Dynamic range in dB below the maximum (librosa `top_db`); default 80. */
  topDb?: number;
}

/**
 * The log-mel the network sees: `power_to_db(melspectrogram(y, sr, n_fft, hop_length, n_mels), ref=np.max,
 * top_db)` from librosa 0.9.2, float32. Its maximum is 0 dB and its floor -topDb below it, both up to
 * float32 rounding (a few 1e-7 dB, as in librosa).
 *
 * @returns nMels * frames values, band-major: `a[m * frames + t]` is mel band m (0 = lowest) at frame t,
 *   where frames = 1 + floor(y.length / hopLength).
 */
export function logMelSpectrogram(y: Float32Array, opts: LogMelOptions): Float32Array {
  const mel = melSpectrogram(y, opts);
  return powerToDb(mel.data, { ref: 'max', amin: 1e-10, topDb: opts.topDb ?? 80 });
}
