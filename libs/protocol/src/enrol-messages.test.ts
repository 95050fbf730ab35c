import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ENROL_AUDIO_MAX_BASE64,
  ENROL_THUMBNAIL_POINTS,
  MAX_LISTED_VOICES,
  parseClientMessage,
  parseServerMessage,
  type EnrolStateMessage,
} from './index';

test('enrolment client messages parse; takesPerDigit defaults to 3', () => {
  const valid = [
    { type: 'enrol-start', name: 'ada', takesPerDigit: 1 },
    { type: 'enrol-start', name: 'ada_lovelace-2', takesPerDigit: 5 },
    { type: 'enrol-redo', digit: 9, take: 5 },
    { type: 'enrol-play', digit: 0, take: 1 },
    { type: 'enrol-cancel' },
    { type: 'enrol-finish' },
    { type: 'use-model', which: 'base' },
    { type: 'use-model', which: 'personal', voice: 'ada' },
  ];
  for (const m of valid) assert.deepEqual(parseClientMessage(JSON.stringify(m)), { ok: true, message: m });
  assert.deepEqual(parseClientMessage({ type: 'enrol-start', name: 'ada' }), {
    ok: true,
    message: { type: 'enrol-start', name: 'ada', takesPerDigit: 3 },
  });
});

test('bad enrolment client messages are errors naming the field', () => {
  const invalid: [unknown, RegExp][] = [
    [
      { type: 'enrol-start', name: '../etc' },
      /invalid "enrol-start" message: field "name": a voice name is lower-case letters/,
    ],
    [{ type: 'enrol-start', name: 'a.b' }, /field "name"/],
    [{ type: 'enrol-start', name: 'Ada' }, /field "name": a voice name is lower-case/],
    [{ type: 'enrol-start', name: '' }, /field "name"/],
    [{ type: 'enrol-start', name: 'a'.repeat(41) }, /field "name"/],
    [{ type: 'enrol-start', name: 'ada', takesPerDigit: 0 }, /field "takesPerDigit"/],
    [{ type: 'enrol-start', name: 'ada', takesPerDigit: 6 }, /field "takesPerDigit"/],
    [{ type: 'enrol-start', name: 'ada', takesPerDigit: 2.5 }, /field "takesPerDigit"/],
    [{ type: 'enrol-start' }, /field "name": Required/],
    [{ type: 'enrol-redo', digit: 10, take: 1 }, /field "digit"/],
    [{ type: 'enrol-redo', digit: 1, take: 0 }, /field "take"/],
    [{ type: 'enrol-play', digit: '1', take: 1 }, /field "digit"/],
    [{ type: 'enrol-cancel', now: true }, /Unrecognized key\(s\) in object: 'now'/],
    [{ type: 'use-model', which: 'other' }, /field "which"/],
    [{ type: 'use-model', which: 'personal', voice: 'a b' }, /field "voice"/],
  ];
  for (const [m, re] of invalid) {
    const r = parseClientMessage(m);
    assert.equal(r.ok, false, JSON.stringify(m));
    if (!r.ok) assert.match(r.error, re, JSON.stringify(m));
  }
});

const state: EnrolStateMessage = {
  type: 'enrol-state',
  active: true,
  name: 'ada',
  takesPerDigit: 1,
  prompt: null,
  takes: [],
  training: { done: 3, total: 10 },
};
const take = { digit: 1, take: 1, durationMs: 400, thumbnail: [0.1, 1] };

test('enrolment server messages are bounded: thumbnails, takes, audio, voices', () => {
  assert.equal(parseServerMessage({ ...state, takes: [take] }).ok, true);
  const invalid: [string, unknown, RegExp][] = [
    [
      'a thumbnail too long',
      { ...state, takes: [{ ...take, thumbnail: new Array(ENROL_THUMBNAIL_POINTS + 1).fill(0) }] },
      /field "takes\[0\]\.thumbnail"/,
    ],
    ['a thumbnail above 1', { ...state, takes: [{ ...take, thumbnail: [1.5] }] }, /field "takes\[0\]\.thumbnail\[0\]"/],
    ['51 takes', { ...state, takes: new Array(51).fill(take) }, /field "takes": Array must contain at most 50/],
    ['take 6', { ...state, takes: [{ ...take, take: 6 }] }, /field "takes\[0\]\.take"/],
    ['an empty problem', { ...state, takes: [{ ...take, problem: '' }] }, /field "takes\[0\]\.problem"/],
    ['training total 0', { ...state, training: { done: 0, total: 0 } }, /field "training\.total"/],
    [
      'audio too long',
      { type: 'enrol-take-audio', digit: 1, take: 1, sampleRate: 16000, pcm: 'A'.repeat(ENROL_AUDIO_MAX_BASE64 + 4) },
      /field "pcm"/,
    ],
    [
      'audio not base64',
      { type: 'enrol-take-audio', digit: 1, take: 1, sampleRate: 16000, pcm: 'AA!=' },
      /field "pcm": base64/,
    ],
    [
      'audio at another rate',
      { type: 'enrol-take-audio', digit: 1, take: 1, sampleRate: 8000, pcm: '' },
      /field "sampleRate"/,
    ],
    [
      'too many voices',
      {
        type: 'model',
        active: 'base',
        name: 'm',
        dir: '/m',
        voices: Array.from({ length: MAX_LISTED_VOICES + 1 }, (_, i) => `v${i}`),
      },
      /field "voices"/,
    ],
    ['model active other', { type: 'model', active: 'mine', name: 'm', dir: '/m', voices: [] }, /field "active"/],
    ['enrol-error without message', { type: 'enrol-error', message: '' }, /field "message"/],
  ];
  for (const [why, m, re] of invalid) {
    const r = parseServerMessage(m);
    assert.equal(r.ok, false, why);
    if (!r.ok) assert.match(r.error, re, `${why}: ${r.error}`);
  }
  // The cap is 1.5 s of 16-bit samples at 16 kHz, exactly.
  assert.equal(ENROL_AUDIO_MAX_BASE64, (4 * (1.5 * 16000 * 2)) / 3);
});

test('hello may mark its model as a personal voice', () => {
  const hello = {
    type: 'hello',
    protocolVersion: 2,
    model: { name: 'ada', path: '/v/ada', voice: 'ada' },
    featureConfig: { sampleRate: 22050, length: 17640, nFft: 2048, hopLength: 512, nMels: 64, topDb: 80 },
    source: { kind: 'stdin', description: 'stdin', sampleRate: 16000 },
  };
  assert.equal(parseServerMessage(hello).ok, true);
  assert.equal(parseServerMessage({ ...hello, model: { ...hello.model, voice: '../x' } }).ok, false);
});
