/**
 * A running percentile of frame levels over the last `windowMs` of stream time: the speech detector's
 * noise floor. Kept as a time-ordered queue plus a sorted copy, so each update costs one binary search
 * and one array splice (a 3 s window of 10 ms frames holds 300 values).
 */
export class NoiseFloorTracker {
  private readonly times: number[] = [];
  private readonly levels: number[] = [];
  private head = 0;
  private readonly sorted: number[] = [];

  /**
   * @param windowMs history length, in ms of stream time
   * @param percentile 0..1, the rank taken as the floor (0 = minimum)
   * @param initialDbfs the floor before any level was added, in dBFS
   */
  constructor(
    private readonly windowMs: number,
    private readonly percentile: number,
    private readonly initialDbfs: number,
  ) {}

  /** The current floor in dBFS: the percentile of the history, or the initial floor while it is empty. */
  get floorDbfs(): number {
    const n = this.sorted.length;
    if (n === 0) return this.initialDbfs;
    return this.sorted[Math.min(n - 1, Math.floor(this.percentile * n))];
  }

  /** Adds the level of the audio starting at `tMs` and forgets levels older than the window. */
  add(tMs: number, levelDbfs: number): void {
    this.times.push(tMs);
    this.levels.push(levelDbfs);
    this.sorted.splice(this.lowerBound(levelDbfs), 0, levelDbfs);
    while (this.head < this.times.length && this.times[this.head] <= tMs - this.windowMs) {
      this.sorted.splice(this.lowerBound(this.levels[this.head]), 1);
      this.head++;
    }
    // Compact the queues now and then instead of shifting on every frame.
    if (this.head > 1024) {
      this.times.splice(0, this.head);
      this.levels.splice(0, this.head);
      this.head = 0;
    }
  }

  private lowerBound(x: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
