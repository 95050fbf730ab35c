import type { Command } from 'commander';
import { stratifiedSplit } from '@digits/dataset';
import {
  DEFAULT_MODEL_DIR,
  DEFAULT_MODEL_DIR_LABEL,
  digitsOnlyModel,
  initBackend,
  loadModelDir,
  saveModelDir,
  EMBEDDING_DISPLAY_CONFIG,
} from '@digits/model';
import { FRONT_END_FILE, readFrontEndFiles, DEFAULT_FRONT_END_DIR } from '@digits/speech-embedding';
import { speechEmbeddingFeatures } from '../fold-models';
import path from 'node:path';
import type { RoomPart } from '@digits/acoustics';
import {
  checkRoomOptions,
  dataOption,
  parsePositiveInt,
  roomsBackgrounds,
  roomsExtra,
  roomsOption,
  roomsWithoutParts,
  seedOption,
} from '../cli-args';
import { RunFolder } from '../run-folder';
import { MODEL6_SLUG, MODEL6_TITLE } from '../experiments';
import { promoteModelDir } from '../promote';
import { runProtocol } from '../protocols/protocols';
import { DIGIT_LABELS } from '../model5/unknown-data';
import { embeddingFoldTrainer } from './embedding-fold-trainer';
import { readTrainingInputs } from '../training-inputs';

export interface Train6Options {
  data?: string;
  out: string;
  seed: number;
  epochs: number;
  trainOn: 'split' | 'all';
  extraTrain?: string;
  unknowns?: string;
  augment: boolean;
  /** Room-augmented copies per training clip (--rooms). */
  rooms?: number;
  /** Parts of the room training left out (--rooms-without). */
  roomsWithout?: RoomPart[];
  /** Backgrounds alone per room copy in the unknown class (--rooms-backgrounds). */
  roomsBackgrounds?: number;
  /** Model 6 with rooms: one room copy of this many extra-voice clips. */
  roomsExtra?: number;
  cache: boolean;
  cacheDir?: string;
  promote?: string | boolean;
}

/**
 * Trains the speech-embedding model (experiment 6) and writes runs/<id>/model6/{model/, metrics.json}: the
 * pretrained front end (models/speech-embedding, not trained here) and a softmax head over its pooled
 * embeddings. trainOn 'split' trains on the random split's training clips and reports its test clips; 'all'
 * trains on every clip (a model to deploy; its figures come from `digits eval-protocol --experiment 6`).
 * With `unknowns`, an 11th class is trained but the saved model outputs the ten digits (digitsOnlyModel)
 * and meta.json records the threshold that keeps 97% of the test digits.
 */
