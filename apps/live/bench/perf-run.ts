// The 60 s figures: a stream of FSDD digits played with --fast through the whole app (WAV source, speech
// pipeline, spectrogram, classifier worker, server with one dashboard client).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PredictionMessage } from '@digits/protocol';
import { startWorkerClassifier } from '../src/classifier/worker-classifier';
import { startLiveApp } from '../src/live-app';
import type { PredictionTimings } from '../src/pipeline/classify-utterances';
import { createWavSource } from '../src/sources/wav-source';
import { buildDigitStream, digitStreamWav, pickRecordings } from '../src/testing/digit-stream';
import { connectClient } from '../src/testing/ws-client';
import { appPeakRssMb } from './app-rss';
import { gatedSource } from './stats';

export interface PerfRun {
  streamSeconds: number;
  digits: number;
  received: PredictionMessage[];
  timings: PredictionTimings[];
  wallMs: number;
  cpuSeconds: number;
  peakRssMb: number;
  /** Peak RSS of `digits live` alone on the same file (a child process), in MB; undefined off Linux. */
  appPeakRssMb: number | undefined;
  modelName: string;
  backend: string;
}

/** Plays ~`seconds` of digits (1.5 s each: clip + 0.9 s gap) at `rate` Hz with --fast and measures it. */
export async function runPerf(modelDir: string, seconds: number, rate: number): Promise<PerfRun> {
  const stream = buildDigitStream(pickRecordings(Math.round(seconds / 1.5), 21), { sampleRate: rate, gapMs: 900 });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-live-'));
  try {
    const wav = path.join(dir, 'stream.wav');
    writeFileSync(wav, digitStreamWav(stream));
    const classifier = await startWorkerClassifier(modelDir, { log: () => undefined });
    const timings: PredictionTimings[] = [];
    const gate = gatedSource(createWavSource({ path: wav, fast: true }));
    const app = await startLiveApp({
      source: gate.source,
      classifier,
      port: 0,
      out: () => undefined,
      log: () => undefined,
      onTimings: (t) => timings.push(t),
    });
    const client = await connectClient(`ws://127.0.0.1:${app.server.port}/ws`);
    // process.cpuUsage covers every thread of the process: main, classifier worker, tfjs.
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    gate.open();
    await app.ended;
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    await app.server.flush(5000);
    const received = client.messages.filter((m): m is PredictionMessage => m.type === 'prediction');
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    client.ws.close();
    await app.stop();
    const appRss = await appPeakRssMb(modelDir, wav);
    return {
      streamSeconds: stream.samples.length / stream.sampleRate,
      digits: stream.clips.length,
      received,
      timings,
      wallMs,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssMb,
      appPeakRssMb: appRss,
      modelName: classifier.info.model.name,
      backend: classifier.info.backend,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
