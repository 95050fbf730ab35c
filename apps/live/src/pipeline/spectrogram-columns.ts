import { concatWith, defer, mergeMap, of, type OperatorFunction } from 'rxjs';
import { melSpectrogram, powerToDb } from '@digits/dsp';
import type { FeatureConfig } from '@digits/features';
import type { SpectrogramMessage } from '@digits/protocol';
import type { AudioChunk } from '@digits/stream';

/** Options of spectrogramColumns. */
export interface SpectrogramColumnsOptions {
  /** Stream time covered by one message, in ms: columns are sent in batches this long. Default 100. */
  intervalMs?: number;
  /** Lowest value sent, in dB (power relative to full scale); quieter bins are clamped. Default -120. */
  floorDb?: number;
}

/** STFT/mel settings of one source rate, derived from the model's FeatureConfig. */
interface RateParams {
  sampleRate: number;
  nFft: number;
  hop: number;
  /** Frames computed before the first wanted one, so every wanted frame has its whole window. */
  lead: number;
  fmax: number;
}

/**
 * The model's STFT settings at the source rate: the same hop and window duration (nearest power of two
 * for the FFT size), mel bands up to the lower of the two Nyquist frequencies.
 */
export function rateParams(config: FeatureConfig, sampleRate: number): RateParams {
  const ratio = sampleRate / config.sampleRate;
  const hop = Math.max(1, Math.round(config.hopLength * ratio));
  const nFft = Math.max(2 ** Math.round(Math.log2(config.nFft * ratio)), 2 ** Math.ceil(Math.log2(Math.max(4, hop))));
  return { sampleRate, nFft, hop, lead: Math.ceil(nFft / 2 / hop), fmax: Math.min(sampleRate, config.sampleRate) / 2 };
}

/**
 * Log-mel columns of the live audio for the dashboard's scrolling spectrogram, computed with the same
 * code as the model's features (@digits/dsp `melSpectrogram` and `powerToDb`, the steps of
 * `logMelSpectrogram`) with the model's nMels and hop duration, at the source's own rate (resampling a
 * continuous stream just for a picture is not worth it). One difference, on purpose: dB are relative to
 * full scale (`ref` 1), not to each clip's maximum, so colours do not jump as the loudest sound changes.
 *
 * Column k sits at stream time of sample k * hop (the centre of its window) and is computed once its
 * whole window has arrived; columns are batched into one message per `intervalMs` of stream time. A
 * sample-rate change or a gap (`startSample` jump) starts a fresh run; the stream start is zero-padded
 * like a centred STFT.
 *
 * ```
 * chunks (20 ms):   -c-c-c-c-c-c-c-c-c-c-c-c-|
 * spectrogram:      ---------S---------S-----(S|)   S = { tMs, hopMs, nMels, columns: [~4 x nMels dB] }
 * ```
 */
export function spectrogramColumns(
  config: FeatureConfig,
  options: SpectrogramColumnsOptions = {},
): OperatorFunction<AudioChunk, SpectrogramMessage> {
  const intervalMs = options.intervalMs ?? 100;
  const floorDb = options.floorDb ?? -120;
  if (!(intervalMs > 0)) throw new RangeError(`spectrogramColumns: intervalMs must be positive, got ${intervalMs}`);
  return (source) =>
    defer(() => {
      const state = new LiveLogMel(config, intervalMs, floorDb);
      return source.pipe(
        mergeMap((chunk) => state.push(chunk)),
        concatWith(defer(() => of(...state.flush()))),
      );
    });
}

/** Per-subscription state of spectrogramColumns: the audio still needed and the next column's position. */
class LiveLogMel {
  private params: RateParams | undefined;
  /** Samples of the current run from position `bufferStart` on (may start before 0: the zero padding). */
  private buffer = new Float32Array(0);
  private fill = 0;
  private bufferStart = 0;
  /** Position (run samples) one past the last sample received. */
  private received = 0;
  /** Position of the next column's centre. */
  private nextCentre = 0;
  /** Stream time of run position 0, in ms. */
  private originMs = 0;

  constructor(
    private readonly config: FeatureConfig,
    private readonly intervalMs: number,
    private readonly floorDb: number,
  ) {}

