import { featurizeClips, logMelSize, type FeatureBatch, type FeatureConfig, type FeaturizeOptions } from '@digits/features';
import { predictProbs, toModelInputs, type LoadedModel } from '@digits/model';
export { argmaxRows } from '@digits/model';
import type { ClipInput } from '@digits/features';

/** Probabilities for the clips that could be featurised; `kept` are their indices in the input. */
export interface Classified {
  probs: Float32Array;
  kept: number[];
  skipped: { name: string; reason: string }[];
}

/**
 * Featurises clips exactly as the model was trained (its own FeatureConfig) and returns the softmax
 * probabilities, 10 per kept clip in input order. A clip that cannot be featurised (e.g. a WAV declaring a
 * 4 GHz rate) is skipped with its reason instead of failing the batch.
 */
export async function classifyClips(
  loaded: LoadedModel,
  clips: readonly ClipInput[],
  opts: { cacheDir: string | null; threads?: number; onProgress?: (done: number, total: number) => void },
): Promise<Classified> {
  const config: FeatureConfig = loaded.featureConfig;
  const kind = loaded.inputKind; // checked against the model's inputs at load
  const fopts: FeaturizeOptions = {
    config, logMels: kind === 'logmel', signals: kind === 'raw', cacheDir: opts.cacheDir, threads: opts.threads, onProgress: opts.onProgress,
  };
  const rowSize = kind === 'raw' ? config.length : logMelSize(config);
  let x: Float32Array;
  let kept = clips.map((_, i) => i);
  const skipped: Classified['skipped'] = [];
  try {
    const batch = await featurizeClips(clips, fopts);
    x = kind === 'raw' ? batch.signals! : batch.logMels!;
  } catch {
    // Only on failure: one clip at a time, to name the bad ones and keep the rest.
    const rows: Float32Array[] = [];
    kept = [];
    for (let i = 0; i < clips.length; i++) {
      try {
        const b: FeatureBatch = await featurizeClips([clips[i]], { ...fopts, onProgress: undefined });
        rows.push(kind === 'raw' ? b.signals! : b.logMels!);
        kept.push(i);
      } catch (err) {
        skipped.push({ name: clips[i].name, reason: (err as Error).message });
      }
    }
    x = new Float32Array(rows.length * rowSize);
    rows.forEach((r, j) => x.set(r, j * rowSize));
  }
  const n = kept.length;
  if (n === 0) return { probs: new Float32Array(0), kept, skipped };
  const probs = await predictProbs(loaded.model, (i, m) => toModelInputs(kind, { x, n, rowSize }, i, m, config), n, 32);
  return { probs, kept, skipped };
}

/** {@link classifyClips} for callers that need every clip (aligned results): a bad clip is an error naming it. */
export async function classifyAllClips(...args: Parameters<typeof classifyClips>): Promise<Float32Array> {
  const r = await classifyClips(...args);
  if (r.skipped.length > 0) throw new Error(r.skipped.map((s) => `${s.name}: ${s.reason}`).join('; '));
  return r.probs;
}
