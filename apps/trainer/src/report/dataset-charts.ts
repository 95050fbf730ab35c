// Vega-Lite specs of the dataset section. Data is passed inline; sizes are in CSS pixels.
import type { TopLevelSpec } from 'vega-lite';
import type { EnvelopePoint, SpectrumPoint } from './audio-analysis';
import type { DatasetData, LogMelRow } from './dataset-data';

const DIGIT_AXIS = { title: 'digit', labelAngle: 0 };

/** Clips per digit, stacked by speaker (the run's train and test clips together). */
export function countsByDigitSpec(counts: DatasetData['counts']): TopLevelSpec {
  return {
    title: 'Clips per digit and speaker',
    width: 360,
    height: 200,
    data: { values: counts },
    mark: 'bar',
    encoding: {
      x: { field: 'digit', type: 'ordinal', axis: DIGIT_AXIS },
      y: { aggregate: 'sum', field: 'clips', type: 'quantitative', title: 'clips' },
      color: { field: 'speaker', type: 'nominal', title: 'speaker' },
      order: { field: 'speaker' },
    },
  };
}

/** Clips per speaker, stacked by side of the split. */
export function countsBySpeakerSpec(counts: DatasetData['counts']): TopLevelSpec {
  return {
    title: 'Clips per speaker (train / test)',
    width: 280,
    height: 200,
    data: { values: counts },
    mark: 'bar',
    encoding: {
      x: { field: 'speaker', type: 'nominal', axis: { labelAngle: 0 } },
      y: { aggregate: 'sum', field: 'clips', type: 'quantitative', title: 'clips' },
      color: { field: 'split', type: 'nominal', sort: ['train', 'test'], scale: { range: ['#4c78a8', '#f58518'] } },
      order: { field: 'split', sort: 'descending' },
    },
  };
}

/** The notebook's `plt.hist(duration)` for one side of the split, with the 0.8 s pad length marked. */
export function durationHistogramSpec(durations: number[], side: string, padSeconds: number): TopLevelSpec {
  return {
    title: `Histogram of durations of ${side} audios`,
    width: 340,
    height: 200,
    layer: [
      {
        data: { values: durations.map((d) => ({ duration: d })) },
        mark: 'bar',
        encoding: {
          x: { field: 'duration', type: 'quantitative', bin: { maxbins: 30 }, title: 'duration (s)' },
          y: { aggregate: 'count', type: 'quantitative', title: 'clips' },
        },
      },
      {
        data: { values: [{ pad: padSeconds, label: `pad length ${padSeconds} s` }] },
        layer: [
          {
            mark: { type: 'rule', color: '#e45756', strokeDash: [4, 3] },
            encoding: { x: { field: 'pad', type: 'quantitative' } },
          },
          {
            mark: { type: 'text', color: '#e45756', align: 'left', dx: 4, baseline: 'top', y: 4 },
            encoding: { x: { field: 'pad', type: 'quantitative' }, text: { field: 'label' } },
          },
        ],
      },
    ],
  };
}

/** A recording's waveform at the feature rate, as a min/max envelope. */
export function waveformSpec(points: EnvelopePoint[], title: string): TopLevelSpec {
  return {
    title,
    width: 300,
    height: 140,
    data: { values: points },
    mark: { type: 'area', color: '#4c78a8', opacity: 0.9 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'time (s)' },
      y: { field: 'min', type: 'quantitative', title: 'amplitude' },
      y2: { field: 'max' },
    },
  };
}

/** ThinkDSP's `spectrum.plot()`: amplitude against frequency, linear axes. */
export function spectrumSpec(points: SpectrumPoint[], title: string): TopLevelSpec {
  return {
    title,
    width: 300,
    height: 140,
    data: { values: points },
    mark: { type: 'line', strokeWidth: 1, color: '#4c78a8' },
    encoding: {
      x: { field: 'hz', type: 'quantitative', title: 'frequency (Hz)' },
      y: { field: 'amp', type: 'quantitative', title: 'amplitude' },
    },
  };
}

/**
 * A (64 mel x 35 frame) log-mel as an image: one rect per cell, low bands at the bottom as
 * librosa.display.specshow draws it. `cell` is the size of one cell in pixels.
 */
export function logMelSpec(
  rows: LogMelRow[],
  title: string,
  cell: { w: number; h: number } = { w: 6, h: 3 },
  legend = true,
): TopLevelSpec {
  const frames = rows.reduce((m, r) => Math.max(m, r.frame), 0) + 1;
  const mels = rows.reduce((m, r) => Math.max(m, r.mel), 0) + 1;
  const every = (n: number, step: number) => Array.from({ length: Math.ceil(n / step) }, (_, i) => i * step);
  return {
    title: { text: title, fontSize: 12 },
    width: frames * cell.w,
    height: mels * cell.h,
    data: { values: rows },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'frame', type: 'ordinal', title: 'frame', axis: { values: every(frames, 10), labelAngle: 0 } },
      y: { field: 'mel', type: 'ordinal', sort: 'descending', title: 'mel band', axis: { values: every(mels, 16) } },
      color: {
        field: 'db',
        type: 'quantitative',
        title: 'dB',
        scale: { scheme: 'magma', domain: [-80, 0] },
        legend: legend ? { gradientLength: mels * cell.h - 20 } : null,
      },
    },
    config: { view: { stroke: null }, axis: { grid: false } },
  };
}
