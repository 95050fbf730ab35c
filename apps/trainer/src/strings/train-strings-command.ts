// `digits train-strings`: the digit-string model (issue 16). Strings of training-speaker clips are generated,
// embedded once by the speech front end (cached), and a causal convolution over the embedding sequence is
// trained with the CTC loss. With a LOSO fold, the held-out speaker's strings are measured at the end.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import {
  prepareStringClips,
  StringClipPool,
  trimSilence,
  type Clip,
  type DigitStringOptions,
  type FillerClip,
} from '@digits/dataset';
import { decodeWav, resample } from '@digits/dsp';
import {
  EMBEDDING_DISPLAY_CONFIG,
  embedStringSet,
  formatStringFigures,
  heldOutStringSets,
  initBackend,
  saveModelDir,
  scoreStringSet,
  STRING_LABELS,
  stringModelCtcMeta,
  stringModelReceptiveField,
  trainStringModel,
  type EmbeddedString,
  type StringBenchFigures,
  type StringSetSpec,
} from '@digits/model';
import { loadSpeechFrontEnd, type SpeechFrontEnd } from '@digits/speech-embedding';
import { dataOption, parsePositiveInt, seedOption } from '../cli-args';
import { speechEmbeddingFeatures } from '../fold-models';
import { startProgress } from '../progress';
import { RunFolder } from '../run-folder';
import { readTrainingInputs } from '../training-inputs';
import { readUnknowns } from '../model5/unknown-data';

export interface TrainStringsOptions {
  data?: string;
  out: string;
  seed: number;
  /** `loso:<speaker>` (train without that speaker, measure on it) or `all` (every speaker, no measurement). */
  fold: string;
  strings: number;
  epochs: number;
  /** Held-out set sizes: groups of 3-4, repeated runs, isolated clips (default 300, 100, every clip). */
  groups: number;
  repeats: number;
  isolated?: number;
  cache: boolean;
  cacheDir?: string;
  /** Synthetic voices (FSDD-named clips, e.g. data/espeak-train-digits): a pool of their own for extra strings. */
  extraTrain?: string;
  /** Strings drawn from the extra voices, on top of `strings` (default a quarter of `strings`). */
  extraStrings?: number;
  /** A training speaker kept out of training and measured as the validation (for choosing settings). */
  validateSpeaker?: string;
  /** tools/unknowns output: group a's words and sounds become unlabelled fillers in the training strings. */
  unknowns?: string;
}

/** The training strings' recipe (issue 16): 1-10 digits, gaps -50..600 ms, repeats, mixed speakers, gain, speed, noise. */
export const TRAINING_STRINGS: DigitStringOptions = {
  digits: [1, 10],
  gapMs: [-50, 600],
  repeatProbability: 0.25,
  mixedSpeakers: 0.2,
  gainDb: [-6, 6],
  digitGainDb: [-3, 3],
  speed: [0.9, 1.1],
  snrDb: [15, 35],
  // From right after a stream starts (the front end's first window) to well after.
  leadMs: [100, 1200],
  edgeMs: [100, 500],
};

/** With --unknowns: how often training strings carry a non-digit word or sound, or are nothing but one. */
export const TRAINING_FILLERS: Pick<DigitStringOptions, 'fillerProbability' | 'fillerOnly'> = {
  fillerProbability: 0.1,
  fillerOnly: 0.1,
};

/** Isolated digits added to training: one in six training strings. */
const TRAINING_ISOLATED: DigitStringOptions = { ...TRAINING_STRINGS, digits: [1, 1] };

const MODEL_WIDTHS = [64, 64, 64];
const MODEL_DILATIONS = [1, 2, 4];

function parseValidateSpeaker(
  name: string | undefined,
  speakers: readonly string[],
  heldOut: string | null,
): string | undefined {
  if (name === undefined) return undefined;
  if (!speakers.includes(name))
    throw new InvalidArgumentError(
      `--validate-speaker: no speaker "${name}" in the data (it has ${speakers.join(', ')})`,
    );
  if (name === heldOut)
    throw new InvalidArgumentError(
      `--validate-speaker: "${name}" is the held-out speaker; pick one of the training speakers`,
    );
  return name;
}

function parseFold(fold: string, speakers: readonly string[]): string | null {
  if (fold === 'all') return null;
  const m = /^loso:(.+)$/.exec(fold);
  if (!m) throw new InvalidArgumentError(`--fold: expected loso:<speaker> or all, got "${fold}"`);
  if (!speakers.includes(m[1]))
    throw new InvalidArgumentError(`--fold: no speaker "${m[1]}" in the data (it has ${speakers.join(', ')})`);
  return m[1];
}

