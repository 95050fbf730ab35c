// Live audio at any rate to 16 kHz for the string model, in blocks, without clicks at the block edges.
import { resampleToLength } from '@digits/dsp';

/**
 * Resamples a stream block by block with @digits/dsp's resampler (resampy kaiser_best): each block is
 * resampled with the block before and after it as context and only its middle is kept, so the output is the
 * stream's resampling up to the filter's tails (its half-length is a few ms; a block is 80 ms). Costs one block
 * of latency (80 ms; 1 s at a rate not divisible by 25); 16 kHz passes through untouched.
 */
export class StreamResampler {
  private rate = 0;
  private block = 0;
  private outBlock = 0;
  private previous: Float32Array = new Float32Array(0);
  private current: Float32Array | undefined;
  private filling: Float32Array = new Float32Array(0);
  private filled = 0;

  constructor(readonly outRate: number) {}

  /** The output these samples completed (possibly none). A new rate restarts the stream (flushing the old). */
  push(samples: Float32Array, rate: number): Float32Array[] {
    if (rate === this.outRate && this.rate === 0) return [samples];
    const out: Float32Array[] = [];
    if (rate !== this.rate) {
      out.push(...this.flush());
      this.start(rate);
      if (rate === this.outRate) return [...out, samples];
    }
    if (rate === this.outRate) return [samples];
    let i = 0;
    while (i < samples.length) {
      const take = Math.min(this.block - this.filled, samples.length - i);
      this.filling.set(samples.subarray(i, i + take), this.filled);
      this.filled += take;
      i += take;
      if (this.filled === this.block) {
        const next = this.filling;
        this.filling = new Float32Array(this.block);
        this.filled = 0;
        if (this.current) out.push(this.middle(this.current, next));
        this.previous = this.current ?? new Float32Array(this.block);
        this.current = next;
      }
    }
    return out;
  }

  /** The last whole block (with silence after it); a partial block is dropped. */
  flush(): Float32Array[] {
    if (!this.current || this.rate === this.outRate) return [];
    const last = this.middle(this.current, new Float32Array(this.block));
    this.current = undefined;
    return [last];
  }

  private start(rate: number): void {
    this.rate = rate;
    const b = (rate * 2) / 25; // 80 ms
    this.block = Number.isInteger(b) ? b : rate;
    this.outBlock = Math.round((this.block / rate) * this.outRate);
    this.filling = new Float32Array(this.block);
    this.filled = 0;
    this.previous = new Float32Array(this.block);
    this.current = undefined;
  }

  private middle(current: Float32Array, next: Float32Array): Float32Array {
    const x = new Float32Array(3 * this.block);
    x.set(this.previous, 0);
    x.set(current, this.block);
    x.set(next, 2 * this.block);
    const y = resampleToLength(x, this.rate, this.outRate, 2 * this.outBlock);
    return y.slice(this.outBlock, 2 * this.outBlock);
  }
}