export async function runTrain6(opts: Train6Options): Promise<RunFolder> {
  const log = (line: string) => process.stderr.write(line + '\n');
  checkRoomOptions(opts);
  await initBackend({ log });
  const { dataset, extraTrain, cacheDir } = await readTrainingInputs(opts);
  const split = stratifiedSplit(dataset.clips, { seed: opts.seed });
  const trainClips = opts.trainOn === 'all' ? dataset.clips : split.train;
  const frontEnd = readFrontEndFiles().description;
  const run = RunFolder.create(opts.out);
  run.writeJson(
    {
      experiments: [6],
      seed: opts.seed,
      epochs: opts.epochs,
      trainOn: opts.trainOn,
      augment: opts.augment,
      ...(opts.rooms ? { roomCopies: opts.rooms } : {}),
      ...(opts.roomsWithout?.length ? { roomsWithout: opts.roomsWithout } : {}),
      ...(opts.roomsBackgrounds ? { roomBackgrounds: opts.roomsBackgrounds } : {}),
      ...(opts.roomsExtra ? { roomExtra: opts.roomsExtra } : {}),
      extraTrain: opts.extraTrain ?? null,
      unknowns: opts.unknowns ?? null,
      data: dataset.source,
      frontEnd: frontEnd.name,
    },
    'run.json',
  );
  log(`run folder: ${run.dir}`);
  const t0 = performance.now();
  const modelDir = run.path(MODEL6_SLUG, 'model');
  const embedding = speechEmbeddingFeatures();
  let params = 0;
  let trainedClasses = 10;
  const train = await embeddingFoldTrainer(dataset.clips, {
    seed: opts.seed,
    epochs: opts.epochs,
    cacheDir,
    log,
    extraTrain,
    unknownsDir: opts.unknowns,
    augment: opts.augment,
    roomCopies: opts.rooms,
    roomsWithout: opts.roomsWithout,
    roomBackgrounds: opts.roomsBackgrounds,
    roomExtra: opts.roomsExtra,
    onTrained: async (model, classes) => {
      params = model.countParams();
      trainedClasses = classes;
      await saveModelDir(digitsOnlyModel(model), modelDir, {
        featureConfig: EMBEDDING_DISPLAY_CONFIG,
        embedding,
        labels: DIGIT_LABELS,
        extra: { input: 'embedding', name: MODEL6_SLUG },
      });
    },
  });
  const protocol = await runProtocol(dataset.clips, 'random', (_t, fold) => train(trainClips, fold), {
    seed: opts.seed,
    log,
  });
  const fold = protocol.folds[0];
  const seconds = (performance.now() - t0) / 1000;
  const result = {
    experiment: 6,
    slug: MODEL6_SLUG,
    title: MODEL6_TITLE,
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
  // meta.json again, with the figures now known (the weights were saved right after training).
  {
    const loaded = await loadModelDir(modelDir);
    await saveModelDir(loaded.model, modelDir, {
      featureConfig: EMBEDDING_DISPLAY_CONFIG,
      embedding,
      labels: DIGIT_LABELS,
      extra: {
        experiment: 6,
        name: MODEL6_SLUG,
        slug: MODEL6_SLUG,
        title: MODEL6_TITLE,
        input: 'embedding',
        result,
        metrics: result,
        frontEnd: `${frontEnd.name} (${path.join(DEFAULT_FRONT_END_DIR, FRONT_END_FILE)})`,
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
  }
  run.writeJson({ ...result, random: fold }, MODEL6_SLUG, 'metrics.json');
  log(
    `model 6: split test accuracy ${fold.accuracy}${fold.unknown ? `, unknowns rejected ${fold.unknown.unknownsRejected} at threshold ${fold.unknown.threshold}` : ''}; ${seconds.toFixed(0)} s; saved ${modelDir}`,
  );
  process.stdout.write(JSON.stringify(result) + '\n');
  return run;
}

/** `digits train6 [--data] [--out runs] [--seed 33] [--epochs 60] [--train-on split|all] [--extra-train DIR] [--unknowns DIR] [--no-augment] [--promote [dir]]`. */
export function registerTrain6Command(program: Command): void {
  program
    .command('train6')
    .description(
      'Train model 6 (a pretrained speech embedding with a softmax head, for new voices) and save it in a run folder.',
    )
    .addOption(dataOption())
    .option('--out <dir>', 'runs folder', 'runs')
    .addOption(seedOption("seed of the split, the head's weights and the augmentation"))
    .option('--epochs <n>', 'head training epochs', parsePositiveInt('--epochs'), 60)
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
    .option('--no-augment', 'no augmented copy of the training clips (gain, noise, window alignment)')
    .addOption(
      roomsOption(
        'add this many room-augmented copies of every training clip (synthetic room, background at 0-30 dB, mic colouring; default 2)',
      ),
    )
    .option(
      '--rooms-without <parts>',
      'with --rooms: leave these parts out of every room copy, an ablation (comma list of noise = white and brown noise, babble, tones, room = reverberation, mic = colouring and level)',
      roomsWithoutParts,
    )
    .option(
      '--rooms-backgrounds <n>',
      'with --rooms and --unknowns: add n training backgrounds alone (no speech, in a drawn room) per room copy to the unknown class',
      roomsBackgrounds,
    )
    .option(
      '--rooms-extra <n>',
      'with --rooms and --extra-train: one room copy of n of the extra clips (every k-th), so the synthetic voices are heard in rooms as digits too, not only as unknowns',
      roomsExtra,
    )
    .option('--cache-dir <dir>', 'feature cache folder (default: $DIGITS_CACHE or ./.cache/features)')
    .option('--no-cache', 'do not use the feature cache')
    .option(
      '--promote [dir]',
      `at the end, install the model as the default model (or in dir; default ${DEFAULT_MODEL_DIR_LABEL})`,
    )
    .addHelpText(
      'after',
      `
The front end (models/speech-embedding: openWakeWord's mel model + Google's speech_embedding, see NOTICE) is
pretrained and not changed; only the head is trained, in seconds once the clips' embeddings are cached.

Examples:
  npx digits train6                                   # random split, reports its test clips
  npx digits train6 --train-on all --extra-train data/espeak-train-digits --unknowns data/unknowns
  npx digits eval-protocol --experiment 6 --protocol loso`,
    )
    .action(async (opts: Train6Options) => {
      if (!['split', 'all'].includes(opts.trainOn))
        throw new Error(`--train-on: expected split or all, got "${opts.trainOn}"`);
      const run = await runTrain6(opts);
      if (opts.promote) {
        const out = typeof opts.promote === 'string' ? opts.promote : DEFAULT_MODEL_DIR;
        promoteModelDir(run.path(MODEL6_SLUG, 'model'), out);
        process.stderr.write(`promoted model 6 to ${out}\n`);
      }
    });
}
