import type { Command } from 'commander';
import { officialSplit, readDataset, resolveDataSource, stratifiedSplit, type Clip } from '@digits/dataset';
import { defaultCacheDir } from '@digits/features';
import { argmaxRows, initBackend, loadRecognizer } from '@digits/model';
import { dataOption, modelOption, seedOption } from './cli-args';
import { classificationReport } from './classification-report';

type SplitName = 'test' | 'all' | 'official';

/** `digits eval --model DIR --data <folder|zip> [--split test|all|official] [--seed N]`. */
export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description(
      'Measure a saved model on FSDD clips: accuracy, F1 micro, per-digit figures and the confusion matrix, as JSON.',
    )
    .addOption(modelOption())
    .addOption(dataOption())
    .option(
      '--split <which>',
      'test: the seeded stratified test split used in training; all; official: takes 0-4',
      'test',
    )
    .addOption(seedOption('seed of the test split (the one the model was trained with)'))
    .option('--cache-dir <dir>', 'feature cache folder (default: $DIGITS_CACHE or ./.cache/features)')
    .option('--no-cache', 'do not use the feature cache')
    .addHelpText(
      'after',
      `
Prints {"accuracy","f1Micro","perDigit","confusion","n"}; confusion[true][predicted] counts clips.

Example:
  npx digits eval --model runs/<id>/model4-spectrogram-augmented/model --split test`,
    )
    .action(
      async (opts: {
        model: string;
        data?: string;
        split: string;
        seed: number;
        cache: boolean;
        cacheDir?: string;
      }) => {
        if (!['test', 'all', 'official'].includes(opts.split)) {
          throw new Error(`--split: expected test, all or official; got "${opts.split}"`);
        }
        await initBackend({ log: (s) => process.stderr.write(s + '\n') });
        const recognizer = await loadRecognizer(opts.model); // fails before any data is read on a bad folder
        const source = await resolveDataSource({ flag: opts.data });
        const dataset = await readDataset(source);
        const clips = pickSplit(dataset.clips, opts.split as SplitName, opts.seed);
        if (clips.length === 0) throw new Error(`--split ${opts.split}: no clips in ${source.path}`);
        const { probs, kept, skipped } = await recognizer.classifyClips(clips, {
          cacheDir: opts.cache ? (opts.cacheDir ?? defaultCacheDir()) : null,
          skipFailures: true,
        });
        // Clips the dataset reader could not use are named and counted too: accuracy on the rest must not
        // look like accuracy on everything.
        const unusable = [...dataset.skipped, ...skipped];
        for (const s of unusable) process.stderr.write(`digits eval: skipped ${s.name}: ${s.reason}\n`);
        if (kept.length === 0) throw new Error(`none of the ${clips.length} clips could be read (see above)`);
        const report = classificationReport(
          Int32Array.from(kept, (k) => clips[k].digit),
          argmaxRows(probs),
        );
        // Accuracy is on the kept clips only; say how many were dropped rather than hide it.
        process.stdout.write(JSON.stringify({ ...report, skipped: unusable.length }) + '\n');
      },
    );
}

function pickSplit(clips: Clip[], split: SplitName, seed: number): Clip[] {
  if (split === 'all') return clips;
  if (split === 'official') return officialSplit(clips).test;
  return stratifiedSplit(clips, { seed }).test;
}