  push(chunk: AudioChunk): SpectrogramMessage[] {
    const out: SpectrogramMessage[] = [];
    const p = this.params;
    const endMs = p ? this.originMs + (this.received * 1000) / p.sampleRate : 0;
    if (!p || p.sampleRate !== chunk.sampleRate) {
      this.emitReady(out, true);
      this.startRun(
        chunk.sampleRate,
        chunk.startSample !== undefined ? (chunk.startSample * 1000) / chunk.sampleRate : endMs,
      );
    } else if (chunk.startSample !== undefined) {
      const chunkMs = (chunk.startSample * 1000) / p.sampleRate;
      if (Math.abs(chunkMs - endMs) > 1000 / p.sampleRate) {
        this.emitReady(out, true);
        this.startRun(p.sampleRate, chunkMs);
      }
    }
    this.append(chunk.samples);
    this.emitReady(out, false);
    return out;
  }

  /** Columns whose windows are complete but not yet sent (at completion). */
  flush(): SpectrogramMessage[] {
    const out: SpectrogramMessage[] = [];
    this.emitReady(out, true);
    return out;
  }

  private startRun(sampleRate: number, originMs: number): void {
    const p = rateParams(this.config, sampleRate);
    this.params = p;
    this.originMs = originMs;
    this.received = 0;
    this.nextCentre = 0;
    // The zero padding of a centred STFT, as if silence preceded the run.
    this.bufferStart = -p.lead * p.hop;
    this.fill = -this.bufferStart;
    this.buffer = new Float32Array(Math.max(4 * p.nFft, this.fill * 2));
  }

  private append(samples: Float32Array): void {
    if (this.fill + samples.length > this.buffer.length) {
      const grown = new Float32Array(Math.max(2 * this.buffer.length, this.fill + samples.length));
      grown.set(this.buffer.subarray(0, this.fill));
      this.buffer = grown;
    }
    this.buffer.set(samples, this.fill);
    this.fill += samples.length;
    this.received += samples.length;
  }

  /** Emits the complete columns once they span intervalMs (or whatever is complete when `all`). */
  private emitReady(out: SpectrogramMessage[], all: boolean): void {
    const p = this.params;
    if (!p) return;
    const half = p.nFft / 2;
    // Column k is complete once the samples up to its centre + nFft/2 have arrived.
    const ready = Math.floor((this.received - half - this.nextCentre) / p.hop) + 1;
    if (ready <= 0) return;
    const hopMs = (p.hop * 1000) / p.sampleRate;
    if (!all && ready * hopMs < this.intervalMs) return;
    out.push(this.compute(ready));
  }

  /** Computes `count` columns from nextCentre on and drops the audio no later column needs. */
  private compute(count: number): SpectrogramMessage {
    const p = this.params as RateParams;
    const segStart = this.nextCentre - p.lead * p.hop;
    const segEnd = this.nextCentre + (count - 1) * p.hop + p.nFft / 2;
    const segment = this.buffer.subarray(segStart - this.bufferStart, segEnd - this.bufferStart);
    const mel = melSpectrogram(segment, {
      sampleRate: p.sampleRate,
      nFft: p.nFft,
      hopLength: p.hop,
      nMels: this.config.nMels,
      fmax: p.fmax,
    });
    const db = powerToDb(mel.data, { ref: 1, amin: 1e-12, topDb: null });
    const columns: number[][] = [];
    for (let k = 0; k < count; k++) {
      const t = p.lead + k;
      const column = new Array<number>(mel.nMels);
      for (let m = 0; m < mel.nMels; m++)
        column[m] = Math.round(Math.max(this.floorDb, db[m * mel.frames + t]) * 10) / 10;
      columns.push(column);
    }
    const message: SpectrogramMessage = {
      type: 'spectrogram',
      tMs: Math.max(0, this.originMs + (this.nextCentre * 1000) / p.sampleRate),
      hopMs: (p.hop * 1000) / p.sampleRate,
      nMels: this.config.nMels,
      columns,
    };
    this.nextCentre += count * p.hop;
    // Keep from the next segment's start on.
    const keepFrom = this.nextCentre - p.lead * p.hop;
    const drop = keepFrom - this.bufferStart;
    if (drop > 0) {
      this.buffer.copyWithin(0, drop, this.fill);
      this.fill -= drop;
      this.bufferStart = keepFrom;
    }
    return message;
  }
}
