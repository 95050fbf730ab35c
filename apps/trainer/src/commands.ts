import type { Command } from 'commander';
import { registerFeaturesCommand } from './features-command';
import { registerStatsCommand } from './stats-command';
import { registerTrainCommand } from './train-command';
import { registerPredictCommand } from './predict-command';
import { registerEvalCommand } from './eval-command';
import { registerPromoteCommand } from './promote';
import { registerReportCommand } from './report';

/** Registers the trainer's subcommands (features, stats, train, predict, eval, promote, report) on `program`. */
export function registerTrainerCommands(program: Command): void {
  registerFeaturesCommand(program);
  registerStatsCommand(program);
  registerTrainCommand(program);
  registerPredictCommand(program);
  registerEvalCommand(program);
  registerPromoteCommand(program);
  registerReportCommand(program);
}
