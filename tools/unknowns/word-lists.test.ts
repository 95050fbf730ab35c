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
    // A word holding a group-b word ("cats", "street") or a word of a group-b phrase ("morning") is too near it.
    // (Spelling stands in for sound: a 3-letter word counts as a prefix only, so "listen" is not "ten".)
    for (const b of groupB.flatMap((p) => p.split(' '))) {
      assert.ok(!(w.startsWith(b) && b.length >= 3), `${w} is a form of group-b "${b}"`);
      assert.ok(!(w.includes(b) && b.length >= 4), `${w} holds group-b "${b}"`);
    }
    for (const prefix of ['to', 'for', 'one', 'two', 'six', 'nine'])
      assert.ok(!w.startsWith(prefix), `${w} starts like a digit or homophone ("${prefix}")`);
  }
});

test('the training-only near-rhymes hold no group-b word either', () => {
  for (const w of TRAIN_ONLY_WORDS) assert.ok(!groupB.includes(w), w);
});
