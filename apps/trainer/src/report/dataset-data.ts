import { existsSync } from 'node:fs';
import {
  clipDuration,
  durationStatistics,
  readDataset,
  resolveDataSource,
  type Clip,
  type DurationStatistics,
} from '@digits/dataset';
import { decodeWav } from '@digits/dsp';
import {
  augmentClipPadded,
  clipLogMel,
  frameCount,
  loadClip,
  NOTEBOOK_AUGMENTATIONS,
  padClip,
  type FeatureConfig,
} from '@digits/features';
import {
  addWaves,
  amplitudeSpectrum,
  logMelRows,
  peakNormalize,
  samplesDataUri,
  waveformEnvelope,
  wavDataUri,
  type EnvelopePoint,
  type SpectrumPoint,
} from './audio-analysis';
import type { NotebookRun } from '../run-files';

/** The two recordings the notebook plays and adds together (ThinkDSP cells). */
export const NOTEBOOK_EXAMPLES = ['0_jackson_0.wav', '1_yweweler_29.wav'] as const;

export type LogMelRow = { mel: number; frame: number; db: number };

/** One recording shown in full: audio, waveform, spectrum and log-mel. */
export interface ExampleRecording {
  name: string;
  digit: number;
  speaker: string;
  /** The original WAV file as a data: URI. */
  audio: string;
  /** At the feature rate (22,050 Hz), before padding. */
  waveform: EnvelopePoint[];
  /** As the notebook plots it: ThinkDSP's spectrum at the file's own rate. */
  spectrum: SpectrumPoint[];
  fileRate: number;
  logMel: LogMelRow[];
}

/** One of the notebook's nine augmentations of a recording. */
export interface AugmentationExample {
  rate: number;
  nSteps: number;
  audio: string;
  logMel: LogMelRow[];
}

/** The dataset part of the report, computed from the run's data and split. */
export interface DatasetData {
  source: string;
  train: number;
  test: number;
  /** Clips of the run (train + test) per digit and speaker. */
  counts: { digit: number; speaker: string; split: 'train' | 'test'; clips: number }[];
  durations: { train: DurationStatistics; test: DurationStatistics };
  /** Durations (s) of every clip of each side, for the histograms. */
  durationValues: { train: number[]; test: number[] };
  examples: ExampleRecording[];
  /** The spectrum of the first two examples added together, and how it sounds. */
  sum: { names: [string, string]; spectrum: SpectrumPoint[]; audio: string; fileRate: number };
  augmentations: { name: string; items: AugmentationExample[] };
  featureConfig: FeatureConfig;
}

/**
 * Reads the run's data (run.json's `data`, or `dataFlag`/FSDD_DATA when given) and computes the
 * notebook's exploration for the run's own split. Throws when the data cannot be found, naming where
 * it looked; the caller turns that into a note in the report.
 */
export async function gatherDatasetData(
  spec: NotebookRun,
  opts: { data?: string; env?: string },
): Promise<DatasetData> {
  // The user's --data first, then where the run read its data, then FSDD_DATA / ./data (never a download).
  const flag = opts.data ?? (spec.data && existsSync(spec.data) ? spec.data : undefined);
  const source = await resolveDataSource({
    flag,
    ...(opts.env !== undefined ? { env: opts.env } : {}),
    download: false,
  });
  const dataset = await readDataset(source);
  const byName = new Map(dataset.clips.map((c) => [c.name, c]));
  const pick = (names: string[], side: string) =>
    names.map((n) => {
      const c = byName.get(n);
      if (!c) throw new Error(`clip ${n} of the run's ${side} split is not in ${source.path}`);
      return c;
    });
  const train = pick(spec.split.train, 'train');
  const test = pick(spec.split.test, 'test');
  const config = spec.featureConfig;

  const counts = new Map<string, { digit: number; speaker: string; split: 'train' | 'test'; clips: number }>();
  for (const [side, clips] of [
    ['train', train],
    ['test', test],
  ] as const) {
    for (const c of clips) {
      const key = `${c.digit}|${c.speaker}|${side}`;
      const row = counts.get(key) ?? { digit: c.digit, speaker: c.speaker, split: side, clips: 0 };
      row.clips++;
      counts.set(key, row);
    }
  }

  const examples = chooseExamples(dataset.clips, train);
  const [a, b] = examples;
  const waveA = peakNormalize(decodeWav(a.bytes, a.name).samples);
  const waveB = peakNormalize(decodeWav(b.bytes, b.name).samples);
  const rateA = decodeWav(a.bytes, a.name).sampleRate;
  const sum = addWaves(waveA, waveB);

  return {
    source: source.path,
    train: train.length,
    test: test.length,
    counts: [...counts.values()].sort(
      (x, y) => x.digit - y.digit || cmp(x.speaker, y.speaker) || cmp(x.split, y.split),
    ),
    durations: { train: durationStatistics(train), test: durationStatistics(test) },
    durationValues: { train: train.map((c) => clipDuration(c)), test: test.map((c) => clipDuration(c)) },
    examples: examples.map((c) => describeExample(c, config)),
    // ThinkDSP normalises the sum again before it writes sound.wav ("normalizing before quantizing").
    sum: {
      names: [a.name, b.name],
      spectrum: amplitudeSpectrum(sum, rateA),
      audio: samplesDataUri(peakNormalize(sum), rateA),
      fileRate: rateA,
    },
    augmentations: { name: a.name, items: augmentations(a, config) },
    featureConfig: config,
  };
}

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/**
 * Three recordings: the notebook's two when the data has them, then training clips of other speakers
 * and digits, so the three show different voices. Deterministic for a given split.
 */
function chooseExamples(all: Clip[], train: Clip[]): Clip[] {
  const chosen: Clip[] = [];
  for (const name of NOTEBOOK_EXAMPLES) {
    const c = all.find((x) => x.name === name);
    if (c) chosen.push(c);
  }
  const fresh = (c: Clip) => !chosen.some((x) => x.name === c.name || x.speaker === c.speaker || x.digit === c.digit);
  for (const c of train) if (chosen.length < 3 && fresh(c)) chosen.push(c);
  for (const c of train) if (chosen.length < 3 && !chosen.includes(c)) chosen.push(c);
  if (chosen.length < 2) throw new Error('the run has fewer than two training clips to show');
  return chosen;
}

function describeExample(clip: Clip, config: FeatureConfig): ExampleRecording {
  const wav = decodeWav(clip.bytes, clip.name);
  const samples = loadClip(clip.bytes, config, clip.name);
  const logMel = clipLogMel(padClip(samples, config), config);
  return {
    name: clip.name,
    digit: clip.digit,
    speaker: clip.speaker,
    audio: wavDataUri(clip.bytes),
    waveform: waveformEnvelope(samples, config.sampleRate),
    spectrum: amplitudeSpectrum(peakNormalize(wav.samples), wav.sampleRate),
    fileRate: wav.sampleRate,
    logMel: logMelRows(logMel, config.nMels, frameCount(config)),
  };
}

function augmentations(clip: Clip, config: FeatureConfig): AugmentationExample[] {
  const samples = loadClip(clip.bytes, config, clip.name);
  const padded = augmentClipPadded(samples, NOTEBOOK_AUGMENTATIONS, config);
  return NOTEBOOK_AUGMENTATIONS.map((aug, k) => ({
    rate: aug.rate,
    nSteps: aug.nSteps,
    audio: samplesDataUri(padded[k], config.sampleRate),
    logMel: logMelRows(clipLogMel(padded[k], config), config.nMels, frameCount(config)),
  }));
}
