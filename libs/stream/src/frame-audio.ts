import { concatWith, defer, finalize, mergeMap, type OperatorFunction } from 'rxjs';
import type { AudioChunk, AudioFrame } from './types';

/**
 * Regroups audio chunks of any size into frames of `frameMs` on the stream's clock.
 *
 * Samples left over at the end of a chunk wait for the next one, so frame boundaries do not depend on
 * how the source happened to cut its buffers. A frame never mixes two sample rates: when the rate
 * changes, or a chunk's `startSample` reveals a gap (dropped buffers), the waiting remainder is emitted
 * as a shorter frame first and framing restarts at the new position. The remainder is also emitted when
 * the source completes. Frame length is round(sampleRate * frameMs / 1000) samples (at least 1), so at
 * 22,050 Hz a 10 ms frame holds 221 samples and `tMs` advances by 10.02 ms.
 *
 * Stream time: a chunk with `startSample` starts at startSample / sampleRate s; a chunk without one
 * continues where the previous chunk ended (across rate changes too).
 *
 * ```
 * chunks (1000 Hz, sizes):  --a(25)--b(5)--c(12)--|
 * frameAudio(10):           --(xy)---z------w----(v|)
 *                             x: tMs 0, y: tMs 10 (a's first 20 samples)
 *                             z: tMs 20 (a's last 5 + b), w: tMs 30, v: tMs 40, 2 samples (the rest, at completion)
 * ```
 *
 * @example
 * audioChunks$.pipe(frameAudio(10)).subscribe((f) => console.log(f.index, f.tMs, f.samples.length));
 *
 * @param frameMs frame length in ms; default 10.
 * @throws RangeError (as an error notification) for a chunk whose sampleRate is not a positive finite number.
 */
export function frameAudio(frameMs = 10): OperatorFunction<AudioChunk, AudioFrame> {
  if (!(frameMs > 0 && Number.isFinite(frameMs))) {
    throw new RangeError(`frameAudio: frameMs must be a positive number of ms, got ${frameMs}`);
  }
  return (source) =>
    defer(() => {
      const framer = new Framer(frameMs);
      return source.pipe(
        mergeMap((chunk) => framer.push(chunk)),
        concatWith(defer(() => framer.flush())),
        finalize(() => framer.release()),
      );
    });
}

/** The per-subscription state of frameAudio: the partly filled frame and the clock. */
class Framer {
  private sampleRate = 0;
  private frameLength = 0;
  /** Stream time of sample position 0 of the current run, in ms. */
  private originMs = 0;
  /** Position (in samples since originMs) of the next sample to arrive. */
  private position = 0;
  private buffer = new Float32Array(0);
  private fill = 0;
  private index = 0;

  constructor(private readonly frameMs: number) {}

  push(chunk: AudioChunk): AudioFrame[] {
    const { samples, sampleRate, startSample } = chunk;
    if (!(sampleRate > 0 && Number.isFinite(sampleRate))) {
      throw new RangeError(`frameAudio: chunk sampleRate must be a positive number of Hz, got ${sampleRate}`);
    }
    const out: AudioFrame[] = [];
    if (sampleRate !== this.sampleRate) {
      // A new rate: finish the old run, then continue the clock where it ended (or at startSample).
      const endMs = this.originMs + (this.position * 1000) / (this.sampleRate || 1);
      this.flushInto(out);
      this.sampleRate = sampleRate;
      this.frameLength = Math.max(1, Math.round((sampleRate * this.frameMs) / 1000));
      this.buffer = new Float32Array(this.frameLength);
      if (startSample !== undefined) this.restartAt(startSample);
      else {
        this.originMs = endMs;
        this.position = 0;
      }
    } else if (startSample !== undefined) {
      const expectedMs = this.originMs + (this.position * 1000) / sampleRate;
      const chunkMs = (startSample * 1000) / sampleRate;
      // Half a sample of slack: a run resumed after a rate change has a fractional-ms origin.
      if (Math.abs(chunkMs - expectedMs) > 500 / sampleRate) {
        this.flushInto(out);
        this.restartAt(startSample);
      }
    }
    let read = 0;
    while (read < samples.length) {
      const n = Math.min(this.frameLength - this.fill, samples.length - read);
      this.buffer.set(samples.subarray(read, read + n), this.fill);
      this.fill += n;
      read += n;
      this.position += n;
      if (this.fill === this.frameLength) this.emitInto(out);
    }
    return out;
  }

  /** The waiting remainder as a last short frame, if any. */
  flush(): AudioFrame[] {
    const out: AudioFrame[] = [];
    this.flushInto(out);
    return out;
  }

  release(): void {
    this.buffer = new Float32Array(0);
    this.fill = 0;
  }

  private restartAt(startSample: number): void {
    this.originMs = 0;
    this.position = startSample;
  }

  private flushInto(out: AudioFrame[]): void {
    if (this.fill > 0) this.emitInto(out);
  }

  private emitInto(out: AudioFrame[]): void {
    const firstPosition = this.position - this.fill;
    out.push({
      samples: this.buffer.slice(0, this.fill),
      sampleRate: this.sampleRate,
      index: this.index++,
      tMs: this.originMs + (firstPosition * 1000) / this.sampleRate,
    });
    this.fill = 0;
  }
}
