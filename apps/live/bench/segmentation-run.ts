// The accuracy figures: test-split recordings with 0.5-1 s gaps in ~30 dB SNR noise, streamed with --fast
// to 100 connected dashboards; segmentation and digits compared with the same model's offline answers.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadClip } from '@digits/features';
import type { PredictionMessage } from '@digits/protocol';
import type { Classifier } from '../src/classifier/classifier';
import { startWorkerClassifier } from '../src/classifier/worker-classifier';
import { startLiveApp } from '../src/live-app';
import { createWavSource } from '../src/sources/wav-source';
import { buildDigitStream, digitStreamWav, FSDD_RECORDINGS, type DigitStream } from '../src/testing/digit-stream';
import { connectClient, type RecordingClient } from '../src/testing/ws-client';
import { gatedSource } from './stats';

export interface SegmentationRun {
  clips: number;
  /** Clips that gave exactly one utterance (prediction). */
  exactlyOne: number;
  /** Predictions overlapping no clip. */
  spurious: number;
  /** Clips whose one prediction names their digit (live), and clips the model gets right offline. */
  liveCorrect: number;
  offlineCorrect: number;
  /** Dashboards connected, and how many received every prediction in order. */
  dashboards: number;
  dashboardsComplete: number;
  predictions: number;
}

const argmax = (p: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  return best;
};

/** The model's digit for each clip as the trainer featurises it (librosa.load at the model's rate). */
async function offlineDigits(classifier: Classifier, files: string[]): Promise<number[]> {
  const config = classifier.info.featureConfig;
  const out: number[] = [];
  for (const f of files) {
    const samples = loadClip(readFileSync(path.join(FSDD_RECORDINGS, f)), config, f);
    out.push(argmax((await classifier.classify(samples, config.sampleRate)).probs));
  }
  return out;
}

/** Predictions overlapping each clip (50 ms slack), and those overlapping none. */
function matchClips(
  stream: DigitStream,
  predictions: PredictionMessage[],
): { perClip: PredictionMessage[][]; spurious: number } {
  const used = new Set<PredictionMessage>();
  const perClip = stream.clips.map((c) => {
    const hits = predictions.filter((p) => p.endMs > c.startMs - 50 && p.startMs < c.endMs + 50);
    hits.forEach((p) => used.add(p));
    return hits;
  });
  return { perClip, spurious: predictions.length - used.size };
}

export async function runSegmentation(
  modelDir: string,
  files: string[],
  dashboards: number,
  rate: number,
): Promise<SegmentationRun> {
  const stream = buildDigitStream(files, { sampleRate: rate, gapMs: [500, 1000], snrDb: 30, seed: 3 });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-seg-'));
  try {
    const wav = path.join(dir, 'stream.wav');
    writeFileSync(wav, digitStreamWav(stream));
    const classifier = await startWorkerClassifier(modelDir, { log: () => undefined });
    const offline = await offlineDigits(classifier, files);
    // Threshold 0: every utterance names a digit, as offline accuracy (argmax) does.
    const gate = gatedSource(createWavSource({ path: wav, fast: true }));
    const app = await startLiveApp({
      source: gate.source,
      classifier,
      port: 0,
      threshold: 0,
      out: () => undefined,
      log: () => undefined,
    });
    const url = `ws://127.0.0.1:${app.server.port}/ws`;
    const clients: RecordingClient[] = [];
    for (let i = 0; i < dashboards; i += 10) {
      clients.push(
        ...(await Promise.all(Array.from({ length: Math.min(10, dashboards - i) }, () => connectClient(url)))),
      );
    }
    await Promise.all(clients.map((c) => c.next('hello')));
    gate.open();
    await app.ended;
    await app.server.flush(10000);
    const sent = app.predictions;
    const same = (c: RecordingClient) => {
      const got = c.messages.filter((m): m is PredictionMessage => m.type === 'prediction');
      return (
        got.length === sent.length && got.every((p, i) => p.startMs === sent[i].startMs && p.digit === sent[i].digit)
      );
    };
    // Give slow sockets a moment to drain what the server has flushed.
    for (let i = 0; i < 100 && !clients.every(same); i++) await new Promise((r) => setTimeout(r, 50));
    const dashboardsComplete = clients.filter(same).length;
    for (const c of clients) c.ws.close();
    await app.stop();

    const { perClip, spurious } = matchClips(stream, [...sent]);
    return {
      clips: stream.clips.length,
      exactlyOne: perClip.filter((h) => h.length === 1).length,
      spurious,
      liveCorrect: perClip.filter((h, i) => h.length === 1 && h[0].digit === stream.clips[i].digit).length,
      offlineCorrect: offline.filter((d, i) => d === stream.clips[i].digit).length,
      dashboards,
      dashboardsComplete,
      predictions: sent.length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
