import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXPERIMENTS } from '../experiments';
import { notebookSentence } from './model-section';

const epoch = (n: number, f1: number, valF1: number) => ({
  epoch: n,
  loss: 1,
  val_loss: 1,
  f1,
  val_f1: valF1,
  seconds: 1,
});

test("the notebook's per-epoch figures end on its reported final figures", () => {
  for (const e of EXPERIMENTS) {
    const h = e.notebook.history;
    if (!h) continue;
    const last = h[h.length - 1];
    assert.equal(last.epoch, e.notebook.epochs, `#${e.id}: last epoch`);
    assert.deepEqual(
      [last.f1, last.val_f1, last.loss, last.val_loss],
      [e.notebook.trainF1, e.notebook.valF1, e.notebook.trainLoss, e.notebook.valLoss],
      `#${e.id}`,
    );
    assert.deepEqual(
      h.map((x) => x.epoch),
      h.map((_, i) => i + 1),
      `#${e.id}: one entry per epoch from 1`,
    );
  }
  assert.ok(EXPERIMENTS.filter((e) => e.notebook.history).length >= 2, "models 2 and 4 carry the notebook's epochs");
});

test('the comparison with the notebook averages the F1 differences over the epochs both ran', () => {
  const theirs = [
    { epoch: 1, f1: 0.5, val_f1: 0.4 },
    { epoch: 2, f1: 0.7, val_f1: 0.6 },
    { epoch: 3, f1: 0.8, val_f1: 0.9 },
  ];
  const text = notebookSentence([epoch(1, 0.6, 0.4), epoch(2, 0.7, 0.5)], theirs);
  assert.match(
    text,
    /Over the 2 epochs both ran, our F1 minus the notebook's averaged \+0\.0500 on the training set and -0\.0500 on the validation set\./,
  );
  assert.match(text, /Ours stopped after epoch 2 with val F1 0\.5000; the notebook's after epoch 3 with 0\.9000\./);
  assert.match(notebookSentence([epoch(9, 0.6, 0.4)], theirs), /share no epoch/);
});
