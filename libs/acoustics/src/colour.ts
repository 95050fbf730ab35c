// Microphone and channel colouring: band limits and a spectral tilt, as second-order sections (RBJ's
// Audio EQ Cookbook), run in double precision.

export interface MicColour {
  /** High-pass corner (12 dB/octave), in Hz; omitted: none. */
  highpassHz?: number;
  /** Low-pass corner (12 dB/octave), in Hz; omitted (or above 0.45 of the rate): none. */
  lowpassHz?: number;
  /** Gain above ~1 kHz relative to below (a high shelf at 1 kHz), in dB: + bright, - dull. Default 0. */
  tiltDb?: number;
}

interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

function pass(kind: 'low' | 'high', f: number, sampleRate: number): Biquad {
  const w = (2 * Math.PI * f) / sampleRate;
  const alpha = Math.sin(w) / (2 * Math.SQRT1_2); // Q = 1/sqrt(2): Butterworth
  const cos = Math.cos(w);
  const a0 = 1 + alpha;
  const b1 = kind === 'low' ? 1 - cos : -(1 + cos);
  const b0 = kind === 'low' ? (1 - cos) / 2 : (1 + cos) / 2;
  return { b0: b0 / a0, b1: b1 / a0, b2: b0 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

function highShelf(f: number, gainDb: number, sampleRate: number): Biquad {
  const a = 10 ** (gainDb / 40);
  const w = (2 * Math.PI * f) / sampleRate;
  const cos = Math.cos(w);
  const alpha = (Math.sin(w) / 2) * Math.SQRT2; // shelf slope S = 1
  const sq = 2 * Math.sqrt(a) * alpha;
  const a0 = a + 1 - (a - 1) * cos + sq;
  return {
    b0: (a * (a + 1 + (a - 1) * cos + sq)) / a0,
    b1: (-2 * a * (a - 1 + (a + 1) * cos)) / a0,
    b2: (a * (a + 1 + (a - 1) * cos - sq)) / a0,
    a1: (2 * (a - 1 - (a + 1) * cos)) / a0,
    a2: (a + 1 - (a - 1) * cos - sq) / a0,
  };
}

function run(x: Float64Array, q: Biquad): void {
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const y = q.b0 * v + q.b1 * x1 + q.b2 * x2 - q.a1 * y1 - q.a2 * y2;
    x2 = x1;
    x1 = v;
    y2 = y1;
    y1 = y;
    x[i] = y;
  }
}

/** `x` through the colouring (a new array). */
export function microphoneColour(x: Float32Array, sampleRate: number, colour: MicColour): Float32Array {
  const y = Float64Array.from(x);
  if (colour.highpassHz !== undefined && colour.highpassHz > 0) run(y, pass('high', colour.highpassHz, sampleRate));
  if (colour.lowpassHz !== undefined && colour.lowpassHz < 0.45 * sampleRate)
    run(y, pass('low', colour.lowpassHz, sampleRate));
  if (colour.tiltDb) run(y, highShelf(1000, colour.tiltDb, sampleRate));
  return Float32Array.from(y);
}
