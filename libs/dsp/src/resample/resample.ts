import { fixLength } from '../util/fix-length';
import { kaiserBestFilter, type InterpolationFilter } from './kaiser-best-filter';

/**
 * Band-limited sinc resampling equal to `librosa.resample(x, orig_sr=srIn, target_sr=srOut)` with the
 * default `res_type='kaiser_best'` (resampy 0.4.2), as used by `librosa.load(path, sr=...)`.
 *
 * resampy computes floor(n * srOut / srIn) samples; librosa then zero-pads them to ceil(n * srOut / srIn)
 * (`fix_length`), so the last sample is usually exactly 0. When downsampling, the filter is scaled by the
 * ratio (its cut-off follows the lower rate). Equal rates return a copy.
 *
 * @param x     input samples (float32)
 * @param srIn  input sample rate in Hz (any positive number, e.g. 22050 / 0.94 inside `pitchShift`)
 * @param srOut output sample rate in Hz
 * @returns     ceil(x.length * srOut / srIn) samples at srOut
 */
export function resample(x: Float32Array, srIn: number, srOut: number): Float32Array {
  return resampleToLengthBatch([x], srIn, srOut, [Infinity])[0];
}

/**
 * The first `length` samples of {@link resample} (zero-padded if it is shorter), computing no more output
 * than needed: what `fix_length(resample(x, srIn, srOut), length)` gives, as in `pitchShift`.
 */
export function resampleToLength(x: Float32Array, srIn: number, srOut: number, length: number): Float32Array {
  return resampleToLengthBatch([x], srIn, srOut, [length])[0];
}

/**
 * {@link resampleToLength} of several signals at the same rates, in one pass over the filter table
 * (identical results, faster when the 6.5 MB table is not in the CPU cache).
 */
export function resampleToLengthBatch(
  xs: readonly Float32Array[],
  srIn: number,
  srOut: number,
  lengths: readonly number[],
): Float32Array[] {
  if (!(srIn > 0) || !(srOut > 0)) throw new RangeError(`resample: invalid sample rates ${srIn} -> ${srOut}`);
  // librosa: n_samples = ceil(n * target / orig); resampy's floor(...) samples are padded to it.
  const nSamples = xs.map((x) => (srIn === srOut ? x.length : Math.ceil(x.length * (srOut / srIn))));
  const wanted = xs.map((_, i) => (Number.isFinite(lengths[i]) ? lengths[i] : nSamples[i]));
  const computed = resampyResampleBatch(xs, srIn, srOut, wanted.map((n, i) => Math.min(n, nSamples[i])));
  return computed.map((y, i) => fixLength(y, wanted[i]));
}

/**
 * resampy 0.4.2 `resample(x, srIn, srOut, filter='kaiser_best')` without librosa's padding: exactly
 * floor(x.length * srOut / srIn) samples, or only the first `maxLength` of them.
 *
 * @throws RangeError if that length is 0 (resampy raises too)
 */
export function resampyResample(x: Float32Array, srIn: number, srOut: number, maxLength = Infinity): Float32Array {
  return resampyResampleBatch([x], srIn, srOut, [maxLength])[0];
}

/**
 * {@link resampyResample} of several signals at the same rates in one pass (each result is identical to a
 * separate call), each cut to `maxLengths[i]` samples if given. One pass reads the filter table once for
 * all of them, which is what costs time when the table is not in the CPU cache.
 */
export function resampyResampleBatch(
  xs: readonly Float32Array[],
  srIn: number,
  srOut: number,
  maxLengths: readonly number[] = [],
): Float32Array[] {
  const cap = (i: number) => maxLengths[i] ?? Infinity;
  if (srIn === srOut) return xs.map((x, i) => x.slice(0, Math.min(x.length, cap(i))));
  const ys = xs.map((x, i) => {
    // Same expression order as resampy (#111): int(n * float(sr_new) / float(sr_orig)).
    const nOut = Math.floor((x.length * srOut) / srIn);
    if (nOut < 1) {
      throw new RangeError(`resample: input length ${x.length} is too small to resample from ${srIn} to ${srOut} Hz`);
    }
    // Every output sample is computed independently, so stopping early changes none of the others.
    return new Float32Array(Math.min(nOut, cap(i)));
  });
  const sampleRatio = srOut / srIn;
  resampleLoop(xs, ys, 1.0 / sampleRatio, tableFor(sampleRatio), Math.min(1.0, sampleRatio));
  return ys;
}

