import type { Command } from 'commander';
import type * as tf from '@tensorflow/tfjs';
import writeFileAtomic from 'write-file-atomic';
import Table from 'cli-table3';
import type { Clip } from '@digits/dataset';
import { DEFAULT_FEATURE_CONFIG } from '@digits/features';
import { initBackend } from '@digits/model';
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
} from './cli-args';
import { model5FoldTrainer } from './model5/model5-fold-trainer';
import { embeddingFoldTrainer } from './embedding-model';
import { resolveRun } from './run-folder';
import {
  protocolFilePath,
  readProtocolFile,
  recordFold,
  recordedFold,
  sameSettings,
  type ProtocolSettings,
} from './protocols/protocol-file';
import { notebookFoldTrainer } from './protocols/notebook-fold-trainer';
import {
  parseProtocols,
  runProtocol,
  type ProtocolFold,
  type ProtocolResult,
  type TrainForFold,
} from './protocols/protocols';
import { foldModelDir, saveFoldModel } from './fold-models';
import { readTrainingInputs } from './training-inputs';

export interface EvalProtocolOptions {
  protocol: string;
  experiment: string;
  data?: string;
  seed: number;
  epochs?: number;
  fold?: string;
  json?: string;
  run?: string;
  out?: string;
  extraTrain?: string;
  unknowns?: string;
  cache: boolean;
  cacheDir?: string;
  /** With `run`: save each fold's model 5 or 6 under <run>/protocols/model<N>/<fold>/. */
  saveModels?: boolean;
  /** Model 6: room-augmented copies per training clip (0 or omitted: none). */
  rooms?: number;
  /** Model 6 with rooms: parts of the room training left out (an ablation). */
  roomsWithout?: RoomPart[];
  /** Model 6 with rooms and unknowns: backgrounds alone per room copy in the unknown class. */
  roomsBackgrounds?: number;
  /** Model 6 with rooms: one room copy of this many extra-voice clips. */
  roomsExtra?: number;
}

/**
 * Trains and measures one experiment under the evaluation protocols (see protocols.ts) and prints a
 * table (stderr) and the results as one JSON line (stdout). The action of `digits eval-protocol`; the
 * lead's `digits eval` can call it for `--protocol`.
 */
