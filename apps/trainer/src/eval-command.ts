import type { Command } from 'commander';
import { officialSplit, readDataset, resolveDataSource, stratifiedSplit, type Clip } from '@digits/dataset';
import { defaultCacheDir } from '@digits/features';
import { argmaxRows, initBackend, loadRecognizer } from '@digits/model';
import { dataOption, modelOption, seedOption } from './cli-args';
import { classificationReport } from './classification-report';
import { evalStrings } from './strings/string-sets';

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
    .option(
      '--strings <dir>',
      'score a digit-string model on a folder of strings (WAV + strings.json, from `digits make-strings`) instead',
    )
    .addHelpText(
      'after',
      `
Prints {"accuracy","f1Micro","perDigit","confusion","n"}; confusion[true][predicted] counts clips.
With --strings: {"<set>": {"digitRecall","digitAccuracy","stringAccuracy",...}} per set of the folder (groups:
whole-group accuracy; repeats: repeat count right; isolated: digit right), scored by edit alignment as
tools/bench/bench-strings.ts scores them, each string recognised as \`digits predict\` does.

Example:
  npx digits eval --model runs/<id>/model4-spectrogram-augmented/model --split test
  npx digits make-strings --held-out jackson --out runs/strings-jackson
  npx digits eval --model runs/<id>/strings/model --strings runs/strings-jackson`,
    )
    .action(
      async (opts: {
        model: string;
        data?: string;
        split: string;
        seed: number;
        cache: boolean;
        cacheDir?: string;
        strings?: string;
      }) => {
        if (opts.strings !== undefined) {
          const figures = await evalStrings(opts.model, opts.strings);
          for (const [set, f] of Object.entries(figures))
            process.stderr.write(
              `${set}: ${f.strings} strings, ${f.digits} digits: recall ${(100 * f.digitRecall).toFixed(1)}%, accuracy ${(100 * f.digitAccuracy).toFixed(1)}%, exact ${(100 * f.stringAccuracy).toFixed(1)}% (${f.substitutions} substituted, ${f.deletions} missed, ${f.insertions} inserted)\n`,
            );
          process.stdout.write(JSON.stringify(figures) + '\n');
          return;
        }
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
