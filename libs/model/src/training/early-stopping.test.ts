import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EarlyStopping } from './early-stopping';

/** The epoch (1-based) at which Keras's EarlyStopping would stop, or null. */
function stopEpoch(losses: number[], minDelta: number, patience: number): number | null {
  const e = new EarlyStopping({ minDelta, patience });
  for (let i = 0; i < losses.length; i++) if (e.update(losses[i])) return i + 1;
  return null;
}

test('patience 1: stops at the first epoch that fails to improve by min_delta', () => {
  assert.equal(stopEpoch([2.3, 2.25, 2.24], 0.1, 1), 2);
  assert.equal(stopEpoch([2.3, 2.1, 1.95, 1.94], 0.1, 1), 4);
});

test('patience 2 and improvements that reset the wait', () => {
  assert.equal(stopEpoch([1.0, 0.99, 0.9, 0.89, 0.88, 0.87], 0.05, 2), 5);
  assert.equal(stopEpoch([1.0, 0.8, 0.6, 0.4], 0.05, 2), null);
});

test('never stops after the first epoch (Keras checks from epoch > 0), even with patience 0', () => {
  assert.equal(stopEpoch([5], 0, 0), null);
});

test('state survives a JSON round trip (Infinity becomes null) and continues identically', () => {
  const a = new EarlyStopping({ minDelta: 0.005, patience: 1 });
  const fresh = EarlyStopping.fromState(JSON.parse(JSON.stringify(a.state())));
  assert.equal(fresh.update(0.5), false);
  a.update(0.5);
  const resumed = EarlyStopping.fromState(JSON.parse(JSON.stringify(a.state())));
  assert.equal(resumed.update(0.498), true);
  assert.equal(a.update(0.494), false);
});
