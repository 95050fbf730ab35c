import type { Command } from 'commander';
import { readClips, type InputClip } from '@digits/dataset';
import { decodeWav } from '@digits/dsp';
import { defaultCacheDir } from '@digits/features';
import { argmaxRows, initBackend, loadRecognizer, loadStringRecognizer, modelDirKind } from '@digits/model';
import { modelOption } from './cli-args';

/** `digits predict --model DIR <wav...>`: one JSON line per file. */
export function registerPredictCommand(program: Command): void {
  program
    .command('predict')
    .description('Recognise the digit spoken in each WAV file with a saved model.')
    .argument('<inputs...>', 'WAV files, folders of WAVs, or .zip archives')
    .addOption(modelOption('model folder (model.json, weights.bin, features.json, labels.json)'))
    .option('--cache-dir <dir>', 'feature cache folder (default: $DIGITS_CACHE or ./.cache/features)')
    .option('--no-cache', 'do not use the feature cache')
    .addHelpText(
      'after',
      `
Prints {"file","digit","confidence","probs"} per file, probs being the 10 softmax outputs (digits 0-9).
With a digit-string model (digits train-strings), prints {"file","text","digits"} per file: the digits said,
each with the time (s) at which it became certain and its probability.

Example:
  npx digits predict ../shared/fsdd/recordings/7_theo_3.wav`,
    )
    .action(async (inputs: string[], opts: { model: string; cache: boolean; cacheDir?: string }) => {
      await initBackend({ log: (s) => process.stderr.write(s + '\n') });
      if (modelDirKind(opts.model) === 'string') return predictStrings(opts.model, inputs);
      const recognizer = await loadRecognizer(opts.model); // fails before any data is read on a bad folder
      const data = await readClips(inputs);
      for (const s of data.skipped) process.stderr.write(`digits predict: skipped ${s.name}: ${s.reason}\n`);
      if (data.clips.length === 0) throw new Error(`no readable WAV files in ${inputs.join(', ')}`);
      const { probs, kept, skipped } = await recognizer.classifyClips(data.clips, {
        cacheDir: opts.cache ? (opts.cacheDir ?? defaultCacheDir()) : null,
        skipFailures: true,
      });
      for (const s of skipped) process.stderr.write(`digits predict: skipped ${s.name}: ${s.reason}\n`);
      if (kept.length === 0) throw new Error(`none of the ${data.clips.length} files could be read (see above)`);
      const digits = argmaxRows(probs);
      const lines = kept.map((k, i) => {
        const c = data.clips[k];
        const p = Array.from(probs.subarray(i * 10, i * 10 + 10), (v) => Number(v.toFixed(6)));
        return JSON.stringify({ file: c.location ?? c.name, digit: digits[i], confidence: p[digits[i]], probs: p });
      });
      process.stdout.write(lines.join('\n') + '\n');
    });
}

/** A digit-string model over each file: one JSON line of the digits said, in order. */
async function predictStrings(modelDir: string, inputs: string[]): Promise<void> {
  const recognizer = await loadStringRecognizer(modelDir);
  try {
    const data = await readClips(inputs);
    for (const s of data.skipped) process.stderr.write(`digits predict: skipped ${s.name}: ${s.reason}\n`);
    if (data.clips.length === 0) throw new Error(`no readable WAV files in ${inputs.join(', ')}`);
    let answered = 0;
    for (const c of data.clips as InputClip[]) {
      let line: string;
      try {
        const wav = decodeWav(c.bytes, c.name);
        const r = await recognizer.recognize(wav.samples, wav.sampleRate);
        line = JSON.stringify({
          file: c.location ?? c.name,
          text: r.text,
          digits: r.digits.map((d) => ({
            digit: d.digit,
            seconds: Number(d.seconds.toFixed(3)),
            prob: Number(d.prob.toFixed(6)),
          })),
        });
      } catch (e) {
        process.stderr.write(`digits predict: skipped ${c.name}: ${(e as Error).message}\n`);
        continue;
      }
      answered++;
      process.stdout.write(line + '\n');
    }
    if (answered === 0) throw new Error(`none of the ${data.clips.length} files could be read (see above)`);
  } finally {
    await recognizer.dispose();
  }
}