export async function runEvalProtocol(opts: EvalProtocolOptions): Promise<ProtocolResult[]> {
  const protocols = parseProtocols(opts.protocol);
  const experiment = Number(opts.experiment);
  if (![1, 2, 3, 4, 5, 6].includes(experiment)) throw new Error(`--experiment: expected 1-6, got "${opts.experiment}"`);
  const log = (line: string) => process.stderr.write(line + '\n');
  await initBackend({ log });
  const { dataset, extraTrain, cacheDir } = await readTrainingInputs(opts);
  const config = DEFAULT_FEATURE_CONFIG;
  if (extraTrain && experiment < 5) throw new Error('--extra-train: only for experiments 5 and 6');
  if (extraTrain) log(`extra training clips: ${extraTrain.length} from ${opts.extraTrain}`);
  if (opts.saveModels && !opts.run) throw new Error('--save-models: needs --run (the models go into the run folder)');
  if (opts.saveModels && experiment < 5) throw new Error('--save-models: only for experiments 5 and 6');
  if (opts.rooms && experiment !== 6) throw new Error('--rooms: only for experiment 6');
  checkRoomOptions(opts);
  const runDir = opts.run ? resolveRun(opts.run, opts.out ?? 'runs', { create: true }) : null;
  const onTrained =
    opts.saveModels && runDir
      ? async (model: tf.LayersModel, _classes: number, fold: ProtocolFold<Clip>) => {
          const dir = foldModelDir(runDir, experiment, fold.name);
          await saveFoldModel(experiment as 5 | 6, model, dir, { ...fold, nTrain: fold.train.length });
          log(`${fold.name}: model saved in ${dir}`);
        }
      : undefined;
  const train: TrainForFold<Clip> =
    experiment === 6
      ? await embeddingFoldTrainer(dataset.clips, {
          cacheDir,
          epochs: opts.epochs,
          seed: opts.seed,
          log,
          extraTrain,
          unknownsDir: opts.unknowns,
          roomCopies: opts.rooms,
          roomsWithout: opts.roomsWithout,
          roomBackgrounds: opts.roomsBackgrounds,
          roomExtra: opts.roomsExtra,
          onTrained,
        })
      : experiment === 5
        ? await model5FoldTrainer(dataset.clips, {
            config,
            cacheDir,
            epochs: opts.epochs,
            seed: opts.seed,
            log,
            extraTrain,
            unknownsDir: opts.unknowns,
            onTrained,
          })
        : notebookFoldTrainer(experiment, { config, cacheDir, seed: opts.seed, log });
  const onlyFolds = opts.fold
    ? opts.fold
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
  const settings: ProtocolSettings = {
    experiment,
    seed: opts.seed,
    ...(experiment === 5 ? { epochs: opts.epochs ?? 40, extraTrain: opts.extraTrain, unknowns: opts.unknowns } : {}),
    ...(experiment === 6
      ? {
          epochs: opts.epochs ?? 60,
          extraTrain: opts.extraTrain,
          unknowns: opts.unknowns,
          ...(opts.rooms ? { roomCopies: opts.rooms } : {}),
          ...(opts.roomsWithout?.length ? { roomsWithout: opts.roomsWithout } : {}),
          ...(opts.roomsBackgrounds ? { roomBackgrounds: opts.roomsBackgrounds } : {}),
          ...(opts.roomsExtra ? { roomExtra: opts.roomsExtra } : {}),
        }
      : {}),
  };
  // With --run, every finished fold is saved at once into the run folder, and folds already saved there
  // with the same settings are reused: an interrupted evaluation resumes where it stopped.
  const file = runDir ? protocolFilePath(runDir, experiment) : null;
  const saved = file ? readProtocolFile(file) : null;
  const reusable = saved && sameSettings(saved, settings) ? saved : null;
  if (file)
    log(`results go to ${file}${reusable ? ' (folds already there are reused; delete the file to redo them)' : ''}`);
  const results: ProtocolResult[] = [];
  for (const protocol of protocols) {
    results.push(
      await runProtocol(dataset.clips, protocol, train, {
        seed: opts.seed,
        log,
        onlyFolds,
        recorded: (fold) => recordedFold(reusable, protocol, fold.name),
        onFold: async (fold) => {
          if (file) await recordFold(file, settings, protocol, fold);
        },
      }),
    );
  }
  process.stderr.write(protocolTable(experiment, results) + '\n');
  const out = { ...settings, results };
  if (opts.json) await writeFileAtomic(opts.json, JSON.stringify(out, null, 2) + '\n');
  process.stdout.write(JSON.stringify(out) + '\n');
  return results;
}

/** A readable table: one row per fold, then the protocol's mean. */
export function protocolTable(experiment: number, results: ProtocolResult[]): string {
  const withUnknown = results.some((r) => r.folds.some((f) => f.unknown));
  const head = [
    'model',
    'protocol',
    'fold',
    'train',
    'test',
    'accuracy',
    'seconds',
    ...(withUnknown ? ['unknowns rejected @97% kept'] : []),
  ];
  const table = new Table({ head, style: { head: [], border: [] } });
  for (const r of results) {
    for (const f of r.folds) {
      table.push([
        String(experiment),
        r.protocol,
        f.heldOutSpeaker ?? f.name,
        f.nTrain,
        f.nTest,
        f.accuracy.toFixed(4),
        f.seconds.toFixed(1),
        ...(withUnknown
          ? [
              f.unknown
                ? `${f.unknown.unknownsRejected.toFixed(4)} (words ${f.unknown.wordsRejected.toFixed(2)}, sounds ${f.unknown.soundsRejected.toFixed(2)})`
                : '',
            ]
          : []),
      ]);
    }
    if (r.folds.length > 1) {
      table.push([
        String(experiment),
        r.protocol,
        'mean (worst)',
        '',
        '',
        `${r.meanAccuracy.toFixed(4)} (${r.minAccuracy.toFixed(4)})`,
        '',
        ...(withUnknown ? [r.meanUnknownsRejected?.toFixed(4) ?? ''] : []),
      ]);
    }
  }
  return table.toString();
}

