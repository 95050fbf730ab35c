import { Command } from 'commander';
import { registerTrainerCommands } from '@digits/trainer';

/**
 * `digits`: one command-line entry for the whole project. Each app registers its own subcommands;
 * this file only composes them and turns thrown errors into a readable message and a non-zero exit.
 */
const program = new Command('digits')
  .description('Spoken-digit recognition in Node: features, training, evaluation and live recognition.')
  .showHelpAfterError('(add --help for usage)');

registerTrainerCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`digits: ${msg}\n`);
  if (process.env.DIGITS_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exitCode = 1;
});
