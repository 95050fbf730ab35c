// Test helper: a virtual clock for code that takes a Timer (mic-source.ts's stallTimer). Time moves only
// when the test calls advance(), so what fires when does not depend on how busy the machine is.
import type { Timer } from '../sources/mic/mic-source';

export class ManualTimer {
  /** Virtual time, in ms. */
  now = 0;
  private pending: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;

  /** The Timer to inject. */
  readonly timer: Timer = (fn, ms) => {
    const id = this.nextId++;
    this.pending.push({ at: this.now + ms, fn, id });
    return () => {
      this.pending = this.pending.filter((p) => p.id !== id);
    };
  };

  /** Timers set and not yet fired or cancelled. */
  get armed(): number {
    return this.pending.length;
  }

  /** Moves time on by `ms`, firing (in order) every timer that falls due meanwhile. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = this.pending.filter((p) => p.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.now = due.at;
      due.fn();
    }
    this.now = until;
  }
}
