// Vega-Lite specs of the model sections and the final comparison.
import type { TopLevelSpec } from 'vega-lite';
import type { LayerNode } from './model-data';
import type { NotebookEpoch } from '../experiments';
import type { EpochRecord } from './run-data';

/** Where training stopped, to mark on the curves. */
export interface StopMark {
  epoch: number;
  label: string;
}

const OURS_COLORS = ['#4c78a8', '#f58518'];
const NOTEBOOK_COLORS = ['#9ecae9', '#ffbf79'];

/**
 * Loss and F1 per epoch, train and validation, with the stopping epoch marked by a dashed rule; the
 * notebook's own per-epoch figures, where given, in lighter colours (F1 as a dashed line; its losses as
 * points, since the rendered notebook lost some of them).
 */
export function learningCurvesSpec(
  history: EpochRecord[],
  stop: StopMark,
  title: string,
  notebook: readonly NotebookEpoch[] = [],
): TopLevelSpec {
  const panel = (metric: 'loss' | 'F1', fields: [string, string]) => {
    const theirs = notebook.flatMap((e) =>
      fields.flatMap((f) => {
        const value = e[f as keyof NotebookEpoch];
        return value === undefined ? [] : [{ epoch: e.epoch, series: `notebook ${f}`, value }];
      }),
    );
    const series = [...fields, ...(theirs.length ? fields.map((f) => `notebook ${f}`) : [])];
    const encoding = {
      x: { field: 'epoch', type: 'ordinal', axis: { labelAngle: 0 } },
      y: {
        field: 'value',
        type: 'quantitative',
        title: metric,
        scale: metric === 'F1' ? { domain: [0, 1] } : { zero: false },
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        sort: series,
        scale: { domain: series, range: [...OURS_COLORS, ...NOTEBOOK_COLORS].slice(0, series.length) },
      },
    };
    return {
      title: metric === 'loss' ? 'loss (sparse categorical cross-entropy)' : 'F1 micro',
      width: 300,
      height: 200,
      layer: [
        ...(theirs.length
          ? [
              {
                data: { values: theirs },
                mark:
                  metric === 'F1'
                    ? { type: 'line', point: { filled: false }, strokeDash: [5, 3] }
                    : { type: 'point', filled: false, size: 50 },
                encoding,
              },
            ]
          : []),
        {
          data: { values: history },
          transform: [{ fold: fields, as: ['series', 'value'] }],
          mark: { type: 'line', point: true },
          encoding,
        },
        {
          data: { values: [stop] },
          layer: [
            {
              mark: { type: 'rule', color: '#888', strokeDash: [4, 3] },
              encoding: { x: { field: 'epoch', type: 'ordinal' } },
            },
            {
              mark: { type: 'text', align: 'right', dx: -4, baseline: 'top', y: 4, color: '#555' },
              encoding: { x: { field: 'epoch', type: 'ordinal' }, text: { field: 'label' } },
            },
          ],
        },
      ],
    };
  };
  return {
    title,
    hconcat: [panel('loss', ['loss', 'val_loss']), panel('F1', ['f1', 'val_f1'])],
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}

/** The test-set confusion matrix: rows the true digit, columns the predicted one, counts in the cells. */
export function confusionSpec(confusion: number[][], title: string): TopLevelSpec {
  const cells = confusion.flatMap((row, t) => row.map((n, p) => ({ true: t, predicted: p, clips: n })));
  const max = Math.max(1, ...cells.map((c) => c.clips));
  return {
    title,
    width: 260,
    height: 260,
    data: { values: cells },
    encoding: {
      x: { field: 'predicted', type: 'ordinal', axis: { labelAngle: 0, orient: 'top' }, title: 'predicted digit' },
      y: { field: 'true', type: 'ordinal', title: 'true digit' },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: {
            field: 'clips',
            type: 'quantitative',
            scale: { range: ['#f7fbff', '#08519c'], domain: [0, max] },
            title: 'clips',
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'clips', type: 'quantitative' },
          color: { condition: { test: `datum.clips > ${max / 2}`, value: 'white' }, value: '#333' },
        },
      },
    ],
    config: { view: { stroke: null }, axis: { grid: false } },
  };
}

const BOX = { w: 330, h: 58, gapX: 24, gapY: 34 };

/**
 * The network as Keras' plot_model(show_shapes=True) draws it: one box per layer with its name, class,
 * input and output shapes, arrows from each layer to the layers it feeds. Layers sit on rows by their
 * depth in the graph (inputs on top); positions are computed here and drawn with unscaled marks.
 */
