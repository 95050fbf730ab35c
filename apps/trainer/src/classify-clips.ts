import { featurizeClips, logMelSize, type FeatureConfig } from '@digits/features';
import { predictProbs, toModelInputs, type LoadedModel } from '@digits/model';
export { argmaxRows } from '@digits/model';
import type { ClipInput } from '@digits/features';

/** What the network sees, as saved with the model by the trainer (checked against its inputs at load). */
export function modelInputKind(loaded: LoadedModel): 'raw' | 'logmel' {
  return loaded.inputKind;
}

/**
 * Featurises clips exactly as the model was trained (its own FeatureConfig) and returns the softmax
 * probabilities, 10 per clip in input order.
 */
export async function classifyClips(
  loaded: LoadedModel,
  clips: readonly ClipInput[],
  opts: { cacheDir: string | null; threads?: number; onProgress?: (done: number, total: number) => void },
): Promise<Float32Array> {
  const config: FeatureConfig = loaded.featureConfig;
  const kind = modelInputKind(loaded);
  const batch = await featurizeClips(clips, {
    config,
    logMels: kind === 'logmel',
    signals: kind === 'raw',
    cacheDir: opts.cacheDir,
    threads: opts.threads,
    onProgress: opts.onProgress,
  });
  const rows = {
    x: kind === 'raw' ? batch.signals! : batch.logMels!,
    y: new Int32Array(clips.length),
    n: clips.length,
    rowSize: kind === 'raw' ? config.length : logMelSize(config),
  };
  return predictProbs(loaded.model, (i, n) => toModelInputs(kind, rows, i, n, config), rows.n, 32);
}
