import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { availableThreads, spawnTsWorker } from '@digits/threads';
import { FeatureCache } from './feature-cache';
import { computeClipFeatures, type ClipJob, type ClipJobResult } from './clip-job';
import { featureConfigKey, logMelSize, type Augmentation, type FeatureConfig } from './feature-config';

/** A clip to featurise: its name (for errors) and its WAV file's bytes. */
export interface ClipInput {
  name: string;
  bytes: Uint8Array;
}

export interface FeaturizeOptions {
  config: FeatureConfig;
  /** Augmentations to apply per clip (in order); empty or absent: the clip itself only. */
  augmentations?: readonly Augmentation[];
  /** Compute the (nMels, frames) log-mels. Default true. */
  logMels?: boolean;
  /** Keep the padded signals (config.length samples each), for the raw-audio models. Default false. */
  signals?: boolean;
  /** Worker threads; default one per core. 0 computes in this thread. */
  threads?: number;
  /** Cache folder; null disables the cache. */
  cacheDir?: string | null;
  /** Called after every finished clip (cache hits and failures included). */
  onProgress?: (done: number, total: number, cached: number) => void;
  /**
   * true: a clip that cannot be featurised is left out and listed in `skipped` (its reason kept), the
   * others are returned. false (the default): any such clip fails the call, with an error naming every
   * failed clip and its reason (for callers that need one row per input clip).
   */
  skipFailures?: boolean;
}

/** A clip featurizeClips could not featurise. */
export interface SkippedClip {
  /** Its index in the input. */
  index: number;
  /** Its name (ClipInput.name). */
  name: string;
  /** Why, e.g. dsp's decoder message. */
  reason: string;
}

export interface FeatureBatch {
  config: FeatureConfig;
  /** Outputs per clip: 1, or the number of augmentations. Row r = kept clip floor(r/variants). */
  variants: number;
  /** (kept*variants) x (nMels*frames), row-major, when asked for. */
  logMels?: Float32Array;
  /** (kept*variants) x config.length, when asked for. */
  signals?: Float32Array;
  /** Loaded (resampled, unpadded) length of each kept clip, in samples at config.sampleRate. */
  loadedLengths: Int32Array;
  /** Input indices of the clips whose rows are here, in input order (all of them unless some were skipped). */
  kept: number[];
  /** Clips that could not be featurised (only with skipFailures; otherwise the call fails). */
  skipped: SkippedClip[];
  /** Clips served from the cache. */
  cached: number;
}

/**
 * Featurises many clips on all cores: decode, resample, (augment), pad, log-mel. Results come back in
 * input order. Each clip's result is cached on disk (see FeatureCache), so a second run reads instead
 * of computing. A clip that cannot be featurised (e.g. a WAV declaring a 4 GHz rate) is, with
 * `skipFailures`, left out and reported in `skipped` with its reason while the other clips are kept;
 * without it the call fails naming every such clip. Either way each clip is featurised once.
 */