export function architectureSpec(layers: LayerNode[], title: string): TopLevelSpec {
  const depth = new Map<string, number>();
  for (const l of layers)
    depth.set(l.name, l.inbound.length ? 1 + Math.max(...l.inbound.map((n) => depth.get(n) ?? 0)) : 0);
  const rows = new Map<number, LayerNode[]>();
  for (const l of layers) rows.set(depth.get(l.name)!, [...(rows.get(depth.get(l.name)!) ?? []), l]);
  const widest = Math.max(...[...rows.values()].map((r) => r.length));
  const width = widest * BOX.w + (widest - 1) * BOX.gapX + 2;
  const pos = new Map<string, { x: number; y: number }>();
  for (const [d, row] of rows) {
    const rowWidth = row.length * BOX.w + (row.length - 1) * BOX.gapX;
    row.forEach((l, i) =>
      pos.set(l.name, { x: (width - rowWidth) / 2 + i * (BOX.w + BOX.gapX), y: 1 + d * (BOX.h + BOX.gapY) }),
    );
  }
  const height = rows.size * BOX.h + (rows.size - 1) * BOX.gapY + 2;
  const boxes = layers.map((l) => {
    const p = pos.get(l.name)!;
    return {
      x: p.x,
      x2: p.x + BOX.w,
      y: p.y,
      y2: p.y + BOX.h,
      cx: p.x + BOX.w / 2,
      head: `${l.name}: ${l.className}`,
      shapes: `input: ${l.input}\noutput: ${l.output}`,
    };
  });
  const edges = layers.flatMap((l) =>
    l.inbound.map((src) => {
      const a = pos.get(src)!;
      const b = pos.get(l.name)!;
      return { x: a.x + BOX.w / 2, y: a.y + BOX.h, x2: b.x + BOX.w / 2, y2: b.y - 5 };
    }),
  );
  const px = (field: string) => ({ field, type: 'quantitative' as const, scale: null, axis: null });
  return {
    title,
    width,
    height,
    layer: [
      {
        data: { values: edges },
        mark: { type: 'rule', color: '#555' },
        encoding: { x: px('x'), y: px('y'), x2: { field: 'x2' }, y2: { field: 'y2' } },
      },
      {
        data: { values: edges },
        mark: { type: 'point', shape: 'triangle-down', filled: true, color: '#555', size: 60 },
        encoding: { x: px('x2'), y: px('y2') },
      },
      {
        data: { values: boxes },
        layer: [
          {
            mark: { type: 'rect', fill: '#eef3fa', stroke: '#4c78a8', cornerRadius: 3 },
            encoding: { x: px('x'), x2: { field: 'x2' }, y: px('y'), y2: { field: 'y2' } },
          },
          {
            transform: [{ calculate: 'datum.y + 15', as: 'ty' }],
            mark: { type: 'text', fontWeight: 'bold', fontSize: 12 },
            encoding: { x: px('cx'), y: px('ty'), text: { field: 'head' } },
          },
          {
            transform: [{ calculate: 'datum.y + 33', as: 'ty' }],
            mark: { type: 'text', fontSize: 11, lineBreak: '\n', font: 'monospace' },
            encoding: { x: px('cx'), y: px('ty'), text: { field: 'shapes' } },
          },
        ],
      },
    ],
    config: { view: { stroke: null } },
  } as TopLevelSpec;
}

/** One row of the final comparison: a model's figure, ours or the notebook's. */
export interface ComparisonRow {
  model: string;
  source: 'ours' | 'notebook';
  metric: 'train F1' | 'val F1';
  value: number;
}

/** Train and validation F1 of each model, ours beside the notebook's. */
export function comparisonSpec(rows: ComparisonRow[]): TopLevelSpec {
  return {
    title: 'F1 micro: ours beside the notebook',
    data: { values: rows },
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: ['train F1', 'val F1'] } },
    spec: {
      width: 300,
      height: 220,
      layer: [
        {
          mark: 'bar',
          encoding: {
            x: { field: 'model', type: 'nominal', title: null, axis: { labelAngle: 0 }, sort: null },
            xOffset: { field: 'source', sort: ['ours', 'notebook'] },
            y: { field: 'value', type: 'quantitative', title: 'F1 micro', scale: { domain: [0, 1] } },
            color: {
              field: 'source',
              type: 'nominal',
              sort: ['ours', 'notebook'],
              scale: { range: ['#4c78a8', '#bab0ac'] },
            },
          },
        },
        {
          mark: { type: 'text', dy: -5, fontSize: 10 },
          encoding: {
            x: { field: 'model', type: 'nominal', sort: null },
            xOffset: { field: 'source', sort: ['ours', 'notebook'] },
            y: { field: 'value', type: 'quantitative' },
            text: { field: 'value', type: 'quantitative', format: '.2f' },
          },
        },
      ],
    },
  } as TopLevelSpec;
}
