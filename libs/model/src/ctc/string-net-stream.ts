// The string network one frame at a time in plain JS: a stream's new embedding goes through the projection,
// the causal blocks (each keeping the last 2d inputs it needs) and the logits. Gives what the tfjs model gives
// on the whole sequence (the blocks are causal), at a small fraction of the cost of running tfjs over the
// receptive field for every frame (~30 layer calls, ~6 ms a frame on wasm; this is ~45k multiply-adds).
import type * as tf from '@tensorflow/tfjs';

interface DenseWeights {
  w: Float32Array; // in x out, row-major
  b: Float32Array;
  inDim: number;
  outDim: number;
}

function dense(model: tf.LayersModel, name: string): DenseWeights {
  const [kernel, bias] = model.getLayer(name).getWeights();
  const [inDim, outDim] = kernel.shape as [number, number];
  return { w: kernel.dataSync() as Float32Array, b: bias.dataSync() as Float32Array, inDim, outDim };
}

function apply(d: DenseWeights, x: Float32Array, relu: boolean, out = new Float32Array(d.outDim)): Float32Array {
  out.set(d.b);
  for (let i = 0; i < d.inDim; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    const row = i * d.outDim;
    for (let o = 0; o < d.outDim; o++) out[o] += xi * d.w[row + o];
  }
  if (relu) for (let o = 0; o < d.outDim; o++) if (out[o] < 0) out[o] = 0;
  return out;
}

/** The layers of buildStringModel's network, read from a loaded model; undefined if it is built otherwise. */
export interface StringNetWeights {
  projection: DenseWeights;
  blocks: { dense: DenseWeights; dilation: number }[];
  logits: DenseWeights;
}

/** The weights of a buildStringModel network (by its layer names), or undefined for another architecture. */
export function stringNetWeights(model: tf.LayersModel): StringNetWeights | undefined {
  const names = new Set(model.layers.map((l) => l.name));
  if (!names.has('projection') || !names.has('frame_logits')) return undefined;
  const blocks: StringNetWeights['blocks'] = [];
  for (let i = 1; names.has(`block${i}_dense`); i++) {
    const pad = (model.getLayer(`block${i}_pad`).getConfig().padding as number[][])[0][0];
    blocks.push({ dense: dense(model, `block${i}_dense`), dilation: pad / 2 });
  }
  const kinds = model.layers.map((l) => l.getClassName());
  // Every layer must be one this stepper knows; anything else and the window path is used.
  const known = new Set([
    'InputLayer',
    'Dense',
    'Reshape',
    'ZeroPadding2D',
    'Cropping2D',
    'Concatenate',
    'ReLU',
    'Dropout',
    'Softmax',
  ]);
  if (blocks.length === 0 || kinds.some((k) => !known.has(k))) return undefined;
  return { projection: dense(model, 'projection'), blocks, logits: dense(model, 'frame_logits') };
}

/** One stream through the network: push an embedding, get that frame's class probabilities. */
export class StringNetStream {
  /** Per block, its last 2d + 1 inputs (zeros before the stream: the model's zero padding). */
  private readonly histories: Float32Array[][];
  private readonly stacked: Float32Array[];

  constructor(private readonly net: StringNetWeights) {
    this.histories = net.blocks.map((b) =>
      Array.from({ length: 2 * b.dilation + 1 }, () => new Float32Array(b.dense.inDim / 3)),
    );
    this.stacked = net.blocks.map((b) => new Float32Array(b.dense.inDim));
  }

  push(embedding: Float32Array): Float32Array {
    let x = apply(this.net.projection, embedding, true);
    this.net.blocks.forEach((b, i) => {
      const h = this.histories[i];
      h.shift();
      h.push(x);
      const width = x.length;
      // Taps t - 2d, t - d, t, concatenated in that order (the crops of buildStringModel's causalConv).
      this.stacked[i].set(h[0], 0);
      this.stacked[i].set(h[b.dilation], width);
      this.stacked[i].set(h[2 * b.dilation], 2 * width);
      x = apply(b.dense, this.stacked[i], true);
    });
    const logits = apply(this.net.logits, x, false);
    let max = -Infinity;
    for (const v of logits) max = Math.max(max, v);
    let sum = 0;
    for (let c = 0; c < logits.length; c++) sum += logits[c] = Math.exp(logits[c] - max);
    for (let c = 0; c < logits.length; c++) logits[c] /= sum;
    return logits;
  }
}
