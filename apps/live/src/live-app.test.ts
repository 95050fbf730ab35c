import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keepRecent, RECENT_KEPT } from './live-app';

test("the app's lists of predictions and strings keep the newest RECENT_KEPT, in order", () => {
  const list: number[] = [];
  for (let i = 0; i < RECENT_KEPT + 25; i++) keepRecent(list, i);
  assert.equal(list.length, RECENT_KEPT);
  assert.equal(list[0], 25);
  assert.equal(list.at(-1), RECENT_KEPT + 24);
});
