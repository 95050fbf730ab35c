import type { Command } from 'commander';
import { stratifiedSplit } from '@digits/dataset';
import { DEFAULT_FEATURE_CONFIG } from '@digits/features';
import {
  DEFAULT_MODEL_DIR,
  DEFAULT_MODEL_DIR_LABEL,
  digitsOnlyModel,
  initBackend,
  loadModelDir,
  modelSummary,
  saveModelDir,
} from '@digits/model';
import { dataOption, parsePositiveInt, seedOption } from '../cli-args';
import { RunFolder } from '../run-folder';
import type { Model5Metrics, Model5Run } from '../run-files';
import { MODEL5_SLUG, MODEL5_TITLE } from '../experiments';
import { promoteModelDir } from '../promote';
import { runProtocol } from '../protocols/protocols';
import { model5FoldTrainer, type Model5FoldClassifier } from './model5-fold-trainer';
import { DIGIT_LABELS } from './unknown-data';
import { readTrainingInputs } from '../training-inputs';

export { MODEL5_SLUG, MODEL5_TITLE };

export interface Train5Options {
  data?: string;
  out: string;
  seed: number;
  epochs: number;
  trainOn: 'split' | 'all';
  extraTrain?: string;
  unknowns?: string;
  cache: boolean;
  cacheDir?: string;
  /** Install the trained model here (e.g. models/default) at the end; true = the default model folder. */
  promote?: string | boolean;
}

/**
 * Trains model 5 and writes runs/<id>/model5/{model/, metrics.json, epochs.jsonl}. With trainOn 'split'
 * (default) it trains on the seeded random split's 1,600 clips and reports the 400 test clips; with 'all'
 * it trains on every clip (for a model to deploy; its figures then come from `digits eval-protocol`).
 * With `unknowns`, the model is trained with an 11th class "unknown" but saved with the ten digit outputs
 * (digitsOnlyModel); meta.json records the confidence threshold that keeps 97% of the test digits
 * (`unknownThreshold`): below it, the answer is unknown.
 * @returns the run folder
 */
