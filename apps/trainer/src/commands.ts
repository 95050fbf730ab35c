import type { Command } from 'commander';
import { registerFeaturesCommand } from './features-command';
import { registerStatsCommand } from './stats-command';
import { registerTrainCommand } from './train-command';
import { registerPredictCommand } from './predict-command';
import { registerEvalCommand } from './eval-command';
import { registerPromoteCommand } from './promote';
import { registerReportCommand } from './report';
import { registerEvalProtocolCommand } from './eval-protocol-command';
import { registerTrain5Command, registerUnknownsCommand } from './model5';
import { registerTrain6Command } from './embedding-model';
import { registerEnrolCommands } from './enrol-command';
import { registerTrainStringsCommand } from './strings/train-strings-command';
import { registerMakeStringsCommand } from './strings/string-sets';

/** Registers the trainer's subcommands (features, stats, train, predict, eval, promote, report, eval-protocol, train5, train6, unknowns, enrol, voices, train-strings, make-strings) on `program`. */
export function registerTrainerCommands(program: Command): void {
  registerFeaturesCommand(program);
  registerStatsCommand(program);
  registerTrainCommand(program);
  registerPredictCommand(program);
  registerEvalCommand(program);
  registerPromoteCommand(program);
  registerReportCommand(program);
  registerEvalProtocolCommand(program);
  registerTrain5Command(program);
  registerTrain6Command(program);
  registerUnknownsCommand(program);
  registerEnrolCommands(program);
  registerTrainStringsCommand(program);
  registerMakeStringsCommand(program);
}
