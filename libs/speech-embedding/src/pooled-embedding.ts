// One vector per utterance: the embeddings of the windows around the utterance's energy centre, pooled by
// mean and max. The same rule serves a clip offline and an utterance the live segmenter cut from a stream:
// both pick windows by the centre of the utterance's energy, a property of the audio itself, not of where a
// file or a speech detector happened to put its edges.
import { CHUNK_SAMPLES, EMBEDDING_DIM, FIRST_WINDOW_CHUNK, WINDOW_FRAMES, MEL_HOP, CHUNK_CONTEXT } from './framing';
import type { EmbeddingFrame } from './framing';

/** Windows pooled per utterance (0.72 s of window centres; measured: 9 to 16 are within 0.005). */
export const POOLED_WINDOWS = 9;
/** Numbers per pooled vector: mean and max of each embedding dimension. */
export const POOLED_DIM = 2 * EMBEDDING_DIM;

/** Samples a window spans: 76 frames of a 512-sample STFT with a 160-sample hop. */
const WINDOW_SPAN = (WINDOW_FRAMES - 1) * MEL_HOP + 512;
/**
 * Stream sample at the centre of window k's audio. Window k's frames start at frame 8k - 68, frame f starts
 * at sample 160 f - 480 (the stream's leading context), so the window covers [1280k - 11360, +12512).
 */
export function windowCentreSample(k: number): number {
  return k * CHUNK_SAMPLES - (WINDOW_FRAMES - 8) * MEL_HOP - CHUNK_CONTEXT + WINDOW_SPAN / 2;
}

/** The window whose centre is nearest `sample`. */
export function nearestWindow(sample: number): number {
  return Math.round((sample - windowCentreSample(0)) / CHUNK_SAMPLES);
}

/** Energy centre (sample index, fractional) of `samples`: where half of its squared amplitude lies on each side, as a mean. */
export function energyCentre(samples: Float32Array): number {
  let total = 0;
  let moment = 0;
  for (let i = 0; i < samples.length; i++) {
    const e = samples[i] * samples[i];
    total += e;
    moment += e * i;
  }
  return total > 0 ? moment / total : samples.length / 2;
}

/** Indices of the POOLED_WINDOWS windows centred on `centreSample`. */
export function windowsAround(centreSample: number, n = POOLED_WINDOWS): number[] {
  const first = nearestWindow(centreSample) - Math.floor(n / 2);
  return Array.from({ length: n }, (_, i) => first + i);
}

/**
 * Mean and max over the windows around `centreSample` of a stream's embeddings (`frames` indexed by window).
 * Windows the stream does not have (before its first whole window, after its end) are left out; at least
 * one must exist.
 */
export function poolAround(
  frames: ReadonlyMap<number, Float32Array> | EmbeddingFrame[],
  centreSample: number,
  n = POOLED_WINDOWS,
): Float32Array {
  const byIndex = Array.isArray(frames) ? new Map(frames.map((f) => [f.index, f.vector])) : frames;
  const picked = windowsAround(centreSample, n)
    .map((k) => byIndex.get(k))
    .filter((v): v is Float32Array => v !== undefined);
  if (picked.length === 0) throw new RangeError(`no embedding window around stream sample ${Math.round(centreSample)}`);
  const out = new Float32Array(POOLED_DIM);
  out.fill(-Infinity, EMBEDDING_DIM);
  for (const v of picked) {
    for (let j = 0; j < EMBEDDING_DIM; j++) {
      out[j] += v[j] / picked.length;
      if (v[j] > out[EMBEDDING_DIM + j]) out[EMBEDDING_DIM + j] = v[j];
    }
  }
  return out;
}

/**
 * How a clip is laid out as a stream for offline use: `lead` samples of silence, the clip, then silence up
 * to `length`, so that every window around the clip's energy centre exists. `centre` is in stream samples.
 */
export interface ClipCanvas {
  lead: number;
  length: number;
  centre: number;
}

export function clipCanvas(clipLength: number, clipCentre: number, n = POOLED_WINDOWS): ClipCanvas {
  const half = Math.floor(n / 2);
  // The earliest centre whose first pooled window is a whole window of the stream.
  const minCentre = windowCentreSample(FIRST_WINDOW_CHUNK + half) - CHUNK_SAMPLES / 2;
  const lead = Math.max(0, Math.ceil(minCentre - clipCentre));
  const centre = lead + clipCentre;
  const lastWindow = nearestWindow(centre) + (n - 1 - half);
  const length = Math.max(lead + clipLength, (lastWindow + 1) * CHUNK_SAMPLES);
  return { lead, length, centre };
}