/**
 * The filter table regrouped by phase for a cache-friendly hot loop: all taps a given table offset `o` uses
 * (`o, o + step, o + 2 step, ...`) sit next to each other, interleaved as [win, delta] pairs. The values are
 * the very same float64 numbers, only their order in memory changes.
 */
interface PhaseTable {
  /** [win, delta] pairs; row `o` starts at pair `rowStart[o]`. */
  readonly taps: Float64Array;
  readonly rowStart: Int32Array;
  /** Taps per row: floor((nWin - o) / step), resampy's bound on the wing length. */
  readonly rowLength: Int32Array;
  readonly step: number;
  readonly density: number;
}

function phaseTable(filter: InterpolationFilter, step: number, maxOffset: number): PhaseTable {
  const { win, delta } = filter;
  const nWin = win.length;
  const rowStart = new Int32Array(maxOffset + 1);
  const rowLength = new Int32Array(maxOffset + 1);
  let total = 0;
  for (let o = 0; o <= maxOffset; o++) {
    rowStart[o] = total;
    rowLength[o] = Math.floor((nWin - o) / step);
    total += rowLength[o];
  }
  const taps = new Float64Array(2 * total);
  for (let o = 0; o <= maxOffset; o++) {
    let p = 2 * rowStart[o];
    for (let i = 0, j = o; i < rowLength[o]; i++, j += step) {
      taps[p++] = win[j];
      taps[p++] = delta[j];
    }
  }
  return { taps, rowStart, rowLength, step, density: filter.density };
}

// The upsampling table is shared. Downsampling multiplies the filter by the ratio (a new float64 table);
// pitch shifting asks for the same few ratios over and over, so keep the last ones.
let upsamplingTable: PhaseTable | undefined;
const downsamplingTables = new Map<number, PhaseTable>();
const DOWNSAMPLING_CACHE_SIZE = 4;

function tableFor(sampleRatio: number): PhaseTable {
  const base = kaiserBestFilter();
  if (sampleRatio >= 1) {
    upsamplingTable ??= phaseTable(base, base.density, base.density);
    return upsamplingTable;
  }
  const hit = downsamplingTables.get(sampleRatio);
  if (hit) return hit;
  // resampy: interp_win = sample_ratio * interp_win; interp_delta = np.diff(interp_win, append=interp_win[-1]).
  const n = base.win.length;
  const win = new Float64Array(n);
  for (let i = 0; i < n; i++) win[i] = sampleRatio * base.win[i];
  const delta = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) delta[i] = win[i + 1] - win[i];
  const step = Math.trunc(sampleRatio * base.density);
  // Offsets are trunc(frac * density) with frac in [0, scale]: at most trunc(scale * density) = step.
  const table = phaseTable({ win, delta, density: base.density }, step, step);
  if (downsamplingTables.size >= DOWNSAMPLING_CACHE_SIZE) {
    downsamplingTables.delete(downsamplingTables.keys().next().value as number);
  }
  downsamplingTables.set(sampleRatio, table);
  return table;
}

/**
 * resampy's `_resample_loop` (interpn.py), reproduced by hand for bit-exactness: for output t at input
 * time t_out = t * timeIncrement, sum the left wing (x[n], x[n-1], ...) then the right wing (x[n+1], ...),
 * with linearly interpolated table weights in float64, accumulating into the float32 output (each `+=`
 * rounds to float32, as numba does with a float32 `y`).
 *
 * Speed without changing a single operation: outputs are independent, so they are computed in order of
 * their table offset (a counting sort over all outputs of all signals). Consecutive outputs then read
 * neighbouring table rows, and the 6.5 MB table streams through the cache once per call instead of being
 * read at random for every output. Two outputs are computed side by side, as each one's sum is a serial
 * chain of float32 roundings.
 */
function resampleLoop(
  xs: readonly Float32Array[],
  ys: Float32Array[],
  timeIncrement: number,
  table: PhaseTable,
  scale: number,
): void {
  // Output g of the batch is output t = g - first[s] of signal s.
  const first = new Int32Array(ys.length + 1);
  for (let s = 0; s < ys.length; s++) first[s + 1] = first[s] + ys[s].length;
  const total = first[ys.length];
  const order = outputsByOffset(ys, first, timeIncrement, scale, table);
  const signalOf = new Int32Array(total);
  for (let s = 0; s < ys.length; s++) signalOf.fill(s, first[s], first[s + 1]);
  let j = 0;
  for (; j < total; j += 2) {
    const ga = order[j];
    const gb = j + 1 < total ? order[j + 1] : ga;
    const sa = signalOf[ga];
    const sb = signalOf[gb];
    const ta = ga - first[sa];
    const tb = gb - first[sb];
    resamplePair(xs[sa], xs[sb], ys[sa], ys[sb], ta, tb, ta * timeIncrement, tb * timeIncrement, table, scale);
  }
}

