// The model the live end-to-end tests run: the trained models/default when it exists, else a randomly
// initialised spectrogram model saved (with its feature config and labels) into a temporary folder.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_FEATURE_CONFIG, frameCount } from '@digits/features';
import { buildSpectrogramModel, initBackend, saveModelDir } from '@digits/model';
import { REPO_ROOT } from './live-process';

export const DEFAULT_MODEL = path.join(REPO_ROOT, 'models/default');

export interface TestModel {
  dir: string;
  /** Whether it is the trained model (its predictions mean something). */
  trained: boolean;
}

/** models/default if it holds a model, else a random spectrogram model written into `tmpDir`/model. */
export async function testModel(tmpDir: string): Promise<TestModel> {
  if (existsSync(path.join(DEFAULT_MODEL, 'model.json'))) return { dir: DEFAULT_MODEL, trained: true };
  await initBackend({ log: () => undefined });
  const config = { ...DEFAULT_FEATURE_CONFIG };
  const model = buildSpectrogramModel({
    bands: config.nMels,
    frames: frameCount(config),
    units: 32,
    denseUnits: 32,
    name: 'random-spectrogram',
  });
  const dir = path.join(tmpDir, 'model');
  await saveModelDir(model, dir, {
    featureConfig: config,
    labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    extra: {
      experiment: 'test',
      slug: 'random-spectrogram',
      title: 'random spectrogram model (tests)',
      input: 'logmel',
    },
  });
  model.dispose();
  return { dir, trained: false };
}
