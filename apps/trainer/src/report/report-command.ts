import path from 'node:path';
import type { Command } from 'commander';
import { resolveRun } from '../run-folder';
import { dataOption } from '../cli-args';
import { buildReport } from './build-report';

interface ReportOptions {
  run?: string;
  out: string;
  data?: string;
  png: boolean;
}

/** Registers `digits report --run runs/<id>`: rebuilds a finished (or partial) run's report.html. */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description(
      "Build a run's report.html: the notebook's dataset exploration, each model's diagram, curves and confusion matrix, and the final comparison.",
    )
    .option('--run <id|folder>', 'the run folder, or its id inside --out (default: the newest run in --out)')
    .option('--out <dir>', 'folder of run folders', 'runs')
    .addOption(dataOption("FSDD recordings (default: the run's own data path, then $FSDD_DATA, then ./data/)"))
    .option('--no-png', 'do not write PNG copies of the main figures to <run>/figures/')
    .addHelpText(
      'after',
      `
Writes <run>/report.html (self-contained: inline SVG charts, audio as data: URIs; opens with no network)
and <run>/figures/*.png. Rebuilding from the same run gives the same bytes. A run whose models have not
all finished gets a report of what exists, saying what is missing.

Examples:
  npx digits report --run runs/20261124-131500
  npx digits report                      # the newest run in ./runs`,
    )
    .action(async (opts: ReportOptions) => {
      const runDir = resolveRun(opts.run, opts.out);
      const { file, seconds, figures } = await whileBuilding(runDir, () =>
        buildReport(runDir, { data: opts.data, png: opts.png, log: (l) => process.stderr.write(l + '\n') }),
      );
      process.stdout.write(
        `${file}\n${figures.length} PNG figures in ${path.join(path.dirname(file), 'figures')}; built in ${seconds.toFixed(1)} s\n`,
      );
    });
}

/** The hint printed when a report build is interrupted: nothing of the run is lost; how to rebuild. */
export function reportInterruptedHint(runDir: string): string {
  return (
    `\ninterrupted: the report was not finished; the run's models and results are untouched (report.html and ` +
    `figures are replaced whole, so any left are from an earlier build); rebuild with  npx digits report --run ${runDir}\n`
  );
}

/** Runs the build; Ctrl-C or SIGTERM meanwhile exits 130 with {@link reportInterruptedHint}. */
export async function whileBuilding<T>(runDir: string, build: () => Promise<T>): Promise<T> {
  const stop = () => {
    process.stderr.write(reportInterruptedHint(runDir));
    process.exit(130);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await build();
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}
