import type * as tf from '@tensorflow/tfjs';

/** The parts of tfjs's internal graph node we read (tfjs does not export the Node type). */
interface InboundNode {
  inboundLayers: tf.layers.Layer[];
  nodeIndices: number[];
  tensorIndices: number[];
}

interface SummaryRow {
  layer: string;
  shape: string;
  params: string;
  connected: string[];
}

/**
 * The model's layer table as Keras's `model.summary()` prints it: name (type), output shape, parameter
 * count and - for models that are not a plain chain - the layers each is connected to; then the totals.
 * Column widths are Keras's (98 characters wide with "Connected to", 65 without).
 */
export function modelSummary(model: tf.LayersModel): string {
  const chain = isChain(model);
  const widths = chain ? [29, 26, 10] : [32, 21, 12, 33];
  const header = chain
    ? ['Layer (type)', 'Output Shape', 'Param #']
    : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  const lineLength = widths.reduce((s, w) => s + w, 0);
  const lines = [
    `Model: "${model.name}"`,
    '_'.repeat(lineLength),
    formatRow(
      header.map((h) => [h]),
      widths,
    ),
    '='.repeat(lineLength),
  ];
  model.layers.forEach((layer, i) => {
    const row = describe(layer);
    const cells = [[row.layer], [row.shape], [row.params]];
    if (!chain) cells.push(wrapList(row.connected, widths[3] - 1));
    lines.push(formatRow(cells, widths));
    lines.push(i === model.layers.length - 1 ? '='.repeat(lineLength) : '_'.repeat(lineLength));
  });
  const trainable = countWeights(model.trainableWeights);
  const nonTrainable = countWeights(model.nonTrainableWeights);
  lines.push(`Total params: ${thousands(trainable + nonTrainable)}`);
  lines.push(`Trainable params: ${thousands(trainable)}`);
  lines.push(`Non-trainable params: ${thousands(nonTrainable)}`);
  lines.push('_'.repeat(lineLength));
  return lines.join('\n');
}

function describe(layer: tf.layers.Layer): SummaryRow {
  const isInput = layer.getClassName() === 'InputLayer';
  const shape = formatShape(layer.outputShape as tf.Shape | tf.Shape[]);
  const nodes = (layer as unknown as { inboundNodes: InboundNode[] }).inboundNodes ?? [];
  const connected: string[] = [];
  for (const node of nodes) {
    node.inboundLayers.forEach((inbound, k) =>
      connected.push(`'${inbound.name}[${node.nodeIndices[k]}][${node.tensorIndices[k]}]'`),
    );
  }
  return {
    layer: `${layer.name} (${layer.getClassName()})`,
    shape: isInput ? `[${shape}]` : shape, // Keras lists an input layer's shape
    params: String(layer.countParams()),
    connected,
  };
}

/** A plain chain: one input, and every layer fed by at most one layer (Keras's "sequential-like"). */
function isChain(model: tf.LayersModel): boolean {
  if (model.inputs.length !== 1) return false;
  return model.layers.every((layer) => {
    const nodes = (layer as unknown as { inboundNodes: InboundNode[] }).inboundNodes ?? [];
    return nodes.length <= 1 && nodes.every((n) => n.inboundLayers.length <= 1);
  });
}

function formatShape(shape: tf.Shape | tf.Shape[]): string {
  if (Array.isArray(shape[0])) return (shape as tf.Shape[]).map(formatShape).join(', ');
  const dims = (shape as tf.Shape).map((d) => (d == null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/** Keras prints "Connected to" as a Python list, wrapped over lines. */
function wrapList(items: string[], width: number): string[] {
  if (items.length === 0) return ['[]'];
  const out: string[] = [];
  items.forEach((item, i) => {
    const text = (i === 0 ? '[' : ' ') + item + (i === items.length - 1 ? ']' : ',');
    const last = out.length - 1;
    if (last >= 0 && out[last].length + text.length <= width && i > 0) out[last] += text;
    else out.push(text);
  });
  return out;
}

function formatRow(cells: string[][], widths: number[]): string {
  const height = Math.max(...cells.map((c) => c.length));
  const lines: string[] = [];
  for (let r = 0; r < height; r++) {
    lines.push(
      cells
        .map((c, i) => fit(c[r] ?? '', widths[i]))
        .join('')
        .trimEnd(),
    );
  }
  return lines.join('\n');
}

function fit(text: string, width: number): string {
  const t = text.length > width - 1 ? text.slice(0, width - 1) : text;
  return t.padEnd(width);
}

function countWeights(weights: tf.LayerVariable[]): number {
  return weights.reduce((s, w) => s + w.shape.reduce((p: number, q) => p * (q as number), 1), 0);
}

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}
