import { conclusions } from './conclusions';
import type { FigureSet } from './figures';
import { comparisonSpec, type ComparisonRow } from './model-charts';
import type { RunData } from './run-data';
import { esc, h3, note, p, section, table, ul, type Cell } from './html';

const f4 = (x: number) => x.toFixed(4);

/** The final table (ours beside the notebook's), the comparison chart and the computed conclusions. */
export async function resultsSection(run: RunData, figs: FigureSet): Promise<string> {
  const done = run.models.filter((m) => m.metrics);
  const parts: string[] = [];
  if (done.length === 0) {
    parts.push(note('No model of this run has finished yet: there is nothing to compare.'));
    return section('results', 'Results', parts.join('\n'));
  }
  const pair = (ours: number, theirs: number): Cell => ({
    html: `${f4(ours)} <span class="nb">(${esc(theirs)})</span>`,
  });
  const rows: Cell[][] = done.map(({ experiment: e, metrics: m }) => [
    `#${e.id} ${e.title}`,
    pair(m!.trainLoss, e.notebook.trainLoss),
    pair(m!.valLoss, e.notebook.valLoss),
    pair(m!.trainF1, e.notebook.trainF1),
    pair(m!.valF1, e.notebook.valF1),
    e.notebook.epochs ? `${m!.epochs} (${e.notebook.epochs})` : String(m!.epochs),
    m!.seconds.toFixed(1),
  ]);
  parts.push(table(['model', 'train loss', 'val loss', 'train F1', 'val F1', 'epochs', 'seconds'], rows, 'results'));
  parts.push(
    p(
      "Ours first; the notebook's figures in brackets. F1 is micro-averaged (= accuracy); the validation set is the test split.",
    ),
  );

  const chartRows: ComparisonRow[] = done.flatMap(({ experiment: e, metrics: m }) => [
    { model: `#${e.id}`, source: 'ours' as const, metric: 'train F1' as const, value: m!.trainF1 },
    { model: `#${e.id}`, source: 'notebook' as const, metric: 'train F1' as const, value: e.notebook.trainF1 },
    { model: `#${e.id}`, source: 'ours' as const, metric: 'val F1' as const, value: m!.valF1 },
    { model: `#${e.id}`, source: 'notebook' as const, metric: 'val F1' as const, value: e.notebook.valF1 },
  ]);
  parts.push(await figs.chart('results-comparison', comparisonSpec(chartRows), { main: true }));

  parts.push(h3('Conclusions'));
  parts.push(
    ul(
      conclusions(
        done.map((m) => ({ experiment: m.experiment, valF1: m.metrics!.valF1, epochs: m.metrics!.epochs })),
        run.spec.quick,
      ),
    ),
  );

  if (run.results) {
    const r = run.results;
    const lanes = r.jobs && r.jobs > 1 ? `, ${r.jobs} experiments at a time` : '';
    const memory = r.peakRssMiB
      ? `; peak memory ${r.peakRssMiB} MiB${r.jobs && r.jobs > 1 ? " (the processes' peaks summed)" : ''}`
      : '';
    parts.push(
      p(
        `The whole training run took ${r.totalSeconds.toFixed(1)} s on the ${r.backend} backend${lanes} (the last invocation, if it was resumed)${memory}.`,
      ),
    );
  }
  return section('results', 'Results', parts.join('\n'));
}
