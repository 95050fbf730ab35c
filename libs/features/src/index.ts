export {
  DEFAULT_FEATURE_CONFIG,
  NOTEBOOK_AUGMENTATIONS,
  frameCount,
  logMelSize,
  parseFeatureConfig,
  FeatureConfigSchema,
  featureConfigKey,
  type FeatureConfig,
  type Augmentation,
} from './feature-config';
export { loadClip, clipAtRate, padClip, clipLogMel, augmentClip, augmentClipPadded } from './clip-features';
export { LogMelAugmenter, type LogMelAugmentOptions } from './logmel-augment';
export {
  featurizeClips,
  type ClipInput,
  type FeaturizeOptions,
  type FeatureBatch,
  type SkippedClip,
} from './featurize-clips';
export { FeatureCache } from './feature-cache';
export { defaultCacheDir } from './cache-dir';
