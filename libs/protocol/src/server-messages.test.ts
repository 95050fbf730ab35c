import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseServerMessage,
  serializeServerMessage,
  PredictionMessageSchema,
  SpectrogramMessageSchema,
  PROTOCOL_VERSION,
  type ServerMessage,
} from './index';

const featureConfig = { sampleRate: 22050, length: 17640, nFft: 2048, hopLength: 512, nMels: 64, topDb: 80 };
const probs = [0.01, 0.01, 0.02, 0.9, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01];

/** One valid example of every server message type. */
const valid: Record<ServerMessage['type'], ServerMessage> = {
  hello: {
    type: 'hello',
    protocolVersion: PROTOCOL_VERSION,
    model: { name: 'exp1-lstm', path: 'runs/exp1', experiment: 'exp1', params: 123456, metrics: { accuracy: 0.97 } },
    featureConfig,
    source: { kind: 'mic', description: 'virtmic', sampleRate: 16000 },
  },
  level: { type: 'level', rmsDbfs: -42.5, peakDbfs: -30.1, tMs: 1230 },
  speech: { type: 'speech', state: 'start', tMs: 1500 },
  prediction: { type: 'prediction', digit: 3, confidence: 0.9, probs, startMs: 1500, endMs: 1900, latencyMs: 240 },
  digits: {
    type: 'digits',
    text: '5512',
    grouped: '55 12',
    digits: [
      { digit: 5, confidence: 0.9, startMs: 1500, endMs: 1800 },
      { digit: 5, confidence: 0.8, startMs: 1850, endMs: 2100 },
      { digit: 1, confidence: 0.95, startMs: 2600, endMs: 2900 },
      { digit: 2, confidence: 0.7, startMs: 2950, endMs: 3300 },
    ],
    startMs: 1500,
    endMs: 3300,
    latencyMs: 520,
    reason: 'pause',
  },
  spectrogram: {
    type: 'spectrogram',
    tMs: 0,
    hopMs: 23.22,
    nMels: 3,
    columns: [
      [-80, -40, -20],
      [-79, -41, -22],
    ],
  },
  status: { type: 'status', state: 'reopening', detail: 'input overflow', overflows: 2 },
  error: { type: 'error', message: 'unknown message type', code: 'bad-message' },
  pong: { type: 'pong', id: 7 },
  'enrol-state': {
    type: 'enrol-state',
    active: true,
    name: 'ada',
    takesPerDigit: 3,
    prompt: { digit: 0, take: 2, redo: false },
    takes: [{ digit: 0, take: 1, durationMs: 512, thumbnail: [0, 0.5, 1, 0.25] }],
    training: null,
  },
  'enrol-take-audio': { type: 'enrol-take-audio', digit: 0, take: 1, sampleRate: 16000, pcm: 'AAABAP//' },
  'enrol-done': {
    type: 'enrol-done',
    voice: 'ada',
    dir: '/home/ada/.digits/voices/ada',
    seconds: 12.5,
    method: 'fine-tuned head',
    takesUsed: 10,
    rejected: [],
  },
  'enrol-error': { type: 'enrol-error', message: 'no enrolment session', code: 'no-session' },
  model: { type: 'model', active: 'personal', name: 'ada', dir: '/v/ada', voices: ['ada'] },
};

/** Invalid variants: [why, message, field the error must name]. */
const invalid: [string, unknown, string][] = [
  ['hello without model name', { ...valid.hello, model: { name: '' } }, 'model.name'],
  [
    'hello with unknown source kind',
    { ...valid.hello, source: { kind: 'usb', description: '', sampleRate: 1 } },
    'source.kind',
  ],
  ['hello with featureConfig not an object', { ...valid.hello, featureConfig: [1, 2] }, 'featureConfig'],
  [
    'hello with featureConfig missing sampleRate',
    { ...valid.hello, featureConfig: { ...featureConfig, sampleRate: undefined } },
    'featureConfig.sampleRate',
  ],
  [
    'hello with featureConfig nMels 0',
    { ...valid.hello, featureConfig: { ...featureConfig, nMels: 0 } },
    'featureConfig.nMels',
  ],
  [
    'hello with fractional featureConfig hopLength',
    { ...valid.hello, featureConfig: { ...featureConfig, hopLength: 511.5 } },
    'featureConfig.hopLength',
  ],
  ['hello without protocolVersion', { ...valid.hello, protocolVersion: undefined }, 'protocolVersion'],
  ['level with rmsDbfs as string', { ...valid.level, rmsDbfs: '-40' }, 'rmsDbfs'],
  ['level with negative tMs', { ...valid.level, tMs: -1 }, 'tMs'],
  ['level with -Infinity (JSON null)', JSON.parse(JSON.stringify({ ...valid.level, rmsDbfs: -Infinity })), 'rmsDbfs'],
  ['speech with unknown state', { ...valid.speech, state: 'middle' }, 'state'],
  ['prediction with 9 probs', { ...valid.prediction, probs: probs.slice(1) }, 'probs'],
  ['prediction with digit 10', { ...valid.prediction, digit: 10 }, 'digit'],
  ['prediction with digit 2.5', { ...valid.prediction, digit: 2.5 }, 'digit'],
  ['prediction with confidence > 1', { ...valid.prediction, confidence: 1.5 }, 'confidence'],
  ['prediction ending before it starts', { ...valid.prediction, endMs: 1000 }, 'endMs'],
  ['prediction without latencyMs', { ...valid.prediction, latencyMs: undefined }, 'latencyMs'],
  ['digits whose text is not its digits', { ...valid.digits, text: '5513', grouped: '55 13' }, 'text'],
  ['digits grouped with other digits', { ...valid.digits, grouped: '55 13' }, 'grouped'],
  ['digits with a letter in text', { ...valid.digits, text: '55a2' }, 'text'],
  ['digits with a double space', { ...valid.digits, grouped: '55  12' }, 'grouped'],
  ['digits ending before they start', { ...valid.digits, endMs: 1000 }, 'endMs'],
  ['digits with an unknown reason', { ...valid.digits, reason: 'tired' }, 'reason'],
  [
    'digits with digit 10',
    { ...valid.digits, digits: [{ digit: 10, confidence: 0.9, startMs: 1500, endMs: 1800 }] },
    'digits[0].digit',
  ],
  [
    'spectrogram column of wrong height',
    {
      ...valid.spectrogram,
      columns: [
        [1, 2, 3],
        [1, 2],
      ],
    },
    'columns[1]',
  ],
  ['spectrogram without columns', { ...valid.spectrogram, columns: [] }, 'columns'],
  ['status with unknown state', { ...valid.status, state: 'sleeping' }, 'state'],
  ['status with fractional overflows', { ...valid.status, overflows: 1.5 }, 'overflows'],
  ['error without message', { type: 'error', message: '' }, 'message'],
];

