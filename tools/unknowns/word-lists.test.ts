// The unknown words' lists keep the split honest: group b (every third word of UNKNOWN_WORDS) is never
// trained on, so the training-only lists must hold none of its words, nor a digit or a digit homophone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRAIN_ONLY_WORDS, TRAIN_VOCABULARY, UNKNOWN_WORDS } from './generate-unknowns';

const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'oh'];
const HOMOPHONES = ['won', 'to', 'too', 'for', 'fore', 'ate', 'tree', 'free', 'sex', 'heaven'];
const groupB = UNKNOWN_WORDS.filter((_, i) => i % 3 === 2);

test('the training vocabulary holds no group-b word or form of one, no digit, and no word twice', () => {
  assert.ok(TRAIN_VOCABULARY.length >= 300, `${TRAIN_VOCABULARY.length} words`);
  assert.equal(new Set(TRAIN_VOCABULARY).size, TRAIN_VOCABULARY.length);
  for (const w of TRAIN_VOCABULARY) {
    assert.ok(!UNKNOWN_WORDS.includes(w) && !TRAIN_ONLY_WORDS.includes(w), `${w} is in another list`);
    assert.ok(!DIGITS.includes(w) && !HOMOPHONES.includes(w), `${w} is a digit or sounds like one`);
    // A word that starts with a group-b word ("cats", "waiting") is one of its forms.
    for (const b of groupB) assert.ok(!(w.startsWith(b) && b.length >= 3), `${w} is a form of group-b "${b}"`);
  }
});

test('the training-only near-rhymes hold no group-b word either', () => {
  for (const w of TRAIN_ONLY_WORDS) assert.ok(!groupB.includes(w), w);
});
