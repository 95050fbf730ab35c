// What a model folder's features.json describes: the log-mel a network was trained on (a FeatureConfig), or
// the pretrained speech-embedding front end a head was trained on top of. One schema per kind, and they are
// the types; the file itself says which kind it is.
import path from 'node:path';
import { z } from 'zod';
import { parseFeatureConfig, type FeatureConfig } from '@digits/features';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 (64 hex digits)');

/** features.json of a speech-embedding model: which front end (and exactly which files), how utterances are pooled. */
export const EmbeddingFeaturesSchema = z
  .object({
    kind: z.literal('speech-embedding'),
    /** The front end's folder: relative to the repository's models/ folder, or absolute. */
    frontEnd: z.string().min(1),
    melSha256: sha256,
    embeddingSha256: sha256,
    /** Embedding windows (80 ms apart) pooled per utterance. */
    pooledWindows: z.number().int().min(1).max(32),
  })
  .strict();
export type EmbeddingFeatures = z.infer<typeof EmbeddingFeaturesSchema>;

export type ModelFeatures =
  { kind: 'logmel'; config: FeatureConfig } | { kind: 'speech-embedding'; embedding: EmbeddingFeatures };

/** The repository's models/ folder (front ends named in features.json are found there). */
export const MODELS_ROOT = path.resolve(__dirname, '../../../../models');

/**
 * For a speech-embedding model, the log-mel the live dashboard draws and the rate the live app cuts
 * utterances at: the front end's 16 kHz. The network never sees it; it only keeps the display honest about
 * the audio the model hears.
 */
export const EMBEDDING_DISPLAY_CONFIG: FeatureConfig = {
  sampleRate: 16000,
  length: 12800,
  nFft: 1024,
  hopLength: 256,
  nMels: 64,
  topDb: 80,
};

/** Parses features.json; `source` names the file in errors. */
export function parseModelFeatures(value: unknown, source: string): ModelFeatures {
  if (value && typeof value === 'object' && (value as { kind?: unknown }).kind === 'speech-embedding') {
    const r = EmbeddingFeaturesSchema.safeParse(value);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new Error(`${source}: field "${issue.path.join('.') || '(root)'}": ${issue.message}`);
    }
    return { kind: 'speech-embedding', embedding: r.data };
  }
  return { kind: 'logmel', config: parseFeatureConfig(value, source) };
}

/** The front end folder a speech-embedding model names. */
export function frontEndDir(features: EmbeddingFeatures): string {
  return path.isAbsolute(features.frontEnd) ? features.frontEnd : path.join(MODELS_ROOT, features.frontEnd);
}