/**
 * `digits eval-protocol --protocol loso|random|official|all --experiment 5|1-4`: trains the experiment on
 * each fold's training clips and reports accuracy on its test clips.
 */
export function registerEvalProtocolCommand(program: Command): void {
  program
    .command('eval-protocol')
    .description(
      'Train an experiment under an evaluation protocol (leave-one-speaker-out, random split, official split) and report accuracy per fold.',
    )
    .option('--protocol <name>', 'loso, random, official, a comma list, or all', 'all')
    .option(
      '-e, --experiment <n>',
      '6 (speech-embedding model), 5 (model 5) or a notebook experiment 1-4 (trained as `digits train` does)',
      '5',
    )
    .addOption(dataOption())
    .addOption(seedOption('seed of the random split and of training'))
    .option(
      '--epochs <n>',
      'model 5 epochs per fold (default 40); model 6 head epochs (default 60)',
      parsePositiveInt('--epochs'),
    )
    .option(
      '--unknowns <folder>',
      "models 5, 6: add an unknown class trained on this folder's group a (tools/unknowns) and report rejection of group b",
    )
    .option('--fold <names>', 'only these folds, e.g. theo or loso:theo,random')
    .option('--json <file>', 'also write the results to this file')
    .option(
      '--run <id|folder>',
      'save each finished fold to <run>/protocols/model<N>.json (the report shows them; the folder is made if new) and reuse folds saved there',
    )
    .option('--out <dir>', 'folder of run folders, for --run <id>', 'runs')
    .option(
      '--save-models',
      "models 5, 6 with --run: save each fold's model as a model folder, <run>/protocols/model<N>/<fold>/ (for benchmarks of held-out voices)",
    )
    .option(
      '--extra-train <folder>',
      "models 5, 6: FSDD-named clips added to every fold's training set (e.g. data/espeak-train-digits)",
    )
    .addOption(
      roomsOption(
        'model 6: add this many room-augmented copies of every training clip (synthetic room, background at 0-30 dB, mic colouring; default 2)',
      ),
    )
    .option(
      '--rooms-without <parts>',
      'model 6 with --rooms: leave these parts out of every room copy, an ablation (comma list of noise = white and brown noise, babble, tones, room = reverberation, mic = colouring and level)',
      roomsWithoutParts,
    )
    .option(
      '--rooms-backgrounds <n>',
      'model 6 with --rooms and --unknowns: add n training backgrounds alone (no speech, in a drawn room) per room copy to the unknown class',
      roomsBackgrounds,
    )
    .option(
      '--rooms-extra <n>',
      'model 6 with --rooms and --extra-train: one room copy of n of the extra clips (every k-th), so the synthetic voices are heard in rooms as digits too, not only as unknowns',
      roomsExtra,
    )
    .option('--cache-dir <dir>', 'feature cache folder (default: $DIGITS_CACHE or ./.cache/features)')
    .option('--no-cache', 'do not use the feature cache')
    .addHelpText(
      'after',
      `
Prints a table on stderr and {"experiment","results":[{"protocol","folds":[...],"meanAccuracy",...}]} on stdout.

Examples:
  npx digits eval-protocol --protocol loso --experiment 5
  npx digits eval-protocol --experiment 4 --run 20261124-141419   # resumable; then \`digits report\``,
    )
    .action(async (opts: EvalProtocolOptions) => {
      await runEvalProtocol(opts);
    });
}
