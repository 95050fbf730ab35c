import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { frameCount, type FeatureConfig } from '@digits/features';
import type { InputKind } from '../model-inputs';
// Custom layers and initialisers must be registered before a saved model is deserialised.
import '../layers/fused-lstm';
import '../layers/reduce-mean';
import '../layers/keras-initializers';
import { readFolderFile, readFolderJson, writeFolderAtomic } from './folder-swap';
import {
  EMBEDDING_DISPLAY_CONFIG,
  parseModelFeatures,
  type EmbeddingFeatures,
  type ModelFeatures,
} from './model-features';

/** Numbers in a pooled speech embedding (mean + max of 96). */
export const POOLED_EMBEDDING_DIM = 192;

/** What a model folder holds besides the network. */
export interface ModelDirMeta {
  /** The log-mel a network was trained on; for a speech-embedding model, use `embedding` instead. */
  featureConfig: FeatureConfig;
  /** A speech-embedding model's front end and pooling: written as features.json in place of featureConfig. */
  embedding?: EmbeddingFeatures;
  /** Class labels in output order. */
  labels: string[];
  /** Anything else worth keeping with the model (experiment, metrics, ...), saved as meta.json. */
  extra?: Record<string, unknown>;
  /**
   * More files for the folder (names may hold sub-folders, e.g. `takes/0_alice_0.wav`); one named like a
   * standard file replaces it (a personal model keeps its base's features.json byte for byte).
   */
  files?: Record<string, Uint8Array | string>;
}

/**
 * meta.json as the trainer writes it. Only the fields a loader acts on are checked; others are kept as
 * they are (experiment, slug, result, ...).
 */
export const ModelMetaSchema = z
  .object({
    /** What the network sees: the padded signal + mask ('raw') or its log-mel ('logmel', the default). */
    input: z.enum(['raw', 'logmel', 'embedding', 'embedding-sequence']).optional(),
    /** Below this top probability a clip is "unknown" (model 5 sets one). */
    unknownThreshold: z.number().min(0).max(1).optional(),
    /** A CTC digit-string model (input 'embedding-sequence'): how its frame outputs decode. */
    ctc: z
      .object({
        kind: z.literal('digit-strings'),
        /** The blank's class index (the string models use the last, 10; class d is digit d). */
        blank: z.number().int().min(0),
        classes: z.number().int().min(2),
        /** Spacing of the input (and output) frames, in ms: the front end's 80. */
        frameHopMs: z.number().positive(),
        /** Past frames (itself included) an output frame depends on: a stream needs to keep this many. */
        receptiveFieldFrames: z.number().int().min(1),
      })
      .strict()
      .optional(),
  })
  .passthrough();
export type ModelMeta = z.infer<typeof ModelMetaSchema>;

/** Parses meta.json's content; a wrong field is an error naming `source` and the field. */
export function parseModelMeta(value: unknown, source = 'meta.json'): ModelMeta {
  const r = ModelMetaSchema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.length > 0 ? `field "${issue.path.join('.')}"` : 'content';
  throw new Error(`${source}: ${field}: ${issue.message}`);
}

/** The input shapes (without batch) a model of `kind` must take for `config`, as the trainer builds it. */
export function expectedInputShapes(kind: InputKind, config: FeatureConfig): number[][] {
  if (kind === 'embedding') return [[POOLED_EMBEDDING_DIM]];
  return kind === 'raw' ? [[config.length, 1], [config.length]] : [[config.nMels, frameCount(config)]];
}

/**
 * Throws, naming `dir`, when the model's inputs do not match its feature config (e.g. features.json
 * edited to `length: 1e9` or another nMels), so nothing is featurised for a model that cannot take it.
 */
export function checkModelInputs(model: tf.LayersModel, kind: InputKind, config: FeatureConfig, dir: string): void {
  const expected = expectedInputShapes(kind, config);
  const shapes = model.inputs.map((i) => i.shape.slice(1));
  if (JSON.stringify(shapes) !== JSON.stringify(expected)) {
    const want = expected.map((e) => JSON.stringify([null, ...e])).join(', ');
    const got = model.inputs.map((i) => JSON.stringify(i.shape)).join(', ');
    const what =
      kind === 'embedding'
        ? 'a speech-embedding model'
        : `a ${kind} model for features.json (nMels ${config.nMels}, length ${config.length})`;
    throw new Error(`${dir}: ${what} must take ${want}, this one takes ${got}`);
  }
}

/** A model folder read back. */
export interface LoadedModel {
  model: tf.LayersModel;
  /** What features.json says the model hears. */
  features: ModelFeatures;
  /** The log-mel config (for a speech-embedding model: the dashboard's display config at 16 kHz). */
  featureConfig: FeatureConfig;
  labels: string[];
  /** meta.json (the trainer's extra: experiment, input kind, result), {} if absent. */
  meta: ModelMeta;
  /** What the network sees (meta.json's `input`, 'logmel' when absent). */
  inputKind: InputKind;
}

const WHAT = 'a model folder written by `digits train`: model.json, weights.bin, features.json, labels.json';

