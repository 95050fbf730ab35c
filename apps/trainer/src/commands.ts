import type { Command } from 'commander';
import { registerFeaturesCommand } from './features-command';
import { registerStatsCommand } from './stats-command';

/** Registers the trainer's subcommands (features, stats, train, predict, eval) on `program`. */
export function registerTrainerCommands(program: Command): void {
  registerFeaturesCommand(program);
  registerStatsCommand(program);
}