test('every valid server message parses, from an object and from JSON text, unchanged', () => {
  for (const m of Object.values(valid)) {
    assert.deepEqual(parseServerMessage(m), { ok: true, message: m }, m.type);
    assert.deepEqual(parseServerMessage(JSON.stringify(m)), { ok: true, message: m }, m.type);
    assert.deepEqual(parseServerMessage(new TextEncoder().encode(JSON.stringify(m))), { ok: true, message: m }, m.type);
  }
});

test('a digit of null (the recognizer declined) is a valid prediction', () => {
  const r = parseServerMessage({ ...valid.prediction, digit: null });
  assert.equal(r.ok, true);
});

test('optional fields may be left out', () => {
  for (const m of [
    {
      type: 'hello',
      protocolVersion: 1,
      model: { name: 'm' },
      featureConfig: featureConfig,
      source: { kind: 'wav', description: 'a.wav', sampleRate: 8000 },
    },
    { type: 'level', rmsDbfs: -100, tMs: 0 },
    { type: 'status', state: 'listening' },
    { type: 'error', message: 'x' },
    { type: 'pong' },
  ]) {
    assert.equal(parseServerMessage(m).ok, true, JSON.stringify(m));
  }
});

test('each invalid server message is rejected with an error naming the field', () => {
  for (const [why, m, field] of invalid) {
    const r = parseServerMessage(m);
    assert.equal(r.ok, false, why);
    if (!r.ok) assert.match(r.error, new RegExp(`field "${field.replace(/[[\]]/g, '\\$&')}"`), `${why}: ${r.error}`);
  }
});

test('the prediction message has exactly the agreed fields: extra fields are rejected', () => {
  const r = parseServerMessage({ ...valid.prediction, label: 'three' });
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error, /invalid "prediction" message: Unrecognized key\(s\) in object: 'label'/);
  assert.deepEqual(Object.keys(PredictionMessageSchema.parse(valid.prediction)).sort(), [
    'confidence',
    'digit',
    'endMs',
    'latencyMs',
    'probs',
    'startMs',
    'type',
  ]);
});

test('the hello featureConfig has exactly the feature config fields: extra fields are rejected', () => {
  const r = parseServerMessage({ ...valid.hello, featureConfig: { ...featureConfig, fmax: 8000 } });
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error, /Unrecognized key\(s\) in object: 'fmax'/);
});

test('the per-type schemas apply the same cross-field checks as the union', () => {
  assert.equal(PredictionMessageSchema.safeParse({ ...valid.prediction, endMs: 0 }).success, false);
  assert.equal(SpectrogramMessageSchema.safeParse({ ...valid.spectrogram, nMels: 2 }).success, false);
});

test('unknown types, non-objects and broken JSON are errors', () => {
  assert.deepEqual(parseServerMessage({ type: 'dance' }).ok, false);
  const unknown = parseServerMessage({ type: 'dance' });
  if (!unknown.ok) assert.match(unknown.error, /^unknown message type "dance": expected "hello", "level"/);
  const missing = parseServerMessage({ digit: 3 });
  if (!missing.ok) assert.match(missing.error, /^unknown message type missing/);
  assert.equal(parseServerMessage(null).ok, false);
  const num = parseServerMessage(42);
  assert.equal(num.ok, false);
  if (!num.ok) assert.equal(num.error, 'invalid message: expected a JSON object with a "type" field, got number');
  const broken = parseServerMessage('{"type":');
  assert.equal(broken.ok, false);
  if (!broken.ok) assert.match(broken.error, /^not JSON: /);
});

test('serializeServerMessage returns JSON for valid messages and throws a readable error otherwise', () => {
  assert.deepEqual(JSON.parse(serializeServerMessage(valid.prediction)), valid.prediction);
  assert.throws(
    () => serializeServerMessage({ ...valid.prediction, probs: [1] } as ServerMessage),
    /invalid "prediction" message: field "probs"/,
  );
});
