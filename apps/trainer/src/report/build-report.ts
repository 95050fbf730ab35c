import { mkdirSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { initBackend } from '@digits/model';
import { datasetSection } from './dataset-section';
import { gatherDatasetData, type DatasetData } from './dataset-data';
import { FigureSet } from './figures';
import { keyValueTable, note, page } from './html';
import { readModelStructure, type ModelStructure } from './model-data';
import { modelSection } from './model-section';
import { protocolsSection } from './protocols-section';
import { resultsSection } from './results-section';
import { readRunData } from './run-data';
import { svgToPng } from './render-svg';

/** Options of {@link buildReport}. */
export interface BuildReportOptions {
  /** FSDD folder or zip; default run.json's `data`, then FSDD_DATA, then ./data/. */
  data?: string;
  /** FSDD_DATA value to fall back on; default process.env.FSDD_DATA. */
  env?: string;
  /** Progress lines; default none. */
  log?: (line: string) => void;
  /** Write PNG copies of the main figures to <run>/figures/. Default true. */
  png?: boolean;
  /** PNG pixels per SVG pixel. Default 2. */
  pngScale?: number;
}

/** What {@link buildReport} wrote. */
export interface BuildReportResult {
  /** Absolute path of report.html. */
  file: string;
  /** Wall-clock seconds the build took. */
  seconds: number;
  /** Absolute paths of the PNG copies. */
  figures: string[];
  /** Charts in the page. */
  charts: number;
}

/**
 * Builds `<runDir>/report.html` from a run folder written by `digits train`: the notebook's dataset
 * exploration for the run's split, one section per model and the final comparison, all charts inline
 * SVG and all audio data: URIs, so the page opens from disk with no network. The main figures are also
 * written as PNGs to `<runDir>/figures/`. Files are replaced atomically. The output depends only on the
 * run folder and the data (no build time, no random ids), so rebuilding gives the same bytes.
 * @throws an error naming the folder or file when run.json is missing or a run file is malformed
 */
export async function buildReport(runDir: string, opts: BuildReportOptions = {}): Promise<BuildReportResult> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const run = readRunData(runDir);

  let dataset: DatasetData | { error: string };
  try {
    dataset = await gatherDatasetData(run.spec, { data: opts.data, env: opts.env });
  } catch (err) {
    dataset = { error: (err as Error).message };
    log(`report: dataset section left empty: ${dataset.error}`);
  }

  const structures = new Map<string, ModelStructure | { error: string } | null>();
  for (const m of run.models) {
    if (!m.modelDir) {
      structures.set(m.experiment.slug, null);
      continue;
    }
    // Only the layer structure is read: the cpu backend starts fastest, and its choice is not news.
    await initBackend({ prefer: 'cpu', log: () => undefined });
    try {
      structures.set(m.experiment.slug, await readModelStructure(m.modelDir));
    } catch (err) {
      structures.set(m.experiment.slug, { error: (err as Error).message });
    }
  }

  const figs = new FigureSet();
  const sections = [await datasetSection(dataset, figs)];
  for (const m of run.models) sections.push(await modelSection(m, structures.get(m.experiment.slug) ?? null, figs));
  sections.push(await resultsSection(run, figs));
  sections.push(await protocolsSection(run, figs));

  const html = page(
    `Spoken digits: training report of run ${run.id}`,
    header(run),
    [
      { id: 'dataset', label: 'Dataset' },
      ...run.models.map((m) => ({ id: m.experiment.slug, label: `#${m.experiment.id} ${m.experiment.title}` })),
      { id: 'results', label: 'Results' },
      { id: 'protocols', label: 'Evaluation protocols' },
    ],
    sections,
  );
  const file = path.join(run.dir, 'report.html');
  await writeFileAtomic(file, html);

  const figures: string[] = [];
  if (opts.png !== false) {
    const dir = path.join(run.dir, 'figures');
    mkdirSync(dir, { recursive: true });
    for (const f of figs.main) {
      const png = path.join(dir, `${f.id}.png`);
      await writeFileAtomic(png, Buffer.from(await svgToPng(f.svg, opts.pngScale ?? 2)));
      figures.push(png);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  log(`report: ${file} (${figs.count} charts, ${figures.length} PNG figures) in ${seconds.toFixed(1)} s`);
  return { file, seconds, figures, charts: figs.count };
}

function header(run: ReturnType<typeof readRunData>): string {
  const s = run.spec;
  const rows: [string, string][] = [
    ['run', run.dir],
    ['started', s.startedAt ?? 'unknown'],
    ['experiments', s.experiments.join(', ')],
    ['seed', String(s.seed)],
    ['mode', s.quick ? '--quick (a 50-clip subset, one epoch per model)' : 'full'],
    ['split', `${s.split.train.length} train / ${s.split.test.length} test`],
    ['backend', run.results?.backend ?? s.backend ?? 'unknown'],
    [
      'features',
      `${s.featureConfig.sampleRate} Hz, ${s.featureConfig.length} samples, n_fft ${s.featureConfig.nFft}, hop ${s.featureConfig.hopLength}, ${s.featureConfig.nMels} mels, top_db ${s.featureConfig.topDb}`,
    ],
  ];
  const missing = run.missing.length
    ? note(`This run is incomplete; missing: ${run.missing.join('; ')}. The report shows what exists.`)
    : '';
  return keyValueTable(rows) + missing;
}
