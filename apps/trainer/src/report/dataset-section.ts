import { PERCENTILES_STEP10, PERCENTILES_TOP, type DurationStatistics } from '@digits/dataset';
import {
  countsByDigitSpec,
  countsBySpeakerSpec,
  durationHistogramSpec,
  logMelSpec,
  spectrumSpec,
  waveformSpec,
} from './dataset-charts';
import type { DatasetData } from './dataset-data';
import type { FigureSet } from './figures';
import { audio, esc, h3, note, p, row, section, table } from './html';

const seconds = (x: number) => x.toFixed(4);

/** The dataset section, or a section that says why the data could not be shown. */
export async function datasetSection(data: DatasetData | { error: string }, figs: FigureSet): Promise<string> {
  if ('error' in data) {
    return section(
      'dataset',
      'Dataset',
      note(
        `The dataset could not be read, so this section is empty: ${data.error}. Pass --data <folder|zip> or set FSDD_DATA.`,
      ),
    );
  }
  const parts: string[] = [];
  parts.push(
    p(
      `${data.train + data.test} clips from ${data.source}: ${data.train} train / ${data.test} test (the run's own stratified split).`,
    ),
  );

  parts.push(h3('Clips per digit and speaker'));
  parts.push(
    row(
      await figs.chart('counts-digit', countsByDigitSpec(data.counts), { main: true }),
      await figs.chart('counts-speaker', countsBySpeakerSpec(data.counts)),
    ),
  );
  parts.push(countsTable(data.counts));

  parts.push(h3('Durations'));
  const pad = data.durations.train.pad.seconds;
  parts.push(
    row(
      await figs.chart('durations-train', durationHistogramSpec(data.durationValues.train, 'train', pad), {
        main: true,
      }),
      await figs.chart('durations-test', durationHistogramSpec(data.durationValues.test, 'test', pad)),
    ),
  );
  parts.push(
    p(
      `Durations in seconds at ${data.durations.train.sampleRate} Hz, as librosa.get_duration measures them; numpy's percentiles (linear interpolation).`,
    ),
  );
  parts.push(
    row(percentileTable(data.durations, PERCENTILES_STEP10), percentileTable(data.durations, PERCENTILES_TOP)),
  );
  const t = data.durations.train;
  parts.push(
    p(
      `The 99th percentile of the training durations is ${seconds(t.percentilesTop[99])} s, so every clip is padded or truncated to ${pad} s ` +
        `(${t.pad.samples} samples); ${t.longerThanPad} of ${t.count} training clips are longer and get truncated (longest: ${t.max.name}, ${seconds(t.max.seconds)} s).`,
    ),
  );

  parts.push(h3('Example recordings'));
  parts.push(
    p(
      "Each with its audio, its waveform (at the feature rate, 22,050 Hz), its spectrum as the notebook plots it (ThinkDSP: |rfft| of the whole peak-normalised recording at the file's own rate) and the log-mel the spectrogram models see.",
    ),
  );
  const cards: string[] = [];
  for (const [i, ex] of data.examples.entries()) {
    const id = `example-${i + 1}`;
    cards.push(
      `<div class="card"><h4>${esc(ex.name)} (digit ${ex.digit}, ${esc(ex.speaker)})</h4>${audio(ex.audio, ex.name)}` +
        row(
          await figs.chart(`${id}-waveform`, waveformSpec(ex.waveform, 'waveform')),
          await figs.chart(`${id}-spectrum`, spectrumSpec(ex.spectrum, `spectrum (${ex.fileRate} Hz file)`), {
            main: i === 0,
          }),
          await figs.chart(`${id}-logmel`, logMelSpec(ex.logMel, 'log-mel (64 x 35)')),
        ) +
        '</div>',
    );
  }
  parts.push(cards.join('\n'));

  parts.push(h3('Two recordings added together'));
  parts.push(
    p(
      `The notebook's wave1 + wave2 with ThinkDSP: ${data.sum.names[0]} + ${data.sum.names[1]}, each peak-normalised, the shorter zero-padded.`,
    ),
  );
  parts.push(
    row(
      `<div>${audio(data.sum.audio, 'sum of two recordings')}${await figs.chart('sum-spectrum', spectrumSpec(data.sum.spectrum, `spectrum of ${data.sum.names.join(' + ')}`))}</div>`,
    ),
  );

  parts.push(h3(`The nine augmentations of ${data.augmentations.name}`));
  parts.push(
    p(
      'pitch_shift(time_stretch(y, rate), sr=22050, n_steps), padded to 0.8 s: what models 3 and 4 train on (the test set is never augmented).',
    ),
  );
  const augCards: string[] = [];
  for (const a of data.augmentations.items) {
    const label = `rate ${a.rate}, n_steps ${a.nSteps > 0 ? '+' : ''}${a.nSteps}`;
    const id = `augmentation-r${String(a.rate).replace('.', '_')}-s${a.nSteps < 0 ? 'm' : ''}${Math.abs(a.nSteps)}`;
    augCards.push(
      `<div class="card"><h4>${esc(label)}</h4>${audio(a.audio, label)}${await figs.chart(id, logMelSpec(a.logMel, label, { w: 5, h: 2.5 }, false))}</div>`,
    );
  }
  parts.push(`<div class="grid3">${augCards.join('\n')}</div>`);
  return section('dataset', 'Dataset', parts.join('\n'));
}

function countsTable(counts: DatasetData['counts']): string {
  const speakers = [...new Set(counts.map((c) => c.speaker))].sort();
  const digits = [...new Set(counts.map((c) => c.digit))].sort((a, b) => a - b);
  const sum = (f: (c: DatasetData['counts'][number]) => boolean) => counts.filter(f).reduce((s, c) => s + c.clips, 0);
  const rows = digits.map((d) => [
    String(d),
    ...speakers.map((s) => sum((c) => c.digit === d && c.speaker === s)),
    sum((c) => c.digit === d),
  ]);
  rows.push(['all', ...speakers.map((s) => sum((c) => c.speaker === s)), sum(() => true)]);
  return table(['digit', ...speakers, 'all'], rows, 'counts');
}

function percentileTable(d: { train: DurationStatistics; test: DurationStatistics }, ps: readonly number[]): string {
  const key = ps === PERCENTILES_TOP ? 'percentilesTop' : 'percentilesStep10';
  return table(
    ['percentile', 'train (s)', 'test (s)'],
    ps.map((q) => [`${q}th`, seconds(d.train[key][q]), seconds(d.test[key][q])]),
    'percentiles',
  );
}
