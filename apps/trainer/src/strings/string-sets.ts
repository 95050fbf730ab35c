// `digits make-strings` writes a held-out speaker's benchmark strings as WAV files with their truth beside
// them; `digits eval --strings DIR` scores a string model on such a folder. The folder format:
//   DIR/strings.json  {"speaker", "seed", "strings": [{"file": "groups-000.wav", "set": "groups", "digits": "5551"}]}
//   DIR/*.wav         16 kHz mono 16-bit, each one string
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { prepareStringClips, readDataset, resolveDataSource, StringClipPool } from '@digits/dataset';
import { decodeWav, encodeWav16 } from '@digits/dsp';
import {
  heldOutStringSets,
  initBackend,
  loadStringRecognizer,
  modelDirKind,
  scoreStrings,
  stringOfSet,
  stringSetSize,
  writeFolderAtomic,
  type StringScores,
} from '@digits/model';
import { dataOption, parsePositiveInt } from '../cli-args';

/** strings.json of a string folder. */
export const StringFolderSchema = z
  .object({
    speaker: z.string(),
    seed: z.number().int(),
    strings: z
      .array(
        z
          .object({
            file: z.string().regex(/^[\w.-]+\.wav$/, 'a WAV file name in the folder'),
            set: z.string().min(1),
            digits: z.string().regex(/^[0-9]+$/),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type StringFolder = z.infer<typeof StringFolderSchema>;

/** Reads DIR/strings.json, naming the file and field of any problem. */
export function readStringFolder(dir: string): StringFolder {
  const file = path.join(dir, 'strings.json');
  if (!fs.existsSync(file))
    throw new Error(`--strings ${dir}: no strings.json (make one with \`digits make-strings\`)`);
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message})`);
  }
  const r = StringFolderSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${file}: field "${issue.path.join('.')}": ${issue.message}`);
  }
  return r.data;
}

/** `digits make-strings --held-out <speaker> --out DIR`. */
export function registerMakeStringsCommand(program: Command): void {
  program
    .command('make-strings')
    .description(
      "Write a speaker's digit strings as the string benchmark makes them (groups of 3-4 digits with 0-250 ms gaps, " +
        'a digit said 2-4 times, isolated digits; 16 kHz, 20 dB white noise) as WAV files with strings.json, for `digits eval --strings`.',
    )
    .requiredOption(
      '--held-out <speaker>',
      'the speaker whose clips make the strings (a model must not be trained on them)',
    )
    .requiredOption('--out <dir>', 'folder to write (replaced whole)')
    .addOption(dataOption())
    .option('--groups <n>', 'groups of 3-4 digits', parsePositiveInt('--groups'), 100)
    .option('--repeats <n>', 'runs of one digit', parsePositiveInt('--repeats'), 50)
    .option('--isolated <n>', 'isolated digits', parsePositiveInt('--isolated'), 100)
    .option('--seed <n>', 'seed of the strings (the benchmark uses 7000000)', parsePositiveInt('--seed'), 7_000_000)
    .action(
      async (o: {
        heldOut: string;
        out: string;
        data?: string;
        groups: number;
        repeats: number;
        isolated: number;
        seed: number;
      }) => {
        const dataset = await readDataset(await resolveDataSource({ flag: o.data }));
        const clips = dataset.clips.filter((c) => c.speaker === o.heldOut);
        if (clips.length === 0)
          throw new Error(`--held-out: no clips of "${o.heldOut}" (the data has ${dataset.speakers.join(', ')})`);
        const pool = new StringClipPool(prepareStringClips(clips).clips);
        const sets = heldOutStringSets(pool, {
          seed: o.seed,
          groups: o.groups,
          repeats: o.repeats,
          isolated: o.isolated,
        });
        const files: Record<string, Uint8Array | string> = {};
        const entries: StringFolder['strings'] = [];
        for (const spec of sets) {
          for (let i = 0; i < stringSetSize(spec); i++) {
            const s = stringOfSet(pool, spec, i);
            const file = `${spec.name}-${String(i).padStart(3, '0')}.wav`;
            files[file] = encodeWav16(s.samples, s.sampleRate);
            entries.push({ file, set: spec.name, digits: s.digits.join('') });
          }
        }
        const folder: StringFolder = { speaker: o.heldOut, seed: o.seed, strings: entries };
        files['strings.json'] = `${JSON.stringify(folder, null, 1)}\n`;
        writeFolderAtomic(o.out, files);
        process.stderr.write(`make-strings: ${entries.length} strings of ${o.heldOut} in ${o.out}\n`);
      },
    );
}

/** Scores by set (groups, repeats, isolated, ...) of a string model on a string folder. */
export async function evalStrings(modelDir: string, dir: string): Promise<Record<string, StringScores>> {
  if (modelDirKind(modelDir) !== 'string')
    throw new Error(`--strings needs a digit-string model (digits train-strings); ${modelDir} recognises one digit`);
  const folder = readStringFolder(dir);
  await initBackend({ log: (s) => process.stderr.write(`${s}\n`) });
  const rec = await loadStringRecognizer(modelDir);
  const trained = rec.meta.trainingSpeakers;
  if (Array.isArray(trained) && trained.includes(folder.speaker))
    process.stderr.write(`digits eval: warning: ${modelDir} was trained on ${folder.speaker}: not a held-out figure\n`);
  try {
    const bySet = new Map<string, { reference: number[]; hypothesis: number[] }[]>();
    for (const e of folder.strings) {
      const file = path.join(dir, e.file);
      if (!fs.existsSync(file)) throw new Error(`${dir}/strings.json names ${e.file}, which is not in the folder`);
      const wav = decodeWav(new Uint8Array(fs.readFileSync(file)), file);
      const r = await rec.recognize(wav.samples, wav.sampleRate, { leadSeconds: 0 });
      const pairs = bySet.get(e.set) ?? [];
      pairs.push({ reference: [...e.digits].map(Number), hypothesis: r.digits.map((d) => d.digit) });
      bySet.set(e.set, pairs);
    }
    return Object.fromEntries([...bySet].map(([set, pairs]) => [set, scoreStrings(pairs)]));
  } finally {
    await rec.dispose();
  }
}