/** Batch output indices sorted (stably) by their left-wing table offset. */
function outputsByOffset(
  ys: readonly Float32Array[],
  first: Int32Array,
  timeIncrement: number,
  scale: number,
  table: PhaseTable,
): Int32Array {
  const rows = table.rowStart.length;
  const counts = new Int32Array(rows + 1);
  const total = first[ys.length];
  const keys = new Int32Array(total);
  for (let s = 0; s < ys.length; s++) {
    for (let t = 0, g = first[s]; t < ys[s].length; t++, g++) {
      const time = t * timeIncrement;
      const key = Math.trunc(scale * (time - Math.trunc(time)) * table.density);
      keys[g] = key;
      counts[key + 1]++;
    }
  }
  for (let r = 0; r < rows; r++) counts[r + 1] += counts[r];
  const order = new Int32Array(total);
  for (let g = 0; g < total; g++) order[counts[keys[g]]++] = g;
  return order;
}

/** Outputs `ta` of (xA -> yA) and `tb` of (xB -> yB) (may be the same), each in resampy's exact order. */
function resamplePair(
  xA: Float32Array,
  xB: Float32Array,
  yA: Float32Array,
  yB: Float32Array,
  ta: number,
  tb: number,
  timeA: number,
  timeB: number,
  table: PhaseTable,
  scale: number,
): void {
  const { taps, rowStart, rowLength, density } = table;
  const fround = Math.fround;
  const nA = Math.trunc(timeA);
  const nB = Math.trunc(timeB);
  const fracA = scale * (timeA - nA);
  const fracB = scale * (timeB - nB);
  let accA = 0;
  let accB = 0;
  {
    // Left wing: x[n], x[n - 1], ...
    const ifA = fracA * density;
    const ifB = fracB * density;
    const oA = Math.trunc(ifA);
    const oB = Math.trunc(ifB);
    const etaA = ifA - oA;
    const etaB = ifB - oB;
    const mA = Math.min(nA + 1, rowLength[oA]);
    const mB = Math.min(nB + 1, rowLength[oB]);
    const m = Math.min(mA, mB);
    let pA = 2 * rowStart[oA];
    let pB = 2 * rowStart[oB];
    let i = 0;
    for (; i < m; i++, pA += 2, pB += 2) {
      accA = fround(accA + (taps[pA] + etaA * taps[pA + 1]) * xA[nA - i]);
      accB = fround(accB + (taps[pB] + etaB * taps[pB + 1]) * xB[nB - i]);
    }
    for (let k = i; k < mA; k++, pA += 2) accA = fround(accA + (taps[pA] + etaA * taps[pA + 1]) * xA[nA - k]);
    for (let k = i; k < mB; k++, pB += 2) accB = fround(accB + (taps[pB] + etaB * taps[pB + 1]) * xB[nB - k]);
  }
  {
    // Right wing: x[n + 1], x[n + 2], ... with the inverted phase scale - frac.
    const ifA = (scale - fracA) * density;
    const ifB = (scale - fracB) * density;
    const oA = Math.trunc(ifA);
    const oB = Math.trunc(ifB);
    const etaA = ifA - oA;
    const etaB = ifB - oB;
    const mA = Math.min(xA.length - nA - 1, rowLength[oA]);
    const mB = Math.min(xB.length - nB - 1, rowLength[oB]);
    const m = Math.min(mA, mB);
    let pA = 2 * rowStart[oA];
    let pB = 2 * rowStart[oB];
    let k = 0;
    for (; k < m; k++, pA += 2, pB += 2) {
      accA = fround(accA + (taps[pA] + etaA * taps[pA + 1]) * xA[nA + k + 1]);
      accB = fround(accB + (taps[pB] + etaB * taps[pB + 1]) * xB[nB + k + 1]);
    }
    for (let j = k; j < mA; j++, pA += 2) accA = fround(accA + (taps[pA] + etaA * taps[pA + 1]) * xA[nA + j + 1]);
    for (let j = k; j < mB; j++, pB += 2) accB = fround(accB + (taps[pB] + etaB * taps[pB + 1]) * xB[nB + j + 1]);
  }
  yA[ta] = accA;
  yB[tb] = accB;
}
