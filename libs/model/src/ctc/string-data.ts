// Sets of generated digit strings through the speech front end, cached on disk: training pools, validation sets
// and the held-out benchmark sets are all made here, one front-end pass per string, each string's embeddings
// stored under a key of everything that determines them (the pool's clips, the seed, the recipe, the front end).
import { createHash } from 'node:crypto';
import {
  composeDigitString,
  generateDigitString,
  type DigitString,
  type DigitStringOptions,
  type StringClip,
  type StringClipPool,
  type StringDigit,
} from '@digits/dataset';
import { FeatureCache } from '@digits/features';
import { EMBEDDING_DIM, FIRST_WINDOW_CHUNK, CHUNK_SAMPLES, type SpeechFrontEnd } from '@digits/speech-embedding';
import type { LabelledSequence } from './string-model';

/**
 * A named set of strings: `count` strings drawn from the pool with seeds seed, seed + 1, ...; or, with `clips`,
 * one string of each given clip list (e.g. every clip alone: isolated digits), placed with those seeds.
 */
export interface StringSetSpec {
  name: string;
  count: number;
  seed: number;
  options: DigitStringOptions;
  clips?: readonly (readonly StringClip[])[];
}

/** One string of a set: its embeddings and labels (a LabelledSequence) and where its digits are. */
export interface EmbeddedString extends LabelledSequence {
  spans: StringDigit[];
  /** Audio length in samples (16 kHz). */
  samples: number;
}

/** A short fingerprint of a pool's clips (names, lengths, a checksum of samples): part of every cache key. */
export function poolFingerprint(pool: StringClipPool): string {
  const h = createHash('sha256');
  for (const c of [...pool.clips].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    let sum = 0;
    for (let i = 0; i < c.samples.length; i += 7) sum += c.samples[i] * (1 + (i % 13));
    h.update(`${c.name}:${c.speaker}:${c.digit}:${c.samples.length}:${sum.toFixed(6)}\n`);
  }
  // Fillers change the strings a recipe with fillerProbability draws; a pool without them keeps its old key.
  for (const f of pool.fillers) {
    let sum = 0;
    for (let i = 0; i < f.samples.length; i += 7) sum += f.samples[i] * (1 + (i % 13));
    h.update(`filler:${f.name}:${f.samples.length}:${sum.toFixed(6)}\n`);
  }
  return h.digest('hex').slice(0, 32);
}

/** Embedding frames the front end gives for `samples` samples of 16 kHz audio. */
export function framesOfSamples(samples: number): number {
  return Math.max(0, Math.floor(samples / CHUNK_SAMPLES) - FIRST_WINDOW_CHUNK);
}

/** How many strings a set holds. */
export function stringSetSize(spec: StringSetSpec): number {
  return spec.clips ? spec.clips.length : spec.count;
}

/** String `i` of a set, at 16 kHz: the audio embedStringSet embeds (the same seed, clips and options). */
export function stringOfSet(pool: StringClipPool, spec: StringSetSpec, i: number): DigitString {
  const seed = spec.seed + i;
  const options = { ...spec.options, sampleRate: 16000 };
  const given = spec.clips?.[i];
  return given ? composeDigitString(given, seed, options) : generateDigitString(pool, seed, options);
}

/**
 * The strings of `spec` drawn from `pool`, embedded (or read from `cacheDir`). Strings are cheap to draw, so
 * each is drawn again (its length names its cache entry's size) and only the front end's work is cached.
 */
export async function embedStringSet(
  frontEnd: SpeechFrontEnd,
  pool: StringClipPool,
  spec: StringSetSpec,
  opts: { cacheDir?: string | null; onProgress?: (done: number, total: number) => void; fingerprint?: string } = {},
): Promise<EmbeddedString[]> {
  const cache = opts.cacheDir ? new FeatureCache(opts.cacheDir) : null;
  const d = frontEnd.description;
  const fp = opts.fingerprint ?? poolFingerprint(pool);
  const recipe = JSON.stringify(spec.options);
  const out: EmbeddedString[] = [];
  const count = stringSetSize(spec);
  for (let i = 0; i < count; i++) {
    const seed = spec.seed + i;
    const given = spec.clips?.[i];
    const s = stringOfSet(pool, spec, i);
    const frames = framesOfSamples(s.samples.length);
    const what = given ? `clips:${given.map((c) => c.name).join(',')}` : 'drawn';
    const key = FeatureCache.key(
      ['digit-string-embeddings-v1', d.melSha256, d.embeddingSha256, fp, recipe, String(seed), what],
      new Uint8Array(0),
    );
    let x = frames > 0 ? cache?.get(key, frames * EMBEDDING_DIM) : new Float32Array(0);
    if (!x) {
      const emb = await frontEnd.embedAudio(s.samples, 16000);
      x = new Float32Array(emb.length * EMBEDDING_DIM);
      emb.forEach((f, k) => x!.set(f.vector, k * EMBEDDING_DIM));
      if (emb.length !== frames) throw new Error(`embedStringSet: ${emb.length} frames, expected ${frames}`);
      cache?.put(key, x);
    }
    out.push({ x, frames, labels: s.digits, spans: s.spans, samples: s.samples.length });
    opts.onProgress?.(i + 1, count);
  }
  return out;
}