/**
 * Saves a model with its FeatureConfig and label map as a folder a person can open: model.json (tfjs
 * layers format: topology + weights manifest), weights.bin, features.json, labels.json, meta.json.
 * Written atomically (whole folder swapped in by rename). Needs no tfjs-node: tf.io.withSaveHandler
 * hands us the artifacts and we write them.
 */
export async function saveModelDir(model: tf.LayersModel, dir: string, meta: ModelDirMeta): Promise<void> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts?.weightData || !artifacts.weightSpecs) throw new Error('saveModelDir: tfjs produced no weights');
  const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  };
  writeFolderAtomic(dir, {
    'model.json': JSON.stringify(modelJson),
    'weights.bin': new Uint8Array(weightData),
    'features.json': `${JSON.stringify(meta.embedding ?? meta.featureConfig, null, 2)}\n`,
    'labels.json': `${JSON.stringify(meta.labels)}\n`,
    'meta.json': `${JSON.stringify(meta.extra ?? {}, null, 2)}\n`,
    ...meta.files,
  });
}

/**
 * Whether a model folder holds a digit-string model (meta.json "input": "embedding-sequence") or a one-digit
 * model, from its meta.json alone (absent: one-digit); a meta.json that is there must be valid.
 */
export function modelDirKind(dir: string): 'string' | 'digit' {
  if (!fs.existsSync(path.join(dir, 'meta.json'))) return 'digit';
  const meta = parseModelMeta(readFolderJson(dir, 'meta.json', WHAT), `${dir}/meta.json`);
  return meta.input === 'embedding-sequence' ? 'string' : 'digit';
}

/**
 * Loads a folder written by {@link saveModelDir}. A missing folder or file, invalid JSON, a weights
 * file of the wrong size or a bad feature config each give an error naming the folder and the file.
 */
export async function loadModelDir(dir: string): Promise<LoadedModel> {
  const folder = await readModelFolder(dir);
  const { model, features, featureConfig, labels, meta } = folder;
  if (meta.input === 'embedding-sequence') {
    model.dispose();
    throw new Error(
      `${dir}: a CTC digit-string model (meta.json "input": "embedding-sequence") answers a string of digits, not one: load it with loadStringRecognizer`,
    );
  }
  const inputKind: InputKind = features.kind === 'speech-embedding' ? 'embedding' : (meta.input ?? 'logmel');
  if (inputKind === 'embedding' && features.kind !== 'speech-embedding') {
    throw new Error(`${dir}/meta.json: "input": "embedding" needs a features.json naming a speech-embedding front end`);
  }
  checkModelInputs(model, inputKind, featureConfig, dir);
  return { model, features, featureConfig, labels, meta, inputKind };
}

/**
 * A model folder's parts, each checked on its own (files present, JSON valid, weights of the size model.json
 * describes, one label per output), before any check of what the network takes: {@link loadModelDir} and the
 * string models' loader share it.
 */
export async function readModelFolder(dir: string): Promise<Omit<LoadedModel, 'inputKind'>> {
  const modelJson = readFolderJson(dir, 'model.json', WHAT) as {
    modelTopology?: object;
    weightsManifest?: { weights: tf.io.WeightsManifestEntry[] }[];
  };
  if (!modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw new Error(`${dir}/model.json: expected "modelTopology" and "weightsManifest" (a tfjs layers model)`);
  }
  const weightSpecs = modelJson.weightsManifest.flatMap((g) => g.weights);
  const weights = readFolderFile(dir, 'weights.bin', WHAT);
  const expectedBytes = weightSpecs.reduce((s, w) => s + 4 * w.shape.reduce((p, q) => p * q, 1), 0);
  if (weights.byteLength !== expectedBytes) {
    throw new Error(`${dir}/weights.bin: ${weights.byteLength} bytes, but model.json describes ${expectedBytes}`);
  }
  const features = parseModelFeatures(readFolderJson(dir, 'features.json', WHAT), `${dir}/features.json`);
  const featureConfig = features.kind === 'logmel' ? features.config : EMBEDDING_DISPLAY_CONFIG;
  const labels = readFolderJson(dir, 'labels.json', WHAT);
  if (!Array.isArray(labels) || labels.length === 0)
    throw new Error(`${dir}/labels.json: expected a non-empty array of labels`);
  // meta.json is optional, but one that is there must be valid (its threshold and input kind matter).
  const meta = fs.existsSync(path.join(dir, 'meta.json'))
    ? parseModelMeta(readFolderJson(dir, 'meta.json', WHAT), `${dir}/meta.json`)
    : {};
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData }),
    );
  } catch (err) {
    throw new Error(`${dir}/model.json: could not build the model (${(err as Error).message})`);
  }
  const outputs = model.outputs[0].shape[model.outputs[0].shape.length - 1];
  if (outputs !== labels.length)
    throw new Error(`${dir}/labels.json: ${labels.length} labels for a model with ${outputs} outputs`);
  return { model, features, featureConfig, labels: labels.map(String), meta };
}
