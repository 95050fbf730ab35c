import type { TopLevelSpec } from 'vega-lite';
import { EXPERIMENTS, MODEL5_TITLE, MODEL6_TITLE } from '../experiments';
import type { ProtocolFile, ProtocolName, ProtocolResult } from '../run-files';
import type { FigureSet } from './figures';
import { esc, note, p, section, table, ul, type Cell } from './html';
import type { RunData } from './run-data';

const f4 = (x: number) => x.toFixed(4);
const LABEL: Record<ProtocolName, string> = { random: 'random split', official: 'official split', loso: 'LOSO' };
/** The order of the table's columns and the chart's bars. */
const ORDER = ['random', 'official', 'loso'] as const;

/** One model's three accuracies, wherever each comes from. */
interface ModelRow {
  experiment: number;
  title: string;
  random?: { accuracy: number; source: string };
  official?: ProtocolResult;
  loso?: ProtocolResult;
  file?: ProtocolFile;
}

/**
 * "Beyond the notebook": every model under the three evaluation protocols of `digits eval-protocol`
 * (the random split, FSDD's official split, leave-one-speaker-out), read from <run>/protocols/. A
 * notebook model's random-split accuracy can also come from this run itself (its val F1 is the
 * accuracy on the same seeded split). Says which evaluations are missing and the command that makes them.
 */
export async function protocolsSection(run: RunData, figs: FigureSet): Promise<string> {
  const rows = modelRows(run);
  const parts: string[] = [
    p(
      'The notebook tests on a random split, where every speaker is in both train and test sets. ' +
        'Leave-one-speaker-out (train on three speakers, test on the fourth) is what a new voice gets; ' +
        "FSDD's official split holds out takes 0-4 of every speaker.",
    ),
  ];
  const speakers = [...new Set(rows.flatMap((r) => r.loso?.folds.map((f) => f.heldOutSpeaker ?? f.name) ?? []))].sort();
  if (rows.some((r) => r.official || r.loso)) {
    const withUnknown = rows.some((r) => r.file?.results.some((x) => x.meanUnknownsRejected !== undefined));
    const body: Cell[][] = rows.map((r) => [
      `#${r.experiment} ${r.title}`,
      r.random
        ? {
            html: `${f4(r.random.accuracy)}${r.random.source ? ` <span class="nb">(${esc(r.random.source)})</span>` : ''}`,
          }
        : '-',
      r.official ? f4(r.official.meanAccuracy) : '-',
      r.loso ? { html: `<b>${f4(r.loso.meanAccuracy)}</b> (${f4(r.loso.minAccuracy)})` } : '-',
      ...speakers.map((s) => {
        const fold = r.loso?.folds.find((f) => (f.heldOutSpeaker ?? f.name) === s);
        return fold ? f4(fold.accuracy) : '-';
      }),
      ...(withUnknown ? [unknownCell(r)] : []),
    ]);
    parts.push(
      table(
        [
          'model',
          'random split',
          'official split',
          'LOSO mean (worst)',
          ...speakers.map((s) => `LOSO ${s}`),
          ...(withUnknown ? ['unknowns rejected, 97% of digits kept'] : []),
        ],
        body,
        'protocols',
      ),
    );
    parts.push(
      p(
        "Accuracy on each protocol's test clips. LOSO: the mean of the per-speaker accuracies, the worst speaker in brackets. " +
          'Unknown rejection: held-out non-digit words and sounds classified as unknown, at the confidence threshold that keeps 97% of the test digits (mean over folds).',
      ),
    );
    parts.push(await figs.chart('protocols', protocolSpec(rows), { main: true }));
    parts.push(ul(findings(rows)));
  }
  const missing = missingEvaluations(run, rows);
  if (missing.length) parts.push(note(`Not evaluated yet: ${missing.join('; ')}.`));
  return section('protocols', 'Evaluation protocols', parts.join('\n'));
}

