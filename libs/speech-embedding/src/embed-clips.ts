// Pooled vectors of many clips, with optional augmented copies, through an on-disk cache: training and
// evaluation (every fold of a protocol) embed each clip once per recipe.
import type { NoisePools } from '@digits/acoustics';
import { decodeWav } from '@digits/dsp';
import { FeatureCache } from '@digits/features';
import { augmentForEmbedding, nameSeed, roomCondition, type EmbeddingAugmentOptions } from './embedding-augment';
import { POOLED_DIM } from './pooled-embedding';
import { toFrontEndRate, type SpeechFrontEnd } from './speech-front-end';

export interface EmbedClipInput {
  /** For messages and the augmentation draw. */
  name: string;
  bytes: Uint8Array;
}

export interface EmbedClipsOptions {
  /**
   * null: plain pooled vectors; otherwise one augmented copy drawn with this seed. With `options.rooms`,
   * `pools` (16 kHz clips for babble) and `poolsKey` (a name for them that changes when they change: it is
   * part of the cache key) may be given.
   */
  augment?: { seed: number; options?: EmbeddingAugmentOptions; pools?: NoisePools; poolsKey?: string } | null;
  cacheDir?: string | null;
  onProgress?: (done: number, total: number) => void;
}

export interface EmbeddedClips {
  /** n x POOLED_DIM, row-major; rows of failed clips are left out. */
  vectors: Float32Array;
  /** Indices (into the input) of the rows of `vectors`. */
  rows: number[];
  failed: { index: number; name: string; reason: string }[];
}

/** The augmentation seed of one clip's copy. */
const clipSeed = (seed: number, name: string) => (seed * 7919 + nameSeed(name)) >>> 0;

export async function embedClips(
  frontEnd: SpeechFrontEnd,
  clips: readonly EmbedClipInput[],
  opts: EmbedClipsOptions = {},
): Promise<EmbeddedClips> {
  const cache = opts.cacheDir ? new FeatureCache(opts.cacheDir) : null;
  const d = frontEnd.description;
  const a = opts.augment;
  // The plain and non-room recipes keep the keys they always had (their cached vectors stay valid).
  const recipeOf = (options: EmbeddingAugmentOptions | undefined) =>
    a
      ? `augment:${a.seed}:${JSON.stringify(options ?? {})}${options?.rooms ? `:pools=${a.poolsKey ?? 'none'}` : ''}`
      : 'plain';
  const recipe = recipeOf(a?.options);
  // An ablation (rooms.without) hears most clips exactly as the full recipe does (those whose draw had none
  // of the removed parts): those take the full recipe's key, so its cached vectors serve both.
  const without = a?.options?.rooms?.without ?? [];
  const fullOptions =
    a?.options?.rooms && without.length
      ? { ...a.options, rooms: Object.fromEntries(Object.entries(a.options.rooms).filter(([k]) => k !== 'without')) }
      : undefined;
  const recipeFor = (name: string) => {
    if (!a || !fullOptions?.rooms) return recipe;
    const seed = clipSeed(a.seed, name);
    const same =
      JSON.stringify(roomCondition(seed, a.options!.rooms!, a.pools)) ===
      JSON.stringify(roomCondition(seed, fullOptions.rooms, a.pools));
    return same ? recipeOf(fullOptions) : recipe;
  };
  const out = new Float32Array(clips.length * POOLED_DIM);
  const rows: number[] = [];
  const failed: { index: number; name: string; reason: string }[] = [];
  for (let i = 0; i < clips.length; i++) {
    const c = clips[i];
    const key = FeatureCache.key(
      ['speech-embedding-pooled-v1', d.melSha256, d.embeddingSha256, recipeFor(c.name), c.name],
      c.bytes,
    );
    let v = cache?.get(key, POOLED_DIM);
    if (!v) {
      try {
        const wav = decodeWav(c.bytes, c.name);
        const at16 = toFrontEndRate(wav.samples, wav.sampleRate);
        if (opts.augment) {
          const aug = augmentForEmbedding(
            at16,
            clipSeed(opts.augment.seed, c.name),
            opts.augment.options,
            opts.augment.pools,
          );
          v = await frontEnd.embedClip(aug.samples, 16000, { offset: aug.offset, centreError: aug.centreError });
        } else {
          v = await frontEnd.embedClip(at16, 16000);
        }
        cache?.put(key, v);
      } catch (e) {
        failed.push({ index: i, name: c.name, reason: (e as Error).message });
        opts.onProgress?.(i + 1, clips.length);
        continue;
      }
    }
    out.set(v, rows.length * POOLED_DIM);
    rows.push(i);
    opts.onProgress?.(i + 1, clips.length);
  }
  return { vectors: out.slice(0, rows.length * POOLED_DIM), rows, failed };
}
