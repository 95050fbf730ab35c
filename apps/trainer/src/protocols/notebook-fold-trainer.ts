import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clip } from '@digits/dataset';
import type { FeatureConfig } from '@digits/features';
import { argmaxRows, loadRecognizer } from '@digits/model';
import { prepareExperimentData } from '../experiment-data';
import { EXPERIMENTS } from '../experiments';
import { RunFolder } from '../run-folder';
import { trainExperiment } from '../train-experiment';
import type { FoldClassifier, TrainForFold } from './protocols';

/**
 * A protocol training callback for one of the notebook's experiments (1-4), trained exactly as
 * `digits train` does (its optimizer, batch size, epochs and early stopping). Like the notebook, early
 * stopping watches the loss on the fold's test clips; that is the notebook's procedure, kept so the
 * figures are comparable with `digits train`. Each fold trains in a temporary run folder that is removed
 * afterwards. Slow for the augmented experiments (9 variants per training clip).
 */
export function notebookFoldTrainer(
  experimentId: number,
  opts: { config: FeatureConfig; cacheDir: string | null; seed: number; log: (line: string) => void },
): TrainForFold<Clip> {
  const exp = EXPERIMENTS.find((e) => e.id === experimentId);
  if (!exp) throw new Error(`--experiment: unknown experiment ${experimentId}; expected 1, 2, 3, 4 or 5`);
  return async (train, fold): Promise<FoldClassifier<Clip>> => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), `digits-${fold.name.replace(/[^a-z0-9]+/gi, '-')}-`));
    try {
      const run = new RunFolder(tmp);
      const data = await prepareExperimentData(
        exp,
        { train, test: fold.test },
        { config: opts.config, cacheDir: opts.cacheDir, log: opts.log },
      );
      await trainExperiment(exp, data, {
        run,
        seed: opts.seed,
        maxEpochs: exp.maxEpochs,
        featureConfig: opts.config,
        log: opts.log,
      });
      const recognizer = await loadRecognizer(run.path(exp.slug, 'model'));
      return {
        // Every test clip needs a prediction: one that cannot be featurised is an error naming it.
        predict: async (test) => argmaxRows((await recognizer.classifyClips(test, { cacheDir: opts.cacheDir })).probs),
        dispose: () => recognizer.dispose(),
      };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  };
}
