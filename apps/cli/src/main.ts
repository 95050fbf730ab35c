import { Command } from 'commander';
// The CLI shell is the one project allowed to compose apps (eslint.config.mjs allows exactly these imports).
import { registerTrainerCommands } from '@digits/trainer';
import { registerLiveCommands } from '@digits/live';

/**
 * `digits`: one command-line entry for the whole project. Each app registers its own subcommands;
 * this file only composes them and turns thrown errors into a readable message and a non-zero exit.
 */
const program = new Command('digits')
  .description('Spoken-digit recognition in Node: features, training, evaluation and live recognition.')
  .showHelpAfterError('(add --help for usage)');

registerTrainerCommands(program);
registerLiveCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`digits: ${msg}\n`);
  if (process.env.DIGITS_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exitCode = 1;
});