async function embedSet(
  fe: SpeechFrontEnd,
  pool: StringClipPool,
  spec: StringSetSpec,
  cacheDir: string | null,
  log: (line: string) => void,
): Promise<EmbeddedString[]> {
  const t0 = performance.now();
  const bar = startProgress(`strings: ${spec.name}`, spec.clips?.length ?? spec.count);
  const out = await embedStringSet(fe, pool, spec, { cacheDir, onProgress: (done) => bar.update(done) });
  bar.stop();
  const audio = out.reduce((s, x) => s + x.samples, 0) / 16000;
  log(
    `strings: ${spec.name}: ${out.length} strings, ${audio.toFixed(0)} s of audio, ${out.reduce((s, x) => s + x.labels.length, 0)} digits, ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return out;
}

/** Prepares a pool from clips, naming the ones that failed. */
function poolOf(
  clips: readonly Clip[],
  log: (line: string) => void,
  fillers: readonly FillerClip[] = [],
): StringClipPool {
  const r = prepareStringClips(clips);
  for (const f of r.failed) log(`strings: skipped ${f.name}: ${f.reason}`);
  return new StringClipPool(r.clips, fillers);
}

/** Group a of tools/unknowns (words and sounds), decoded at 16 kHz and trimmed like the digits. */
function readFillers(dir: string, log: (line: string) => void): FillerClip[] {
  const { clips } = readUnknowns(dir, 'a');
  const out: FillerClip[] = [];
  for (const c of clips) {
    try {
      const wav = decodeWav(c.bytes, c.name);
      const x = wav.sampleRate === 16000 ? wav.samples : resample(wav.samples, wav.sampleRate, 16000);
      out.push({ name: c.name, samples: trimSilence(x, 16000) });
    } catch (e) {
      log(`strings: skipped filler ${c.name}: ${(e as Error).message}`);
    }
  }
  if (out.length === 0) throw new Error(`--unknowns ${dir}: no group-a words or sounds to use as fillers`);
  log(`strings: ${out.length} fillers (non-digit words and sounds, group a) from ${dir}`);
  return out;
}

/** Trains (and with a LOSO fold, measures) the string model; returns the run folder. */
export async function runTrainStrings(opts: TrainStringsOptions): Promise<RunFolder> {
  const log = (line: string) => process.stderr.write(line + '\n');
  await initBackend({ log });
  const { dataset, extraTrain, cacheDir } = await readTrainingInputs({
    data: opts.data,
    extraTrain: opts.extraTrain,
    cache: opts.cache,
    cacheDir: opts.cacheDir,
  });
  const heldOut = parseFold(opts.fold, dataset.speakers);
  const validateSpeaker = parseValidateSpeaker(opts.validateSpeaker, dataset.speakers, heldOut);
  const trainClips = dataset.clips.filter((c) => c.speaker !== heldOut && c.speaker !== validateSpeaker);
  if (opts.extraStrings !== undefined && !extraTrain)
    throw new InvalidArgumentError('--extra-strings: needs --extra-train (the voices to draw them from)');
  const extraCount = extraTrain ? (opts.extraStrings ?? Math.round(opts.strings / 4)) : 0;
  const run = RunFolder.create(opts.out);
  run.writeJson(
    {
      command: 'train-strings',
      fold: opts.fold,
      strings: opts.strings,
      epochs: opts.epochs,
      seed: opts.seed,
      data: dataset.source,
      extraTrain: opts.extraTrain ?? null,
      extraStrings: extraCount,
      unknowns: opts.unknowns ?? null,
      validateSpeaker: validateSpeaker ?? null,
    },
    'run.json',
  );
  log(`run folder: ${run.dir}`);
  const t0 = performance.now();
  const fe = await loadSpeechFrontEnd();
  const fillers = opts.unknowns ? readFillers(opts.unknowns, log) : [];
  const recipe: DigitStringOptions = opts.unknowns ? { ...TRAINING_STRINGS, ...TRAINING_FILLERS } : TRAINING_STRINGS;
  const pool = poolOf(trainClips, log, fillers);
  const isolatedCount = Math.round(opts.strings / 6);
  const seed = opts.seed * 1_000_003;
  const train = [
    ...(await embedSet(
      fe,
      pool,
      { name: 'training', count: opts.strings - isolatedCount, seed, options: recipe },
      cacheDir,
      log,
    )),
    ...(await embedSet(
      fe,
      pool,
      { name: 'training, isolated', count: isolatedCount, seed: seed + 500_000, options: TRAINING_ISOLATED },
      cacheDir,
      log,
    )),
  ];
  if (extraTrain && extraCount > 0) {
    // Synthetic voices get a pool of their own: drawn from one pool of 128 voices and 3 people, almost every
    // string would be synthetic. One in six of their strings is an isolated digit too.
    const extraPool = poolOf(extraTrain, log, fillers);
    const extraIsolated = Math.round(extraCount / 6);
    train.push(
      ...(await embedSet(
        fe,
        extraPool,
        {
          name: 'synthetic voices',
          count: extraCount - extraIsolated,
          seed: seed + 700_000,
          options: TRAINING_STRINGS,
        },
        cacheDir,
        log,
      )),
      ...(await embedSet(
        fe,
        extraPool,
        {
          name: 'synthetic voices, isolated',
          count: extraIsolated,
          seed: seed + 800_000,
          options: TRAINING_ISOLATED,
        },
        cacheDir,
        log,
      )),
    );
  }
  // Validation: with --validate-speaker, groups of that training speaker, kept out of training (a new voice, for
  // choosing settings without the held-out speaker); otherwise groups of the training speakers with other seeds.
  const validationPool = validateSpeaker
    ? poolOf(
        dataset.clips.filter((c) => c.speaker === validateSpeaker),
        log,
      )
    : pool;
  const [validationSpec] = heldOutStringSets(validationPool, {
    seed: seed + 900_000,
    groups: validateSpeaker ? opts.groups : 60,
  });
  const validation = await embedSet(fe, validationPool, validationSpec, cacheDir, log);
  const dataSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const epochs: { epoch: number; loss: number; validationGroupAccuracy?: number; validationDigitAccuracy?: number }[] =
    [];
  let lastBar = startProgress('train-strings: epoch 1', 1);
  const model = await trainStringModel(train, {
    seed: opts.seed,
    epochs: opts.epochs,
    widths: MODEL_WIDTHS,
    dilations: MODEL_DILATIONS,
    onBatchEnd: (index, batches, loss) => {
      if (index === 0) {
        lastBar.stop();
        lastBar = startProgress(`train-strings: epoch ${epochs.length + 1}/${opts.epochs}`, batches);
      }
      lastBar.update(index + 1, { loss: loss.toFixed(3) });
    },
    onEpochEnd: (epoch, loss) => {
      lastBar.stop();
      epochs.push({ epoch, loss });
      log(`train-strings: epoch ${epoch}/${opts.epochs}: CTC loss ${loss.toFixed(3)} per string`);
    },
  });
  const val = scoreStringSet(model, validation);
  epochs[epochs.length - 1].validationGroupAccuracy = val.greedy.stringAccuracy;
  epochs[epochs.length - 1].validationDigitAccuracy = val.greedy.digitAccuracy;
  const trainSeconds = (performance.now() - t1) / 1000;
  log(
    `train-strings: validation (${validateSpeaker ? `speaker ${validateSpeaker}, not trained on` : 'training speakers'}, groups of 3-4): digit recall ${val.greedy.digitRecall.toFixed(3)}, digit accuracy ${val.greedy.digitAccuracy.toFixed(3)}, groups right ${val.greedy.stringAccuracy.toFixed(3)}`,
  );
  const modelDir = run.path('strings', 'model');
  const rf = stringModelReceptiveField(MODEL_DILATIONS);
  const meta = {
    name: 'ctc-digit-strings',
    title: 'Digit strings: a causal convolution over speech embeddings, trained with CTC',
    input: 'embedding-sequence',
    ctc: stringModelCtcMeta(rf),
    outputs: 'per 80 ms embedding frame: probabilities of digits 0-9 (class = digit) and the CTC blank (class 10)',
    fold: opts.fold,
    trainingSpeakers: [...new Set(trainClips.map((c) => c.speaker))].sort(),
    ...(extraTrain ? { extraTrain: opts.extraTrain, extraVoices: new Set(extraTrain.map((c) => c.speaker)).size } : {}),
    ...(validateSpeaker ? { validateSpeaker } : {}),
    ...(opts.unknowns ? { fillers: { from: opts.unknowns, clips: fillers.length } } : {}),
    strings: train.length,
    epochs: opts.epochs,
    seed: opts.seed,
    params: model.countParams(),
    recipe: { strings: recipe, isolated: isolatedCount, widths: MODEL_WIDTHS, dilations: MODEL_DILATIONS },
    validation: {
      ...(validateSpeaker ? { speaker: validateSpeaker } : {}),
      groupAccuracy: val.greedy.stringAccuracy,
      digitAccuracy: val.greedy.digitAccuracy,
      digitRecall: val.greedy.digitRecall,
    },
  };
  await saveModelDir(model, modelDir, {
    featureConfig: EMBEDDING_DISPLAY_CONFIG,
    embedding: { ...speechEmbeddingFeatures(), pooledWindows: 1 },
    labels: [...STRING_LABELS],
    extra: meta,
  });
  log(`saved ${modelDir}`);
  let heldOutFigures: StringBenchFigures | undefined;
  if (heldOut) {
    const testPool = poolOf(
      dataset.clips.filter((c) => c.speaker === heldOut),
      log,
    );
    const sets = heldOutStringSets(testPool, { groups: opts.groups, repeats: opts.repeats, isolated: opts.isolated });
    const embedded: EmbeddedString[][] = [];
    for (const spec of sets) embedded.push(await embedSet(fe, testPool, spec, cacheDir, log));
    heldOutFigures = {
      groups: scoreStringSet(model, embedded[0]),
      repeats: scoreStringSet(model, embedded[1]),
      isolated: scoreStringSet(model, embedded[2]),
    };
    process.stderr.write(`held-out speaker ${heldOut}:\n${formatStringFigures(heldOutFigures).join('\n')}\n`);
  }
  await fe.release();
  const result = {
    fold: opts.fold,
    heldOutSpeaker: heldOut,
    strings: train.length,
    epochs: opts.epochs,
    params: model.countParams(),
    dataSeconds: Math.round(dataSeconds),
    trainSeconds: Math.round(trainSeconds),
    validation: meta.validation,
    ...(heldOutFigures ? { heldOut: heldOutFigures } : {}),
  };
  run.writeJson({ ...result, history: epochs }, 'strings', 'metrics.json');
  model.dispose();
  process.stdout.write(JSON.stringify(result) + '\n');
  return run;
}

/** `digits train-strings [--fold loso:<speaker>|all] [--strings N] [--epochs E] [--seed] [--data] [--out runs]`. */
export function registerTrainStringsCommand(program: Command): void {
  program
    .command('train-strings')
    .description(
      'Train the digit-string model (CTC over speech embeddings) on generated strings; measure a held-out speaker.',
    )
    .addOption(dataOption())
    .option('--out <dir>', 'runs folder', 'runs')
    .addOption(seedOption("seed of the strings, the network's weights and the batch order"))
    .option('--fold <fold>', 'loso:<speaker> (trained without them, measured on them) or all', 'loso:jackson')
    .option('--strings <n>', 'training strings (one in six an isolated digit)', parsePositiveInt('--strings'), 1200)
    .option('--epochs <n>', 'training epochs', parsePositiveInt('--epochs'), 20)
    .option(
      '--groups <n>',
      "held-out groups of 3-4 digits measured (and --validate-speaker's)",
      parsePositiveInt('--groups'),
      300,
    )
    .option('--repeats <n>', 'held-out repeated runs measured', parsePositiveInt('--repeats'), 100)
    .option('--isolated <n>', 'held-out isolated clips measured (default: every clip)', parsePositiveInt('--isolated'))
    .option(
      '--extra-train <folder>',
      'synthetic voices (FSDD-named clips, e.g. data/espeak-train-digits): extra strings drawn from them alone',
    )
    .option(
      '--extra-strings <n>',
      'strings from the --extra-train voices, on top of --strings (default: a quarter of --strings)',
      parsePositiveInt('--extra-strings'),
    )
    .option(
      '--validate-speaker <name>',
      'keep this training speaker out of training and report its groups as the validation (for choosing settings)',
    )
    .option(
      '--unknowns <folder>',
      "tools/unknowns output: its group a's words and sounds as unlabelled fillers in training strings (so non-digit sound gives no digit)",
    )
    .option('--cache-dir <dir>', 'embedding cache folder (default: $DIGITS_CACHE or ./.cache/features)')
    .option('--no-cache', 'do not use the embedding cache')
    .addHelpText(
      'after',
      `
Strings of 1-10 digits (gaps -50..600 ms, repeats, one or mixed speakers, gain, speed, 15-35 dB white noise)
are made from the training speakers' clips and embedded once (cached); the network is a causal convolution over
the 80 ms embeddings with 11 outputs per frame (digits 0-9, blank 10), trained with CTC. With --fold loso:<s>,
strings from speaker <s> only (16 kHz, 20 dB) are measured at the end, as tools/bench/bench-strings.ts does.

Examples:
  npx digits train-strings --fold loso:jackson
  node tools/run-ts.mjs tools/bench/bench-strings.ts --model runs/<id>/strings/model --held-out jackson`,
    )
    .action(async (opts: TrainStringsOptions) => {
      await runTrainStrings(opts);
    });
}
