// The live app's own entry, for `nx run live:serve` and tests: the same commands as `digits live` and
// `digits devices`, without the rest of the CLI. Run it through tsx: node tools/run-ts.mjs apps/live/src/main.ts live ...
import { Command } from 'commander';
import { registerLiveCommands } from './cli/register';

const program = new Command('digits').showHelpAfterError('(add --help for usage)');
registerLiveCommands(program);
program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`digits: ${err instanceof Error ? err.message : String(err)}\n`);
  if (process.env.DIGITS_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exitCode = 1;
});
