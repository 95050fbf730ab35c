import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as voice from './index';
import * as voiceDirs from './voice-dirs';

// The public surface the CLI and the dashboard build on (`@digits/voice`): changing it should be a deliberate act.
test('exports exactly the documented API', () => {
  assert.deepEqual(Object.keys(voice).sort(), [
    'ENROL_SETTINGS',
    'EnrolmentMetaSchema',
    'TAKE_LIMITS',
    'TAKE_NAME_PATTERN',
    'VOICE_NAME_PATTERN',
    'checkTake',
    'checkVoiceName',
    'enrolVoice',
    'listVoices',
    'parseTakeName',
    'readEnrolmentMeta',
    'readTakeFiles',
    'speechSpan',
    'voiceDir',
    'voicesRoot',
  ]);
});

test('@digits/voice/voice-dirs (what the live app imports without tfjs) holds the voice-folder functions', () => {
  for (const name of ['voicesRoot', 'voiceDir', 'listVoices', 'checkVoiceName'] as const)
    assert.equal(voiceDirs[name], voice[name]);
});
