// @digits/protocol describes the hello's featureConfig itself (it depends on zod only, so it cannot import
// @digits/features); this checks that its shape is exactly the features' FeatureConfig.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_FEATURE_CONFIG, parseFeatureConfig, type FeatureConfig } from '@digits/features';
import { EMBEDDING_DISPLAY_CONFIG } from '@digits/model';
import {
  FeatureConfigInfoSchema,
  HelloServerMessageSchema,
  PROTOCOL_VERSION,
  type FeatureConfigInfo,
} from '@digits/protocol';

// Compile-time: each type is assignable to the other (the build type-checks this file).
const _toProtocol = (c: FeatureConfig): FeatureConfigInfo => c;
const _toFeatures = (c: FeatureConfigInfo): FeatureConfig => c;

// models/model5 is the shipped log-mel model (the default, model 6, names a speech front end instead).
const LOGMEL_MODEL = path.resolve(__dirname, '..', '..', 'models', 'model5', 'features.json');

test('the protocol featureConfig has exactly the fields of the features FeatureConfig', () => {
  assert.deepEqual(Object.keys(FeatureConfigInfoSchema.shape).sort(), Object.keys(DEFAULT_FEATURE_CONFIG).sort());
});

test('the default feature config and the shipped model features.json are valid hello featureConfigs', () => {
  assert.deepEqual(FeatureConfigInfoSchema.parse(DEFAULT_FEATURE_CONFIG), DEFAULT_FEATURE_CONFIG);
  // A speech-embedding model (the default) greets with its 16 kHz display config.
  assert.deepEqual(FeatureConfigInfoSchema.parse(EMBEDDING_DISPLAY_CONFIG), EMBEDDING_DISPLAY_CONFIG);
  const shipped = parseFeatureConfig(JSON.parse(readFileSync(LOGMEL_MODEL, 'utf8')), LOGMEL_MODEL);
  const hello = {
    type: 'hello',
    protocolVersion: PROTOCOL_VERSION,
    model: { name: 'default' },
    featureConfig: { ...shipped },
    source: { kind: 'wav', description: 'a.wav', sampleRate: 8000 },
  };
  const r = HelloServerMessageSchema.safeParse(hello);
  assert.ok(r.success, r.success ? '' : r.error.message);
});

test('what parseFeatureConfig rejects, the protocol rejects too', () => {
  for (const bad of [
    { ...DEFAULT_FEATURE_CONFIG, nMels: 0 },
    { ...DEFAULT_FEATURE_CONFIG, hopLength: 1.5 },
    { ...DEFAULT_FEATURE_CONFIG, topDb: -1 },
  ]) {
    assert.throws(() => parseFeatureConfig(bad), /field/, JSON.stringify(bad));
    assert.equal(FeatureConfigInfoSchema.safeParse(bad).success, false, JSON.stringify(bad));
  }
});
