import type { Command } from 'commander';
import { registerDevicesCommand } from './devices-command';
import { registerLiveCommand } from './live-command';

/** Registers the live recognizer's subcommands (`live`, `devices`) on `program`. */
export function registerLiveCommands(program: Command): void {
  registerLiveCommand(program);
  registerDevicesCommand(program);
}