export async function runTrain5(opts: Train5Options): Promise<RunFolder> {
  const log = (line: string) => process.stderr.write(line + '\n');
  await initBackend({ log });
  const { dataset, extraTrain, cacheDir } = await readTrainingInputs(opts);
  const config = DEFAULT_FEATURE_CONFIG;
  const split =
    opts.trainOn === 'all'
      ? { train: dataset.clips, test: stratifiedSplit(dataset.clips, { seed: opts.seed }).test }
      : stratifiedSplit(dataset.clips, { seed: opts.seed });
  const run = RunFolder.create(opts.out);
  const runJson: Model5Run = {
    experiments: [5],
    seed: opts.seed,
    epochs: opts.epochs,
    trainOn: opts.trainOn,
    extraTrain: opts.extraTrain ?? null,
    unknowns: opts.unknowns ?? null,
    data: dataset.source,
    featureConfig: config,
  };
  run.writeJson(runJson, 'run.json');
  log(`run folder: ${run.dir}`);
  const t0 = performance.now();
  let params = 0;
  let trainedClasses = 10;
  const modelDir = run.path(MODEL5_SLUG, 'model');
  const train = await model5FoldTrainer(dataset.clips, {
    config,
    cacheDir,
    epochs: opts.epochs,
    seed: opts.seed,
    log,
    extraTrain,
    unknownsDir: opts.unknowns,
    onTrained: async (model, classes) => {
      log(modelSummary(model));
      params = model.countParams();
      trainedClasses = classes;
      // An unknown class stays inside: the saved network outputs the ten digit probabilities (see digitsOnlyModel).
      await saveModelDir(digitsOnlyModel(model), modelDir, {
        featureConfig: config,
        labels: DIGIT_LABELS,
        extra: { input: 'logmel', name: MODEL5_SLUG },
      });
    },
  });
  // The random split's test clips; with --train-on all they were trained on, so the figure is not a test.
  let trained: Model5FoldClassifier | undefined;
  const protocol = await runProtocol(
    dataset.clips,
    'random',
    async (_train, fold) => (trained = await train(split.train, fold)),
    { seed: opts.seed, log },
  );
  const history = trained?.history ?? [];
  const fold = protocol.folds[0];
  const seconds = (performance.now() - t0) / 1000;
  const result: Omit<Model5Metrics, 'history' | 'random'> = {
    experiment: 5,
    slug: MODEL5_SLUG,
    title: MODEL5_TITLE,
    trainOn: opts.trainOn,
    epochs: opts.epochs,
    seconds,
    params,
    trainedClasses,
    ...(opts.trainOn === 'split'
      ? { valAccuracy: fold.accuracy, valF1: fold.accuracy }
      : { trainSetAccuracyOnSplitTest: fold.accuracy }),
    ...(fold.unknown
      ? {
          unknownThreshold: fold.unknown.threshold,
          unknownsRejected: fold.unknown.unknownsRejected,
          digitsKept: fold.unknown.digitsKept,
        }
      : {}),
  };
  // Rewrite meta.json with the figures now known (the weights were saved right after training).
  const loaded = await loadModelDir(modelDir);
  await saveModelDir(loaded.model, modelDir, {
    featureConfig: config,
    labels: DIGIT_LABELS,
    extra: {
      experiment: 5,
      name: MODEL5_SLUG,
      slug: MODEL5_SLUG,
      title: MODEL5_TITLE,
      input: 'logmel',
      result,
      metrics: result,
      ...(fold.unknown
        ? {
            unknownThreshold: fold.unknown.threshold,
            outputs:
              'the ten digit probabilities of an 11-way softmax whose 11th class, unknown, is left out: below unknownThreshold, answer unknown',
          }
        : {}),
    },
  });
  loaded.model.dispose();
  run.writeJsonLines(history, MODEL5_SLUG, 'epochs.jsonl');
  const metrics: Model5Metrics = { ...result, history, random: fold };
  run.writeJson(metrics, MODEL5_SLUG, 'metrics.json');
  log(
    `model 5: split test accuracy ${fold.accuracy}${fold.unknown ? `, unknowns rejected ${fold.unknown.unknownsRejected} at threshold ${fold.unknown.threshold}` : ''}; ${seconds.toFixed(0)} s; saved ${modelDir}`,
  );
  process.stdout.write(JSON.stringify(result) + '\n');
  return run;
}

/** `digits train5 [--data] [--out runs] [--seed 33] [--epochs 40] [--train-on split|all] [--extra-train DIR] [--unknowns DIR] [--promote [dir]]`. */
export function registerTrain5Command(program: Command): void {
  program
    .command('train5')
    .description('Train model 5 (convolutions over time frames, log-mel augmentation) and save it in a run folder.')
    .addOption(dataOption())
    .option('--out <dir>', 'runs folder', 'runs')
    .addOption(seedOption('seed of the split, the weights and the augmentation'))
    .option('--epochs <n>', 'training epochs', parsePositiveInt('--epochs'), 40)
    .option(
      '--train-on <which>',
      "split: the random split's training clips (reports its test clips); all: every clip",
      'split',
    )
    .option('--extra-train <folder>', 'FSDD-named clips added to the training set (e.g. data/espeak-train-digits)')
    .option(
      '--unknowns <folder>',
      'add an "unknown" class trained on this folder\'s group a (tools/unknowns); reports rejection of group b',
    )
    .option('--cache-dir <dir>', 'feature cache folder (default: $DIGITS_CACHE or ./.cache/features)')
    .option('--no-cache', 'do not use the feature cache')
    .option(
      '--promote [dir]',
      `at the end, install the model as the default model (or in dir; default ${DEFAULT_MODEL_DIR_LABEL})`,
    )
    .action(async (opts: Train5Options) => {
      if (!['split', 'all'].includes(opts.trainOn))
        throw new Error(`--train-on: expected split or all, got "${opts.trainOn}"`);
      const run = await runTrain5(opts);
      if (opts.promote) {
        const out = typeof opts.promote === 'string' ? opts.promote : DEFAULT_MODEL_DIR;
        promoteModelDir(run.path(MODEL5_SLUG, 'model'), out);
        process.stderr.write(`promoted model 5 to ${out}\n`);
      }
    });
}
