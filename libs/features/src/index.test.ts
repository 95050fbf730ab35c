import assert from 'node:assert/strict';
import { it } from 'node:test';
import { encodeWav16 } from '@digits/dsp';
import * as features from './index';

// The public surface the model, trainer and live app build on (`@digits/features`): changing it should be
// a deliberate act.
it('exports exactly the documented API', () => {
  assert.deepEqual(Object.keys(features).sort(), [
    'DEFAULT_FEATURE_CONFIG',
    'FeatureCache',
    'FeatureConfigSchema',
    'LogMelAugmenter',
    'NOTEBOOK_AUGMENTATIONS',
    'augmentClip',
    'augmentClipPadded',
    'clipAtRate',
    'clipLogMel',
    'defaultCacheDir',
    'featureConfigKey',
    'featurizeClips',
    'frameCount',
    'loadClip',
    'logMelSize',
    'padClip',
    'parseFeatureConfig',
  ]);
  const constants = new Set(['DEFAULT_FEATURE_CONFIG', 'NOTEBOOK_AUGMENTATIONS', 'FeatureConfigSchema']);
  for (const [name, value] of Object.entries(features))
    if (!constants.has(name)) assert.equal(typeof value, 'function', name);
  assert.equal(features.NOTEBOOK_AUGMENTATIONS.length, 9);
  assert.equal(typeof features.FeatureConfigSchema.safeParse, 'function');
  assert.deepEqual(
    features.parseFeatureConfig({ ...features.DEFAULT_FEATURE_CONFIG }),
    features.DEFAULT_FEATURE_CONFIG,
  );
});

it('a synthetic clip becomes a log-mel of the configured size through the public API only', () => {
  const config = features.DEFAULT_FEATURE_CONFIG;
  const sr = 8000;
  const tone = Float32Array.from({ length: 4000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / sr));
  const samples = features.loadClip(encodeWav16(tone, sr), config, 'tone.wav');
  assert.equal(samples.length, Math.round((4000 * config.sampleRate) / sr));
  const padded = features.padClip(samples, config);
  assert.equal(padded.length, config.length);
  const logmel = features.clipLogMel(padded, config);
  assert.equal(logmel.length, features.logMelSize(config));
  assert.equal(features.logMelSize(config), config.nMels * features.frameCount(config));
  // Within the top_db range of its maximum (0 dB): nothing below -topDb, nothing above 0.
  assert.ok(
    logmel.every((v) => v <= 1e-4 && v >= -config.topDb - 1e-4),
    'log-mel outside [-topDb, 0]',
  );
});
