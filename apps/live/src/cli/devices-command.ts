import type { Command } from 'commander';
import { describeDevices } from '../sources/mic/devices';
import { listCaptureDevices } from '../sources/mic/mic-source';

/** `digits devices`: the audio devices PortAudio sees, inputs first marked with their default rates. */
export async function runDevicesCommand(
  opts: { json?: boolean; verbose?: boolean },
  out: (text: string) => void = (t) => process.stdout.write(t),
): Promise<number> {
  const devices = await listCaptureDevices({ verbose: opts.verbose });
  if (opts.json) {
    out(`${JSON.stringify(devices, null, 2)}\n`);
    return 0;
  }
  const inputs = devices.filter((d) => d.maxInputChannels > 0);
  const outputs = devices.filter((d) => d.maxInputChannels === 0);
  out(`Input devices (use with digits live --device <index> [--rate <Hz>]):\n${describeDevices(inputs)}\n`);
  if (outputs.length > 0) out(`Output-only devices:\n${describeDevices(outputs)}\n`);
  if (inputs.length === 0) out('No microphone found: try digits live --source wav:PATH, or --source stdin.\n');
  return 0;
}

/** Registers `digits devices` on `program`. */
export function registerDevicesCommand(program: Command): void {
  program
    .command('devices')
    .summary('list the audio input devices PortAudio sees')
    .description('Lists the audio devices PortAudio sees, with their index, channels and default sample rate.')
    .option('--json', 'print the list as JSON')
    .option('--verbose', 'show what PortAudio and ALSA print while probing')
    .addHelpText('after', '\nExamples:\n  digits devices\n  digits live --device 1 --rate 16000\n')
    .action(async (opts: { json?: boolean; verbose?: boolean }) => {
      process.exitCode = await runDevicesCommand(opts);
    });
}
