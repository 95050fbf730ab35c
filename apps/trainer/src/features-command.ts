import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import writeFileAtomic from 'write-file-atomic';
import { readClips } from '@digits/dataset';
import {
  DEFAULT_FEATURE_CONFIG,
  NOTEBOOK_AUGMENTATIONS,
  defaultCacheDir,
  featurizeClips,
  frameCount,
} from '@digits/features';
import { startProgress } from './progress';
import { parsePositiveInt } from './cli-args';

interface FeaturesOptions {
  out: string;
  augment?: boolean;
  cache: boolean;
  cacheDir?: string;
  threads?: number;
}

/** `digits features <inputs...> --out FILE [--augment]`: log-mels of WAV files, folders or zips. */
export function registerFeaturesCommand(program: Command): void {
  program
    .command('features')
    .description(
      'Compute log-mel spectrograms (64 x 35, librosa-exact) of WAV files, folders or zips. Writes an ' +
        '(N, 64, 35) float32 little-endian row-major array to --out and prints one JSON line per row.',
    )
    .argument('<inputs...>', 'WAV files, folders of WAVs, or .zip archives')
    .requiredOption('-o, --out <file>', 'where to write the float32 array')
    .option('--augment', "9 rows per clip: the notebook's time-stretch x pitch-shift augmentations")
    .option('--cache-dir <dir>', 'feature cache folder (default: $DIGITS_CACHE or ./.cache/features)')
    .option('--no-cache', 'neither read nor write the feature cache')
    .option('--threads <n>', 'worker threads (default: one per core)', parsePositiveInt('--threads'))
    .addHelpText(
      'after',
      `
Output lines: {"index","file","label","speaker","durationS"} (+ "augment": {"rate","nSteps"} with --augment),
in the order of the rows. Files whose names are not {digit}_{speaker}_{take}.wav get label and speaker null.
Unreadable files are reported on stderr and left out.

Example:
  npx digits features ../shared/fsdd/recordings.zip --out fsdd-logmel.f32 > fsdd-logmel.jsonl`,
    )
    .action(async (inputs: string[], opts: FeaturesOptions) => {
      await runFeatures(inputs, opts);
    });
}

/** Fails, naming `out`, when it cannot be written: before the work, not after it (and not naming a temp file). */
function checkWritable(out: string): void {
  const dir = path.dirname(path.resolve(out));
  try {
    if (fs.existsSync(out) && fs.statSync(out).isDirectory()) throw new Error('it is a folder');
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? `folder ${dir} does not exist`
        : code === 'ENOTDIR'
          ? `${dir} is not a folder`
          : code
            ? `folder ${dir} is not writable`
            : (err as Error).message;
    throw new Error(`--out ${out}: cannot write there (${why})`);
  }
}

async function runFeatures(inputs: string[], opts: FeaturesOptions): Promise<void> {
  checkWritable(opts.out);
  const data = await readClips(inputs);
  for (const s of data.skipped) process.stderr.write(`digits features: skipped ${s.name}: ${s.reason}\n`);
  if (data.clips.length === 0) throw new Error(`no readable WAV files in ${inputs.join(', ')}`);

  const config = DEFAULT_FEATURE_CONFIG;
  const augmentations = opts.augment ? NOTEBOOK_AUGMENTATIONS : [];
  const progress = startProgress('features', data.clips.length);
  const batch = await featurizeClips(data.clips, {
    config,
    augmentations,
    threads: opts.threads,
    cacheDir: opts.cache ? (opts.cacheDir ?? defaultCacheDir()) : null,
    onProgress: (done) => progress.update(done),
    skipFailures: true,
  });
  progress.stop();
  for (const s of batch.skipped) process.stderr.write(`digits features: skipped ${s.name}: ${s.reason}\n`);
  if (batch.kept.length === 0) throw new Error(`none of the ${data.clips.length} files could be read (see above)`);
  const kept = batch.kept.map((k) => data.clips[k]);

  try {
    await writeFileAtomic(
      opts.out,
      Buffer.from(batch.logMels!.buffer, batch.logMels!.byteOffset, batch.logMels!.byteLength),
    );
  } catch (err) {
    // e.g. a full disk: name the real output, not write-file-atomic's temporary file.
    throw new Error(
      `--out ${opts.out}: could not be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  const lines: string[] = [];
  kept.forEach((clip, i) => {
    const base = {
      file: clip.location,
      label: clip.digit,
      speaker: clip.speaker,
      durationS: batch.loadedLengths[i] / config.sampleRate,
    };
    for (let v = 0; v < batch.variants; v++) {
      const index = i * batch.variants + v;
      lines.push(JSON.stringify(opts.augment ? { index, ...base, augment: augmentations[v] } : { index, ...base }));
    }
  });
  process.stdout.write(lines.join('\n') + '\n');
  process.stderr.write(
    `digits features: ${kept.length * batch.variants} x (${config.nMels}, ${frameCount(config)}) float32 ` +
      `written to ${opts.out} (${batch.cached} of ${data.clips.length} clips from the cache)\n`,
  );
}
