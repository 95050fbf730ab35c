import path from 'node:path';
import { Option, type Command } from 'commander';
import { enrolVoice, listVoices, readTakeFiles, voiceDir, voicesRoot, VOICE_NAME_PATTERN } from '@digits/voice';
import { modelOption, parsePositiveInt, seedOption } from './cli-args';
import { startProgress, type Progress } from './progress';

/** Options of `digits enrol`, as parsed. */
export interface EnrolCommandOptions {
  model: string;
  takes: string;
  out?: string;
  voice?: string;
  force?: boolean;
  seed: number;
  minTakes: number;
}

/** Where the personal model goes and what the voice is called: --out DIR or --voice NAME (under voicesRoot()). */
export function enrolTarget(
  o: EnrolCommandOptions,
  fileNames: readonly string[],
): { outDir: string; voiceName: string } {
  if (o.out && o.voice) throw new Error('give --out DIR or --voice NAME, not both');
  if (!o.out && !o.voice)
    throw new Error(`give --out DIR (a model folder) or --voice NAME (saved under ${voicesRoot()})`);
  if (o.voice) return { outDir: voiceDir(o.voice), voiceName: o.voice };
  const outDir = path.resolve(o.out!);
  // The takes' own name (7_alice_0.wav: alice) when they agree on one, else the folder's name.
  const fromFiles = fileNames.length === 1 ? fileNames[0].toLowerCase() : '';
  const folder = path.basename(outDir).toLowerCase();
  const voiceName = VOICE_NAME_PATTERN.test(fromFiles) ? fromFiles : VOICE_NAME_PATTERN.test(folder) ? folder : 'voice';
  return { outDir, voiceName };
}

/** `digits enrol`: adapts a model to one voice from takes on disk. Returns the personal model's folder. */
export async function runEnrolCommand(o: EnrolCommandOptions, log: (line: string) => void): Promise<string> {
  if (o.out && o.voice) throw new Error('give --out DIR or --voice NAME, not both');
  const { takes, names } = await readTakeFiles(o.takes);
  const { outDir, voiceName } = enrolTarget(o, names);
  log(`enrol: ${takes.length} takes from ${path.resolve(o.takes)}; base model ${path.resolve(o.model)}`);
  let bar = null as Progress | null;
  let lastQuarter = -1;
  const result = await enrolVoice({
    baseModelDir: o.model,
    takes,
    outDir,
    overwrite: o.force,
    voiceName,
    seed: o.seed,
    minTakesPerDigit: o.minTakes,
    onProgress: (done, total) => {
      bar ??= startProgress('enrol', total);
      bar.update(done);
      // On a pipe the bar draws nothing: a plain line at each quarter instead.
      const quarter = Math.floor((4 * done) / total);
      if (!process.stderr.isTTY && quarter > lastQuarter) {
        lastQuarter = quarter;
        log(`enrol: ${25 * quarter}% (${done}/${total})`);
      }
    },
  });
  (bar as Progress | null)?.stop();
  for (const r of result.rejected) log(`enrol: left out ${r.name}: ${r.reason}`);
  log(
    `enrol: voice "${voiceName}" enrolled from ${result.takesUsed.length} takes in ${result.seconds.toFixed(1)} s ` +
      `(${result.method}) -> ${result.outDir}`,
  );
  log(
    o.voice
      ? `enrol: use it with: digits live --voice ${o.voice}   (or --model ${result.outDir} for predict/eval)`
      : `enrol: use it with: digits live --model ${result.outDir}   (or predict/eval --model)`,
  );
  return result.outDir;
}

/** `digits enrol` and `digits voices`. */
export function registerEnrolCommands(program: Command): void {
  program
    .command('enrol')
    .summary('teach a model your voice from a few takes of each digit')
    .description(
      'Adapts a model to one voice: reads takes named {digit}_{name}_{n}.wav (any rate, one digit each, 0.1-1.5 s of ' +
        'speech), fine-tunes the last layer of the model on them (with seeded augmented copies and a pull toward ' +
        'the base weights, so other voices keep their answers) and writes a personal model folder that predict, ' +
        'eval and live load like any other, with the takes under takes/ and meta.json recording the base and settings.',
    )
    .addOption(modelOption('base model folder to adapt (model 5, model 6 or a notebook model)'))
    .requiredOption('--takes <folder|zip>', 'the takes: WAVs named {digit}_{name}_{n}.wav, at least one per digit')
    .option('--out <dir>', 'write the personal model folder here')
    .option(
      '--voice <name>',
      'save it as a named voice under $DIGITS_HOME/voices (default ~/.digits/voices); a-z, 0-9, _ and -',
    )
    .option('--force', 'replace the output folder if it exists')
    .addOption(seedOption('seed of the augmentation'))
    .addOption(
      new Option('--min-takes <n>', 'usable takes needed of every digit')
        .argParser(parsePositiveInt('--min-takes'))
        .default(1),
    )
    .addHelpText(
      'after',
      `
Examples:
  digits enrol --takes ~/my-takes --voice alice            # models/default, saved as voice "alice"
  digits live --voice alice                                # then recognise live with it
  digits enrol --model runs/x/model6 --takes takes.zip --out models/alice --force --seed 7
  digits predict --model models/alice 7_alice_9.wav

Takes that are too short, too long, silent or clipped are left out and named; a digit without enough usable takes
is an error naming it. Voices go under $DIGITS_HOME/voices (default ~/.digits/voices); \`digits voices\` lists them.`,
    )
    .action(async (opts: EnrolCommandOptions) => {
      await runEnrolCommand(opts, (line) => process.stderr.write(`${line}\n`));
    });

  program
    .command('voices')
    .summary('list the enrolled voices')
    .description(`Lists the voices enrolled with \`digits enrol --voice NAME\` (under ${voicesRoot()}).`)
    .addHelpText(
      'after',
      `
Example:
  digits voices
  DIGITS_HOME=/data/digits digits voices`,
    )
    .action(() => {
      process.stdout.write(`${formatVoices(voicesRoot())}\n`);
    });
}

/** The `digits voices` table of the voices under `root`. */
export function formatVoices(root: string): string {
  const voices = listVoices(root);
  if (voices.length === 0) return `no voices in ${root} (enrol one: digits enrol --takes DIR --voice NAME)`;
  const rows = [
    ['name', 'base model', 'takes', 'created', 'method'],
    ...voices.map((v) => [v.name, v.baseModel, String(v.takes), v.createdAt.slice(0, 19).replace('T', ' '), v.method]),
  ];
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  const lines = rows.map((r) =>
    r
      .map((c, j) => c.padEnd(widths[j]))
      .join('  ')
      .trimEnd(),
  );
  return [`voices in ${root}:`, ...lines].join('\n');
}
