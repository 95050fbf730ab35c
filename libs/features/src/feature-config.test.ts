import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_FEATURE_CONFIG,
  FeatureConfigSchema,
  NOTEBOOK_AUGMENTATIONS,
  featureConfigKey,
  frameCount,
  logMelSize,
  parseFeatureConfig,
} from './index';

test('the default config gives (64, 35) log-mels', () => {
  assert.equal(frameCount(DEFAULT_FEATURE_CONFIG), 35);
  assert.equal(logMelSize(DEFAULT_FEATURE_CONFIG), 64 * 35);
});

test('a config survives JSON and parses back', () => {
  const parsed = parseFeatureConfig(JSON.parse(JSON.stringify(DEFAULT_FEATURE_CONFIG)));
  assert.deepEqual(parsed, { ...DEFAULT_FEATURE_CONFIG });
  assert.equal(featureConfigKey(parsed), featureConfigKey(DEFAULT_FEATURE_CONFIG));
});

test('bad configs are rejected with the source and field named', () => {
  assert.throws(() => parseFeatureConfig(null, 'm/features.json'), /m\/features\.json: expected a JSON object/);
  assert.throws(
    () => parseFeatureConfig({ ...DEFAULT_FEATURE_CONFIG, nMels: 'x' }, 'f.json'),
    /f\.json: field "nMels" must be a positive number/,
  );
  assert.throws(
    () => parseFeatureConfig({ ...DEFAULT_FEATURE_CONFIG, hopLength: 1.5 }),
    /"hopLength" must be an integer/,
  );
  assert.throws(() => parseFeatureConfig({ ...DEFAULT_FEATURE_CONFIG, nFft: 1000 }), /power of two/);
});

test('the notebook augmentations are rate-major', () => {
  assert.deepEqual(
    NOTEBOOK_AUGMENTATIONS.map((a) => [a.rate, a.nSteps]),
    [
      [0.7, -1],
      [0.7, 0],
      [0.7, 1],
      [1, -1],
      [1, 0],
      [1, 1],
      [1.3, -1],
      [1.3, 0],
      [1.3, 1],
    ],
  );
});

test('features.json is checked by its zod schema: a missing, unknown or out-of-range field names the file and field', () => {
  const { nMels: _nMels, ...noMels } = DEFAULT_FEATURE_CONFIG;
  assert.throws(
    () => parseFeatureConfig(noMels, 'm/features.json'),
    /^Error: m\/features\.json: field "nMels" must be a positive number, got nothing$/,
  );
  assert.throws(
    () => parseFeatureConfig({ ...DEFAULT_FEATURE_CONFIG, nmels: 40 }, 'm/features.json'),
    /m\/features\.json: unknown field "nmels"; expected sampleRate, length, nFft, hopLength, nMels, topDb/,
  );
  assert.throws(
    () => parseFeatureConfig({ ...DEFAULT_FEATURE_CONFIG, topDb: -80 }, 'f.json'),
    /f\.json: field "topDb" must be a positive number, got -80/,
  );
  assert.throws(
    () => parseFeatureConfig({ ...DEFAULT_FEATURE_CONFIG, length: null }, 'f.json'),
    /f\.json: field "length" must be a positive number, got null/,
  );
  assert.throws(() => parseFeatureConfig([1, 2], 'f.json'), /f\.json: expected a JSON object/);
  // The schema is the type: what parses is exactly a FeatureConfig, with nothing else kept.
  assert.deepEqual(FeatureConfigSchema.parse({ ...DEFAULT_FEATURE_CONFIG }), { ...DEFAULT_FEATURE_CONFIG });
  assert.equal(FeatureConfigSchema.safeParse({ ...DEFAULT_FEATURE_CONFIG, topDb: 80.5 }).success, true);
});