function modelRows(run: RunData): ModelRow[] {
  const ids = [
    ...new Set([
      ...run.models.filter((m) => m.metrics).map((m) => m.experiment.id),
      ...run.protocols.map((f) => f.experiment),
    ]),
  ].sort();
  return ids.map((id) => {
    const file = run.protocols.find((f) => f.experiment === id);
    const get = (name: ProtocolName) => file?.results.find((r) => r.protocol === name);
    const model = run.models.find((m) => m.experiment.id === id && m.metrics);
    const random = get('random');
    return {
      experiment: id,
      title:
        EXPERIMENTS.find((e) => e.id === id)?.title ??
        (id === 5
          ? MODEL5_TITLE.replace(/^Model 5: /, '')
          : id === 6
            ? MODEL6_TITLE.replace(/^Model 6: /, '')
            : `experiment ${id}`),
      random: random
        ? { accuracy: random.meanAccuracy, source: '' }
        : model && !run.spec.quick
          ? { accuracy: model.metrics!.valF1, source: 'this run' }
          : undefined,
      official: get('official'),
      loso: get('loso'),
      file,
    };
  });
}

function unknownCell(r: ModelRow): Cell {
  const figs = (['loso', 'official', 'random'] as const)
    .map((name) => ({ name, res: r.file?.results.find((x) => x.protocol === name) }))
    .filter((x) => x.res?.meanUnknownsRejected !== undefined)
    .map((x) => `${f4(x.res!.meanUnknownsRejected!)} ${x.name}`);
  return figs.length ? figs.join(', ') : '-';
}

/** A model's accuracy under one protocol (LOSO: the mean over speakers), if evaluated. */
function accuracyOf(r: ModelRow, name: ProtocolName): number | undefined {
  return name === 'random' ? r.random?.accuracy : r[name]?.meanAccuracy;
}

function protocolSpec(rows: ModelRow[]): TopLevelSpec {
  const values = rows.flatMap((r) =>
    ORDER.flatMap((name) => {
      const accuracy = accuracyOf(r, name);
      return accuracy === undefined ? [] : [{ model: `#${r.experiment}`, protocol: LABEL[name], accuracy }];
    }),
  );
  const order = ORDER.map((name) => LABEL[name]);
  return {
    title: 'Accuracy by evaluation protocol',
    data: { values },
    width: 420,
    height: 220,
    layer: [
      {
        mark: 'bar',
        encoding: {
          x: { field: 'model', type: 'nominal', title: null, axis: { labelAngle: 0 }, sort: null },
          xOffset: { field: 'protocol', sort: order },
          y: { field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] } },
          color: {
            field: 'protocol',
            type: 'nominal',
            sort: order,
            scale: { range: ['#bab0ac', '#72b7b2', '#4c78a8'] },
          },
        },
      },
      {
        mark: { type: 'text', dy: -5, fontSize: 9 },
        encoding: {
          x: { field: 'model', type: 'nominal', sort: null },
          xOffset: { field: 'protocol', sort: order },
          y: { field: 'accuracy', type: 'quantitative' },
          text: { field: 'accuracy', type: 'quantitative', format: '.2f' },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Sentences computed from the figures (nothing here is written in advance). */
function findings(rows: ModelRow[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    if (r.random && r.loso) {
      const gap = (r.random.accuracy - r.loso.meanAccuracy) * 100;
      const worst = r.loso.folds.reduce((a, b) => (b.accuracy < a.accuracy ? b : a));
      out.push(
        `Model ${r.experiment}: ${Math.abs(gap).toFixed(1)} points ${gap >= 0 ? 'lower' : 'higher'} for a new voice than on the random split ` +
          `(${f4(r.loso.meanAccuracy)} vs ${f4(r.random.accuracy)}); hardest held-out speaker ${worst.heldOutSpeaker ?? worst.name} (${f4(worst.accuracy)}).`,
      );
    }
  }
  const loso = rows.filter((r) => r.loso).sort((a, b) => b.loso!.meanAccuracy - a.loso!.meanAccuracy);
  if (loso.length > 1) {
    out.push(
      `Best for new voices: model ${loso[0].experiment} (LOSO ${f4(loso[0].loso!.meanAccuracy)}), ` +
        `then ${loso
          .slice(1)
          .map((r) => `model ${r.experiment} (${f4(r.loso!.meanAccuracy)})`)
          .join(', ')}.`,
    );
  }
  return out;
}

function missingEvaluations(run: RunData, rows: ModelRow[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const lacks = ORDER.filter((name) => accuracyOf(r, name) === undefined);
    if (lacks.length) {
      out.push(
        `model ${r.experiment}: ${lacks.map((n) => LABEL[n]).join(', ')} ` +
          `(\`npx digits eval-protocol --experiment ${r.experiment} --protocol ${lacks.join(',')} --run ${run.id}\`)`,
      );
    }
  }
  return out;
}
