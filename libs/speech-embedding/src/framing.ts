// How audio maps to mel frames and embedding windows. One framing for batch and streaming, so a clip
// featurised offline and the same audio arriving live in any chunk sizes give the same numbers.
//
// The mel model (openWakeWord's melspectrogram.onnx) is a 512-sample STFT with a 160-sample hop and no
// padding, and it clamps its output at 80 dB below the maximum *of each call*. So the mel is always
// computed per 80 ms chunk (1,280 new samples) with the 480 samples before it as context: 8 frames per
// call, identical whichever way the audio arrived. The stream starts with 480 samples of digital silence.

/** The front end's sample rate. */
export const FRONT_END_RATE = 16000;
/** Samples per mel frame (10 ms). */
export const MEL_HOP = 160;
/** Mel bins per frame. */
export const MEL_BINS = 32;
/** New samples per mel call and per embedding step (80 ms). */
export const CHUNK_SAMPLES = 1280;
/** Samples before each chunk that the mel call also sees (3 hops + the STFT overhang). */
export const CHUNK_CONTEXT = 480;
/** Mel frames per mel call. */
export const FRAMES_PER_CHUNK = CHUNK_SAMPLES / MEL_HOP;
/** Mel frames per embedding window (0.76 s). */
export const WINDOW_FRAMES = 76;
/** Numbers per embedding. */
export const EMBEDDING_DIM = 96;
/**
 * The first chunk after which a whole window exists: window k ends with chunk k's frames, covering frames
 * [8k - 68, 8k + 8), so k >= 9.
 */
export const FIRST_WINDOW_CHUNK = Math.ceil(WINDOW_FRAMES / FRAMES_PER_CHUNK) - 1;

/** openWakeWord's transform after the mel model; without it the embedding loses most of its value. */
export function melTransform(db: number): number {
  return db / 10 + 2;
}

/** Scale of the audio the models were trained on (int16 range); our decoders give [-1, 1]. */
export const INPUT_SCALE = 32768;

/** Stream sample (0 = first sample pushed) at which window k's audio ends, exclusive. */
export function windowEndSample(k: number): number {
  return (k + 1) * CHUNK_SAMPLES;
}

/** Number of whole chunks (and so of mel calls) in `n` samples. */
export function chunkCount(n: number): number {
  return Math.floor(n / CHUNK_SAMPLES);
}

/** One embedding of a stream: window `index` ends with the audio up to stream sample `endSample`. */
export interface EmbeddingFrame {
  index: number;
  endSample: number;
  vector: Float32Array;
}
