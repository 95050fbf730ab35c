import type { Stft } from '../spectral/stft';
import { sinCos } from './sin-cos';

/** Magnitude and phase of every STFT bin, float32 as numpy's abs/angle of complex64. */
interface Polar {
  readonly magnitude: Float32Array;
  readonly phase: Float32Array;
}

// time_stretch at several rates (and pitch_shift at several steps) of one signal share one STFT; its
// magnitudes and angles are computed once and kept as long as the STFT object lives.
const polarCache = new WeakMap<Stft, Polar>();

function polarOf(D: Stft): Polar {
  let polar = polarCache.get(D);
  if (!polar) {
    const n = D.re.length;
    const magnitude = new Float32Array(n);
    const phase = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const re = D.re[i];
      const im = D.im[i];
      magnitude[i] = Math.sqrt(re * re + im * im); // hypotf
      phase[i] = Math.atan2(im, re); // atan2f
    }
    polar = { magnitude, phase };
    polarCache.set(D, polar);
  }
  return polar;
}

const RINT_MAGIC = 6755399441055744; // 1.5 * 2^52

/** Python's round() / numpy's rint: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * `librosa.phase_vocoder(D, rate, hop_length)` from librosa 0.9.2: speeds the STFT up by `rate` (> 1 faster,
 * < 1 slower). Written by hand to follow librosa's numeric path, which matters because the result is
 * ill-conditioned (angles of near-zero bins): output frame t reads input columns floor(t * rate) and the next
 * (2 zero columns appended), interpolates their float32 magnitudes linearly, and applies a phase accumulator
 * kept in float32, advanced by the float64 expected advance plus the wrapped float64 deviation.
 *
 * @param D          complex64 STFT (frame-major)
 * @param rate       speed-up factor (> 0)
 * @param hopLength  hop of D in samples; default D.hopLength
 */
export function phaseVocoder(D: Stft, rate: number, hopLength: number = D.hopLength): Stft {
  if (!(rate > 0)) throw new RangeError(`phaseVocoder: rate must be positive, got ${rate}`);
  const { bins, frames } = D;
  const { magnitude, phase } = polarOf(D);
  const fround = Math.fround;
  const twoPi = 2.0 * Math.PI;

  // np.arange(0, frames, rate): ceil(frames / rate) steps at t * rate.
  const outFrames = Math.max(0, Math.ceil(frames / rate));
  const re = new Float32Array(outFrames * bins);
  const im = new Float32Array(outFrames * bins);

  // np.linspace(0, pi * hop, bins): expected phase advance per bin (float64).
  const phiAdvance = new Float64Array(bins);
  const last = Math.PI * hopLength;
  const step = last / (bins - 1);
  for (let k = 0; k < bins; k++) phiAdvance[k] = k === bins - 1 ? last : k * step;

  const phaseAcc = phase.slice(0, bins); // np.angle(D[..., 0]), float32
  const zeros = new Float32Array(bins); // the 2 zero columns librosa appends (abs 0, angle 0)
  const sc = new Float64Array(2);
  for (let t = 0; t < outFrames; t++) {
    const time = t * rate;
    const c0 = Math.floor(time);
    const alpha = time - c0; // np.mod(time, 1.0), exact
    // numpy casts the float64 scalars to float32 before multiplying the float32 magnitudes.
    const w0 = fround(1.0 - alpha);
    const w1 = fround(alpha);
    const mag0 = c0 < frames ? magnitude : zeros;
    const ang0 = c0 < frames ? phase : zeros;
    const o0 = c0 < frames ? c0 * bins : 0;
    const mag1 = c0 + 1 < frames ? magnitude : zeros;
    const ang1 = c0 + 1 < frames ? phase : zeros;
    const o1 = c0 + 1 < frames ? (c0 + 1) * bins : 0;
    const out = t * bins;
    for (let k = 0; k < bins; k++) {
      const mag = fround(fround(w0 * mag0[o0 + k]) + fround(w1 * mag1[o1 + k]));
      const acc = phaseAcc[k];
      // mag * exp(1j * phase_acc) in complex64: cosf/sinf, then float32 products.
      sinCos(acc, sc);
      re[out + k] = mag * fround(sc[1]);
      im[out + k] = mag * fround(sc[0]);
      const advance = phiAdvance[k];
      let dphase = fround(ang1[o1 + k] - ang0[o0 + k]) - advance;
      // dphase - 2 pi np.round(dphase / 2 pi); adding and subtracting 1.5 * 2^52 rounds half to even (|q| < 2^51).
      const q = dphase / twoPi;
      dphase = dphase - twoPi * (q + RINT_MAGIC - RINT_MAGIC);
      phaseAcc[k] = acc + (advance + dphase);
    }
  }
  return { nFft: D.nFft, hopLength: D.hopLength, bins, frames: outFrames, re, im };
}
