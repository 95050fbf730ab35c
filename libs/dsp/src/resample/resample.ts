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
 * (identical results, faster when the 6.5 MB table is not in the CPU cache). Pitch shifting uses it, with
 * resampy's float32 accumulation like every other caller, so its resampling is bit-exact too.
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
  const maxLengths = wanted.map((n, i) => Math.min(n, nSamples[i]));
  const computed = resampyResampleBatch(xs, srIn, srOut, maxLengths);
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
 * Where every output of a batch reads its input: the signals are concatenated into one array (so the hot
 * loops see one monomorphic Float32Array), and output g of the batch is output g - first[s] of signal s.
 */
interface BatchLayout {
  readonly x: Float32Array;
  /** Start of signal s in `x`, s = 0..signals (the last entry is the total length). */
  readonly xStart: Int32Array;
  /** First batch output of signal s, s = 0..signals. */
  readonly first: Int32Array;
  readonly signalOf: Int32Array;
  readonly timeIncrement: number;
  readonly scale: number;
}

/**
 * resampy's `_resample_loop` (interpn.py): output t at input time t_out = t * timeIncrement is the left
 * wing (x[n], x[n-1], ...) summed first, then the right wing (x[n+1], ...), with linearly interpolated
 * float64 table weights. The sum is reproduced operation by operation: it is accumulated in float32 (each
 * `+=` rounds, as numba does with a float32 `y`), so results are bit-identical.
 *
 * Speed without changing an operation: all left wings are computed first, in order of their table row
 * (a counting sort over the outputs of all signals), then all right wings in order of theirs, resuming
 * each output's partial sum (a float32 value stored exactly). So the 6.5 MB table streams through the
 * cache once per pass, in ascending order. Doing both wings per output instead reads one row ascending
 * and one descending, which the hardware prefetcher does not follow: 2.5x slower on the 2-core EPYC.
 * Two outputs are computed side by side, since each one's sum is a serial chain of additions.
 */
function resampleLoop(
  xs: readonly Float32Array[],
  ys: Float32Array[],
  timeIncrement: number,
  table: PhaseTable,
  scale: number,
): void {
  const signals = xs.length;
  const xStart = new Int32Array(signals + 1);
  const first = new Int32Array(signals + 1);
  for (let s = 0; s < signals; s++) {
    xStart[s + 1] = xStart[s] + xs[s].length;
    first[s + 1] = first[s] + ys[s].length;
  }
  const x = new Float32Array(xStart[signals]);
  for (let s = 0; s < signals; s++) x.set(xs[s], xStart[s]);
  const total = first[signals];
  const signalOf = new Int32Array(total);
  for (let s = 0; s < signals; s++) signalOf.fill(s, first[s], first[s + 1]);
  const layout: BatchLayout = { x, xStart, first, signalOf, timeIncrement, scale };

  const left = outputsByOffset(layout, table, false);
  const right = outputsByOffset(layout, table, true);
  const acc = new Float32Array(total);
  leftWings32(layout, table, left, acc);
  rightWings32(layout, table, right, acc);
  for (let s = 0; s < signals; s++) ys[s].set(acc.subarray(first[s], first[s + 1]));
}

/** Batch outputs sorted (stably) by the table row of their left wing, or of their right wing. */
function outputsByOffset(layout: BatchLayout, table: PhaseTable, rightWing: boolean): Int32Array {
  const { first, signalOf, timeIncrement, scale } = layout;
  const density = table.density;
  const rows = table.rowStart.length;
  const total = signalOf.length;
  const counts = new Int32Array(rows + 1);
  const keys = new Int32Array(total);
  for (let g = 0; g < total; g++) {
    const time = (g - first[signalOf[g]]) * timeIncrement;
    const frac = scale * (time - Math.trunc(time));
    const key = Math.trunc((rightWing ? scale - frac : frac) * density);
    keys[g] = key;
    counts[key + 1]++;
  }
  for (let r = 0; r < rows; r++) counts[r + 1] += counts[r];
  const order = new Int32Array(total);
  for (let g = 0; g < total; g++) order[counts[keys[g]]++] = g;
  return order;
}

// The two wing loops below are the same code for the left (x[n], x[n-1], ...) or right (x[n+1], x[n+2], ...)
// wing. They are separate functions so that each hot loop stays monomorphic and branch-free for V8.

