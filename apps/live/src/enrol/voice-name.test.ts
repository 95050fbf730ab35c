import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VoiceNameSchema } from '@digits/protocol';
import { checkVoiceName } from '@digits/voice/voice-dirs';

// The dashboard's voice names become @digits/voice folders, and the voices on disk are announced in
// protocol messages: the two rules must accept exactly the same names.
test("the protocol's voice names are exactly @digits/voice's", () => {
  const names = [
    'ada',
    'a',
    'ada_lovelace-2',
    '-x',
    '_',
    'a'.repeat(40),
    'a'.repeat(41),
    'Ada',
    'a b',
    'a.b',
    '..',
    '',
    'é',
  ];
  for (const name of names) {
    let voiceOk = true;
    try {
      checkVoiceName(name);
    } catch {
      voiceOk = false;
    }
    assert.equal(VoiceNameSchema.safeParse(name).success, voiceOk, JSON.stringify(name));
  }
});