export async function featurizeClips(clips: readonly ClipInput[], opts: FeaturizeOptions): Promise<FeatureBatch> {
  const { config } = opts;
  const augmentations = opts.augmentations ?? [];
  const variants = Math.max(1, augmentations.length);
  const wantLogMels = opts.logMels ?? true;
  const wantSignals = opts.signals ?? false;
  const melSize = logMelSize(config);
  const batch: FeatureBatch = {
    config,
    variants,
    logMels: wantLogMels ? new Float32Array(clips.length * variants * melSize) : undefined,
    signals: wantSignals ? new Float32Array(clips.length * variants * config.length) : undefined,
    loadedLengths: new Int32Array(clips.length),
    kept: [],
    skipped: [],
    cached: 0,
  };

  const cache = opts.cacheDir ? new FeatureCache(opts.cacheDir) : undefined;
  const augKey = JSON.stringify(augmentations);
  const keyOf = (clip: ClipInput, kind: string) =>
    FeatureCache.key([CACHE_VERSION, featureConfigKey(config), kind, augKey], clip.bytes);
  // Cache entries: [loadedLength, ...values]; the length rides along so a hit needs no decoding.
  const entries = [
    { kind: 'logmel', want: wantLogMels, size: variants * melSize, target: batch.logMels },
    { kind: 'signal', want: wantSignals, size: variants * config.length, target: batch.signals },
  ].filter((e) => e.want);

  let done = 0;
  const store = (i: number, r: ClipJobResult, fromCache: boolean) => {
    batch.loadedLengths[i] = r.loadedLength;
    if (r.logMels) batch.logMels!.set(r.logMels, i * variants * melSize);
    if (r.signals) batch.signals!.set(r.signals, i * variants * config.length);
    if (cache && !fromCache) {
      for (const e of entries) {
        const data = e.kind === 'logmel' ? r.logMels! : r.signals!;
        const rec = new Float32Array(1 + data.length);
        rec[0] = r.loadedLength;
        rec.set(data, 1);
        cache.put(keyOf(clips[i], e.kind), rec);
      }
    }
    done++;
    opts.onProgress?.(done, clips.length, batch.cached);
  };
  const failed: SkippedClip[] = [];
  const fail = (i: number, reason: string) => {
    failed.push({ index: i, name: clips[i].name, reason });
    done++;
    opts.onProgress?.(done, clips.length, batch.cached);
  };

  const misses: number[] = [];
  clips.forEach((clip, i) => {
    if (!cache || entries.length === 0) return misses.push(i);
    const hits = entries.map((e) => cache.get(keyOf(clip, e.kind), 1 + e.size));
    if (hits.some((h) => !h)) return misses.push(i);
    batch.cached++;
    store(
      i,
      {
        loadedLength: hits[0]![0],
        logMels: wantLogMels ? hits[entries.findIndex((e) => e.kind === 'logmel')]!.subarray(1) : undefined,
        signals: wantSignals ? hits[entries.findIndex((e) => e.kind === 'signal')]!.subarray(1) : undefined,
      },
      true,
    );
  });

  const job = (i: number): ClipJob => ({
    id: i,
    name: clips[i].name,
    bytes: clips[i].bytes,
    config,
    augmentations,
    wantLogMels,
    wantSignals,
  });
  const threads = Math.min(opts.threads ?? availableThreads(), misses.length);
  if (threads <= 0) {
    for (const i of misses) {
      let r: ClipJobResult;
      try {
        r = computeClipFeatures(job(i));
      } catch (err) {
        fail(i, err instanceof Error ? err.message : String(err));
        continue;
      }
      store(i, r, false);
    }
  } else {
    await runOnWorkers(misses, threads, job, (i, r) => store(i, r, false), fail);
  }
  failed.sort((a, b) => a.index - b.index);
  if (failed.length > 0 && !opts.skipFailures) {
    throw new Error(
      `${failed.length} of ${clips.length} clips could not be featurised: ${failed.map((f) => `${f.name}: ${f.reason}`).join('; ')}`,
    );
  }
  return failed.length === 0
    ? { ...batch, kept: clips.map((_, i) => i) }
    : compact(batch, clips.length, failed, melSize);
}

/** The batch without the rows of the failed clips (which were never written). */
function compact(batch: FeatureBatch, total: number, failed: SkippedClip[], melSize: number): FeatureBatch {
  const bad = new Set(failed.map((f) => f.index));
  const kept = Array.from({ length: total }, (_, i) => i).filter((i) => !bad.has(i));
  const pick = (src: Float32Array | undefined, size: number) => {
    if (!src) return undefined;
    const out = new Float32Array(kept.length * size);
    kept.forEach((i, k) => out.set(src.subarray(i * size, (i + 1) * size), k * size));
    return out;
  };
  return {
    ...batch,
    logMels: pick(batch.logMels, batch.variants * melSize),
    signals: pick(batch.signals, batch.variants * batch.config.length),
    loadedLengths: Int32Array.from(kept, (i) => batch.loadedLengths[i]),
    kept,
    skipped: failed,
  };
}

/** Bump when the computation changes in a way the config does not capture. */
const CACHE_VERSION = 'v1';

const WORKER_FILE = path.join(__dirname, 'featurize-worker.ts');

/** Feeds jobs to a small pool of workers, two in flight each so no worker idles between messages. */
async function runOnWorkers(
  ids: number[],
  threads: number,
  job: (i: number) => ClipJob,
  onResult: (i: number, r: ClipJobResult) => void,
  onFailure: (i: number, reason: string) => void,
): Promise<void> {
  const workers: Worker[] = Array.from({ length: threads }, () => spawnTsWorker(WORKER_FILE));
  let next = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let pending = ids.length;
      if (pending === 0) return resolve();
      const feed = (w: Worker) => {
        if (next < ids.length) w.postMessage(job(ids[next++]));
      };
      for (const w of workers) {
        w.on('message', (m: ClipJobResult & { id: number; error?: string }) => {
          // A clip that fails is reported and the worker goes on with the next one.
          if (m.error !== undefined) onFailure(m.id, m.error);
          else onResult(m.id, m);
          if (--pending === 0) return resolve();
          feed(w);
        });
        w.on('error', reject);
        w.on('exit', (code) => {
          if (pending > 0) reject(new Error(`featurisation worker exited with code ${code}`));
        });
        feed(w);
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