/** Left wings, float32 accumulation: acc[g] = the float32 sum over x[n - i], i < min(n + 1, row length). */
function leftWings32(layout: BatchLayout, table: PhaseTable, order: Int32Array, acc: Float32Array): void {
  const { x, xStart, first, signalOf, timeIncrement, scale } = layout;
  const { taps, rowStart, rowLength, density } = table;
  const fround = Math.fround;
  const total = order.length;
  for (let j = 0; j < total; j += 2) {
    const ga = order[j];
    const gb = j + 1 < total ? order[j + 1] : ga;
    const sa = signalOf[ga];
    const sb = signalOf[gb];
    const timeA = (ga - first[sa]) * timeIncrement;
    const timeB = (gb - first[sb]) * timeIncrement;
    const nA = Math.trunc(timeA);
    const nB = Math.trunc(timeB);
    const ifA = scale * (timeA - nA) * density;
    const ifB = scale * (timeB - nB) * density;
    const oA = Math.trunc(ifA);
    const oB = Math.trunc(ifB);
    const etaA = ifA - oA;
    const etaB = ifB - oB;
    const mA = Math.min(nA + 1, rowLength[oA]);
    const mB = Math.min(nB + 1, rowLength[oB]);
    const m = Math.min(mA, mB);
    const xA = xStart[sa] + nA;
    const xB = xStart[sb] + nB;
    let pA = 2 * rowStart[oA];
    let pB = 2 * rowStart[oB];
    let accA = 0;
    let accB = 0;
    let i = 0;
    for (; i < m; i++, pA += 2, pB += 2) {
      accA = fround(accA + (taps[pA] + etaA * taps[pA + 1]) * x[xA - i]);
      accB = fround(accB + (taps[pB] + etaB * taps[pB + 1]) * x[xB - i]);
    }
    for (let k = i; k < mA; k++, pA += 2) accA = fround(accA + (taps[pA] + etaA * taps[pA + 1]) * x[xA - k]);
    for (let k = i; k < mB; k++, pB += 2) accB = fround(accB + (taps[pB] + etaB * taps[pB + 1]) * x[xB - k]);
    acc[ga] = accA;
    acc[gb] = accB;
  }
}

/** Right wings, float32 accumulation: adds the sum over x[n + 1 + k], k < min(len - n - 1, row length), to acc[g]. */
function rightWings32(layout: BatchLayout, table: PhaseTable, order: Int32Array, acc: Float32Array): void {
  const { x, xStart, first, signalOf, timeIncrement, scale } = layout;
  const { taps, rowStart, rowLength, density } = table;
  const fround = Math.fround;
  const total = order.length;
  for (let j = 0; j < total; j += 2) {
    const ga = order[j];
    const gb = j + 1 < total ? order[j + 1] : ga;
    const sa = signalOf[ga];
    const sb = signalOf[gb];
    const timeA = (ga - first[sa]) * timeIncrement;
    const timeB = (gb - first[sb]) * timeIncrement;
    const nA = Math.trunc(timeA);
    const nB = Math.trunc(timeB);
    const ifA = (scale - scale * (timeA - nA)) * density;
    const ifB = (scale - scale * (timeB - nB)) * density;
    const oA = Math.trunc(ifA);
    const oB = Math.trunc(ifB);
    const etaA = ifA - oA;
    const etaB = ifB - oB;
    const mA = Math.min(xStart[sa + 1] - xStart[sa] - nA - 1, rowLength[oA]);
    const mB = Math.min(xStart[sb + 1] - xStart[sb] - nB - 1, rowLength[oB]);
    const m = Math.min(mA, mB);
    const xA = xStart[sa] + nA + 1;
    const xB = xStart[sb] + nB + 1;
    let pA = 2 * rowStart[oA];
    let pB = 2 * rowStart[oB];
    let accA = acc[ga];
    let accB = acc[gb];
    let k = 0;
    for (; k < m; k++, pA += 2, pB += 2) {
      accA = fround(accA + (taps[pA] + etaA * taps[pA + 1]) * x[xA + k]);
      accB = fround(accB + (taps[pB] + etaB * taps[pB + 1]) * x[xB + k]);
    }
    for (let i = k; i < mA; i++, pA += 2) accA = fround(accA + (taps[pA] + etaA * taps[pA + 1]) * x[xA + i]);
    for (let i = k; i < mB; i++, pB += 2) accB = fround(accB + (taps[pB] + etaB * taps[pB + 1]) * x[xB + i]);
    acc[ga] = accA;
    acc[gb] = accB;
  }
}
