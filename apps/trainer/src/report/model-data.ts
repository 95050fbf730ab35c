import type * as tf from '@tensorflow/tfjs';
import { loadModelDir, modelSummary } from '@digits/model';

/** One layer as Keras' plot_model draws it. Shapes are printed the Keras way, e.g. `(None, 64, 256)`. */
export interface LayerNode {
  name: string;
  className: string;
  input: string;
  output: string;
  params: number;
  /** Names of the layers feeding this one. */
  inbound: string[];
}

/** What the report shows of a saved network. */
export interface ModelStructure {
  layers: LayerNode[];
  /** modelSummary's Keras-style text. */
  summary: string;
  totalParams: number;
}

/** The parts of tfjs's internal graph node we read (tfjs does not export the Node type). */
interface InboundNode {
  inboundLayers: tf.layers.Layer[];
}

/** Loads a saved model folder and describes its layers; the network is disposed afterwards. */
export async function readModelStructure(modelDir: string): Promise<ModelStructure> {
  const { model } = await loadModelDir(modelDir);
  try {
    const layers = model.layers.map((layer): LayerNode => {
      const nodes = (layer as unknown as { inboundNodes: InboundNode[] }).inboundNodes ?? [];
      const inbound = nodes.flatMap((n) => n.inboundLayers.map((l) => l.name));
      const isInput = layer.getClassName() === 'InputLayer';
      const output = formatShape(layer.outputShape as tf.Shape | tf.Shape[]);
      // An input layer's input is its own output; others take their inbound layers' outputs.
      const input = isInput
        ? output
        : model.layers
            .filter((l) => inbound.includes(l.name))
            .map((l) => formatShape(l.outputShape as tf.Shape | tf.Shape[]))
            .join(', ');
      return { name: layer.name, className: layer.getClassName(), input, output, params: layer.countParams(), inbound };
    });
    return { layers, summary: modelSummary(model), totalParams: model.countParams() };
  } finally {
    model.dispose();
  }
}

function formatShape(shape: tf.Shape | tf.Shape[]): string {
  if (Array.isArray(shape[0])) return (shape as tf.Shape[]).map(formatShape).join(', ');
  const dims = (shape as tf.Shape).map((d) => (d == null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}
