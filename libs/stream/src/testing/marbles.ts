import assert from 'node:assert/strict';
import { TestScheduler } from 'rxjs/testing';

/** A TestScheduler whose assertions are node:assert deep equality. */
export function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
}

/**
 * A run-mode marble string for long streams: `at(67, { 39: 's', 61: 'e' })` is '39ms s 21ms e 5ms |',
 * i.e. 's' at frame 39, 'e' at 61 and completion at 67. Several characters at one frame form a group
 * (`'(se)'`, which takes as many frames as it has characters); completion may join the last group by
 * passing `end` equal to its frame.
 */
export function at(end: number | undefined, events: Record<number, string>): string {
  let out = '';
  let t = 0;
  const frames = Object.keys(events)
    .map(Number)
    .sort((a, b) => a - b);
  for (const f of frames) {
    if (f < t) throw new Error(`marble events too close: frame ${f} is inside the previous group`);
    if (f > t) out += ` ${f - t}ms `;
    let chars = events[f];
    if (end === f) {
      chars += '|';
      end = undefined;
    }
    out += chars.length > 1 ? `(${chars})` : chars;
    t = f + (chars.length > 1 ? chars.length + 2 : 1);
  }
  if (end !== undefined) {
    if (end < t) throw new Error(`completion at ${end} is inside the previous group`);
    out += end > t ? ` ${end - t}ms |` : '|';
  }
  return out.trim();
}

/** A cold-source marble with one 'x' per frame and completion right after the last. */
export function everyFrame(count: number, complete = true): string {
  return 'x'.repeat(count) + (complete ? '|' : '');
}
