// Streaming embeddings against the per-utterance canvas, for speech-embedding (model 6) fold models:
//   node tools/run-ts.mjs apps/live/bench/streaming-pooling.ts --models <dir of loso-<speaker>/> [--rates 16000,48000]
//     [--conditions clean,30,20] [--clips-per-fold 100]
// canvas: what `digits live` does now: each cut utterance embedded on a canvas of silence (recognizer.classify).
// stream: the whole stream through the same band chain (rate -> 8 kHz -> 16 kHz), embedded once as a stream
// (embedAudio gives exactly what StreamingEmbedder gives, tested in libs/speech-embedding), and each utterance
// pooled around its energy centre from those frames (poolAround), then the head: per-utterance work is pooling
// + head only. Also: how long after the detector's decision the last pooled window is complete (the wait a
// streaming classifier adds).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import Table from 'cli-table3';
import { resample } from '@digits/dsp';
import { EMBEDDING_CUT, loadRecognizer, predictProbs, toModelInputs } from '@digits/model';
import {
  energyCentre,
  FRONT_END_RATE,
  loadSpeechFrontEnd,
  poolAround,
  POOLED_DIM,
  POOLED_WINDOWS,
  windowCentreSample,
  windowEndSample,
  windowsAround,
} from '@digits/speech-embedding';
import { cutUtterance, DEFAULT_CUT_UTTERANCES_CONFIG, resolveCutUtterancesConfig } from '@digits/stream';
import {
  argmax,
  clipsOverlapped,
  parseConditions,
  parseRates,
  quantise16,
  scoringStream,
  soleItems,
  speakerClips,
  speechEnds,
} from './live-scoring';
import { ms, pct, quantile } from './stats';

async function main() {
  const o = new Command('streaming-pooling')
    .requiredOption('--models <dir>', 'folder of loso-<speaker>/ model 6 fold models')
    .option('--rates <list>', 'stream rates', '16000,48000')
    .option('--conditions <list>', 'clean and/or SNRs', 'clean,30,20')
    .option('--clips-per-fold <n>', 'clips per fold', Number, 100)
    .option('--seed <n>', 'seed', Number, 1)
    .parse(process.argv)
    .opts<{ models: string; rates: string; conditions: string; clipsPerFold: number; seed: number }>();
  const frontEnd = await loadSpeechFrontEnd();
  const t = new Table({
    head: ['fold', 'rate', 'condition', 'canvas acc', 'stream acc', 'canvas p50/p95', 'stream p50/p95', 'wait p50/p95'],
    style: { head: [], border: [] },
  });
  const folds = readdirSync(o.models)
    .filter((n) => /^loso-[a-z]+$/.test(n) && statSync(path.join(o.models, n)).isDirectory())
    .sort();
  for (const fold of folds) {
    const recognizer = await loadRecognizer(path.join(o.models, fold), { warmUp: true });
    if (recognizer.info.inputKind !== 'embedding') throw new Error(`${fold} is not a speech-embedding model`);
    const config = resolveCutUtterancesConfig({ ...EMBEDDING_CUT, targetSampleRate: FRONT_END_RATE });
    const files = speakerClips(fold.slice(5), o.clipsPerFold, o.seed);
    for (const rate of parseRates(o.rates)) {
      for (const condition of parseConditions(o.conditions)) {
        const stream = scoringStream(files, rate, condition, o.seed);
        const ends = await speechEnds(stream);
        const utterances = ends.map((e) => cutUtterance(e, config));
        const sole = soleItems(stream.clips, clipsOverlapped(stream.clips, utterances));
        // The stream at 16 kHz through the 8 kHz band, as the utterances are.
        let audio = quantise16(stream.samples);
        if (rate !== DEFAULT_CUT_UTTERANCES_CONFIG.bandSampleRate)
          audio = resample(audio, rate, DEFAULT_CUT_UTTERANCES_CONFIG.bandSampleRate);
        audio = resample(audio, DEFAULT_CUT_UTTERANCES_CONFIG.bandSampleRate, FRONT_END_RATE);
        const frames = new Map((await frontEnd.embedAudio(audio)).map((f) => [f.index, f.vector]));
        let canvasRight = 0;
        let streamRight = 0;
        const canvasMs: number[] = [];
        const streamMs: number[] = [];
        const waitMs: number[] = [];
        for (const [i, clip] of stream.clips.entries()) {
          if (sole[i] < 0) continue;
          const u = utterances[sole[i]];
          const c = await recognizer.classify(u.samples, u.sampleRate);
          canvasMs.push(c.featureMs + c.inferenceMs);
          if (Number(recognizer.labels[argmax(c.probabilities)]) === clip.digit) canvasRight++;
          const t0 = performance.now();
          const centre = (u.startMs * FRONT_END_RATE) / 1000 + energyCentre(u.samples);
          const pooled = poolAround(frames, centre);
          const probs = await predictProbs(
            recognizer.model,
            (s, n) =>
              toModelInputs('embedding', { x: pooled, n: 1, rowSize: POOLED_DIM }, s, n, recognizer.featureConfig),
            1,
          );
          streamMs.push(performance.now() - t0);
          if (Number(recognizer.labels[argmax(probs)]) === clip.digit) streamRight++;
          const last = windowsAround(centre, POOLED_WINDOWS).at(-1)!;
          waitMs.push(Math.max(0, (windowEndSample(last) * 1000) / FRONT_END_RATE - u.endDetectedAtMs));
        }
        void windowCentreSample;
        const n = stream.clips.length;
        const pq = (v: number[]) => `${ms(quantile(v, 0.5))} / ${ms(quantile(v, 0.95))}`;
        t.push([
          fold,
          `${rate / 1000} kHz`,
          condition.name,
          pct(canvasRight / n),
          pct(streamRight / n),
          pq(canvasMs),
          pq(streamMs),
          pq(waitMs),
        ]);
        process.stderr.write(
          `${fold} ${rate} ${condition.name}: canvas ${pct(canvasRight / n)}, stream ${pct(streamRight / n)}\n`,
        );
      }
    }
    recognizer.dispose();
  }
  await frontEnd.release();
  process.stdout.write(
    `Streaming pooling vs the per-utterance canvas (accuracy over all clips; a clip without exactly one utterance counts wrong for both)\n${t.toString()}\n` +
      'canvas/stream p50/p95: per-utterance work in this process (canvas: features + inference; stream: pooling + head);\n' +
      'wait: how long after the detector decides the utterance the stream has its last pooled window (added latency).\n',
  );
}

main().catch((err: Error) => {
  process.stderr.write(`streaming-pooling: ${err.message}\n`);
  process.exitCode = 1;
});
