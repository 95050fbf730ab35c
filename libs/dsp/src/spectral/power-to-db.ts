/** Options of {@link powerToDb}. */
export interface PowerToDbOptions {
  /** Reference power: 'max' (librosa `ref=np.max`, the default here) or a positive number. */
  ref?: 'max' | number;
  /** Floor for the power and the reference; default 1e-10. */
  amin?: number;
  /** Clamp the output at (maximum - topDb) dB; default 80; null disables the clamp. */
  topDb?: number | null;
}

/**
 * `librosa.power_to_db(S, ref=..., amin=..., top_db=...)` in float32, as numpy 1.24 evaluates it on a float32
 * array: 10 * log10(max(amin, S)) in float32, minus the float32-rounded 10 * log10(max(amin, ref)), then
 * clamped at (max - topDb). Note the default `ref` here is 'max' (the project's use), not librosa's 1.0.
 *
 * @param S    power values (any layout)
 * @returns    dB values in a new array of the same layout
 */
export function powerToDb(S: Float32Array, opts: PowerToDbOptions = {}): Float32Array {
  const amin = opts.amin ?? 1e-10;
  const topDb = opts.topDb === undefined ? 80 : opts.topDb;
  const ref = opts.ref ?? 'max';
  if (!(amin > 0)) throw new RangeError('powerToDb: amin must be strictly positive');
  if (topDb !== null && !(topDb >= 0)) throw new RangeError('powerToDb: topDb must be non-negative');
  const fround = Math.fround;
  let refValue: number;
  if (ref === 'max') {
    refValue = -Infinity;
    for (let i = 0; i < S.length; i++) if (S[i] > refValue) refValue = S[i];
  } else {
    refValue = Math.abs(ref);
  }
  // The reference term is a float64 scalar that numpy casts to float32 when subtracting it from the array.
  const refDb = fround(10.0 * Math.log10(Math.max(amin, refValue)));
  const aminF = fround(amin);
  const out = new Float32Array(S.length);
  let max = -Infinity;
  for (let i = 0; i < S.length; i++) {
    const v = S[i] > aminF ? S[i] : aminF;
    const db = fround(fround(10.0 * fround(Math.log10(v))) - refDb);
    out[i] = db;
    if (db > max) max = db;
  }
  if (topDb !== null) {
    const floor = fround(max - topDb);
    for (let i = 0; i < out.length; i++) if (out[i] < floor) out[i] = floor;
  }
  return out;
}
