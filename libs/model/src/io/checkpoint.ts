import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { readFolderFile, readFolderJson, writeFolderAtomic } from './folder-swap';

interface TensorEntry {
  name: string;
  shape: number[];
}

interface CheckpointJson {
  model: TensorEntry[];
  optimizer: TensorEntry[];
  extra: Record<string, unknown>;
}

/**
 * Saves what a resumed training needs after an epoch: the model's weights, the optimizer's state
 * (iterations and moments) and the caller's `extra` (epoch, history, early-stopping state), as
 * checkpoint.json + tensors.bin, atomically.
 */
export async function saveCheckpoint(
  dir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  extra: Record<string, unknown>,
): Promise<void> {
  const modelWeights = model.weights.map((w) => ({ name: w.originalName, tensor: w.read() }));
  const optWeights = await optimizer.getWeights();
  const all = [...modelWeights, ...optWeights];
  // Everything is stored as float32 (the optimizer's iteration count is an int32 tensor).
  const chunks = all.map((w) => Float32Array.from(w.tensor.dataSync()));
  const bytes = new Uint8Array(chunks.reduce((s, c) => s + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    bytes.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), at);
    at += c.byteLength;
  }
  const entry = (w: { name: string; tensor: tf.Tensor }): TensorEntry => ({ name: w.name, shape: w.tensor.shape });
  const json: CheckpointJson = { model: modelWeights.map(entry), optimizer: optWeights.map(entry), extra };
  writeFolderAtomic(dir, { 'checkpoint.json': JSON.stringify(json), 'tensors.bin': bytes });
}

/**
 * Restores a checkpoint into a freshly built model and optimizer. Returns its `extra`, or undefined when
 * `dir` holds no checkpoint. A checkpoint of another architecture is an error naming the weight.
 */
export async function loadCheckpoint(
  dir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
): Promise<{ extra: Record<string, unknown> } | undefined> {
  if (!fs.existsSync(path.join(dir, 'checkpoint.json'))) return undefined;
  const json = readFolderJson(dir, 'checkpoint.json', 'a training checkpoint') as CheckpointJson;
  const bin = readFolderFile(dir, 'tensors.bin', 'a training checkpoint');
  const floats = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  let at = 0;
  const take = (e: TensorEntry): tf.Tensor => {
    const size = e.shape.reduce((p, q) => p * q, 1);
    if (at + size > floats.length) throw new Error(`${dir}/tensors.bin: too short for ${e.name}`);
    const t = tf.tensor(floats.subarray(at, at + size), e.shape);
    at += size;
    return t;
  };
  if (json.model.length !== model.weights.length) {
    throw new Error(
      `${dir}: checkpoint has ${json.model.length} weights, the model ${model.weights.length} (another architecture?)`,
    );
  }
  const modelTensors = json.model.map((e, i) => {
    const want = model.weights[i].shape.join(',');
    if (e.shape.join(',') !== want)
      throw new Error(`${dir}: weight ${e.name} has shape [${e.shape}], the model expects [${want}]`);
    return take(e);
  });
  model.setWeights(modelTensors);
  tf.dispose(modelTensors);
  const optTensors = json.optimizer.map((e) => ({ name: e.name, tensor: take(e) }));
  await optimizer.setWeights(optTensors);
  return { extra: json.extra };
}
