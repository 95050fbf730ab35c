// Playing a 16 kHz stream into the real `digits live --source stdin --json --exit-at-end --port 0`, at a chosen
// pace, and collecting its prediction and digits lines, its CPU time once ready, and its peak RSS.
import { readFileSync } from 'node:fs';
import type { DigitsMessage, PredictionMessage } from '@digits/protocol';
import { peakRssMb } from './app-rss';
import { parseLiveLines, spawnDigitsLive } from './live-scoring';

/** What one paced run gave. */
export interface PacedRun {
  predictions: PredictionMessage[];
  strings: DigitsMessage[];
  /** CPU seconds (user + system) of the whole process from when it was ready to its end. */
  cpuSeconds: number | undefined;
  audioSeconds: number;
  peakRssMb: number | undefined;
  wallSeconds: number;
}

/** utime + stime of a process in seconds (Linux), or undefined. */
function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** s16le PCM of `samples`. */
function pcm16(samples: Float32Array): Buffer {
  const out = Buffer.alloc(2 * samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round(samples[i] * 32768);
    out.writeInt16LE(v > 32767 ? 32767 : v < -32768 ? -32768 : v, 2 * i);
  }
  return out;
}

/**
 * Plays `samples` (16 kHz) into `digits live` once it is ready, in 20 ms pieces at `speed` times real time
 * (0: all at once), and parses its --json lines. Rejects with its stderr when it fails.
 */
export async function runLivePaced(
  modelDir: string,
  samples: Float32Array,
  opts: { speed: number; extraArgs?: string[] },
): Promise<PacedRun> {
  const t0 = performance.now();
  // Ready: the app prints its source line once the model is loaded and the server listens.
  let ready = false;
  const { child, done } = spawnDigitsLive(modelDir, 16000, opts.extraArgs, (stderr) => {
    if (!ready && /live: source stdin/.test(stderr)) {
      ready = true;
      play();
    }
  });
  let cpuAtReady: number | undefined;
  let cpuLast: number | undefined;
  let peak: number | undefined;
  const poll = setInterval(() => {
    if (child.pid === undefined) return;
    const rss = peakRssMb(child.pid);
    if (rss !== undefined) peak = Math.max(peak ?? 0, rss);
    cpuLast = cpuSecondsOf(child.pid) ?? cpuLast;
  }, 50);
  const audio = pcm16(samples);
  const piece = 2 * 320; // 20 ms
  const play = () => {
    if (child.pid !== undefined) cpuAtReady = cpuSecondsOf(child.pid);
    if (opts.speed <= 0) {
      child.stdin.end(audio);
      return;
    }
    const start = performance.now();
    let sent = 0;
    const tick = () => {
      const due = Math.min(audio.length, Math.floor(((performance.now() - start) * opts.speed) / 20) * piece + piece);
      if (due > sent) {
        child.stdin.write(audio.subarray(sent, due));
        sent = due;
      }
      if (sent >= audio.length) child.stdin.end();
      else setTimeout(tick, 10);
    };
    tick();
  };
  try {
    const { predictions, strings } = parseLiveLines(await done);
    return {
      predictions,
      strings,
      cpuSeconds: cpuLast !== undefined && cpuAtReady !== undefined ? cpuLast - cpuAtReady : undefined,
      audioSeconds: samples.length / 16000,
      peakRssMb: peak,
      wallSeconds: (performance.now() - t0) / 1000,
    };
  } finally {
    clearInterval(poll);
  }
}
