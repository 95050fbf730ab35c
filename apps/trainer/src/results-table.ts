import Table from 'cli-table3';
import type { Experiment } from './experiments';
import type { ExperimentResult } from './run-files';

export type { ExperimentResult } from './run-files';

const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : String(x));

/** The final comparison: our figures, with the notebook's beside them in brackets. */
export function formatResultsTable(results: ExperimentResult[], experiments: readonly Experiment[]): string {
  const table = new Table({
    head: ['#', 'model', 'train loss', 'val loss', 'train F1', 'val F1', 'epochs', 'seconds'],
    style: { head: [], border: [] },
  });
  for (const r of results) {
    const nb = experiments.find((e) => e.id === r.id)?.notebook;
    const pair = (ours: number, theirs?: number) => (theirs === undefined ? f4(ours) : `${f4(ours)} (${theirs})`);
    table.push([
      r.id,
      r.title,
      pair(r.trainLoss, nb?.trainLoss),
      pair(r.valLoss, nb?.valLoss),
      pair(r.trainF1, nb?.trainF1),
      pair(r.valF1, nb?.valF1),
      nb?.epochs ? `${r.epochs} (${nb.epochs})` : String(r.epochs),
      r.seconds.toFixed(1),
    ]);
  }
  return `${table.toString()}\nOurs first; the notebook's figures in brackets. F1 is micro-averaged (= accuracy).`;
}
