import { readDataset, resolveDataSource, type Clip, type Dataset } from '@digits/dataset';
import { defaultCacheDir } from '@digits/features';

/** What train5, train6 and eval-protocol read before training: the dataset, extra voices, the cache folder. */
export interface TrainingInputs {
  dataset: Dataset;
  /** --extra-train's clips (any speaker names), undefined without the option. */
  extraTrain: Clip[] | undefined;
  /** The feature cache folder, null with --no-cache. */
  cacheDir: string | null;
}

/** Reads --data (refusing a source with no FSDD clip), --extra-train and the cache options, as every training command takes them. */
export async function readTrainingInputs(opts: {
  data?: string;
  extraTrain?: string;
  cache: boolean;
  cacheDir?: string;
}): Promise<TrainingInputs> {
  const dataset = await readDataset(await resolveDataSource({ flag: opts.data }));
  if (dataset.clips.length === 0) throw new Error(`${dataset.source}: no FSDD clips`);
  const extraTrain = opts.extraTrain
    ? (await readDataset(await resolveDataSource({ flag: opts.extraTrain }), { speakers: 'all' })).clips
    : undefined;
  const cacheDir = opts.cache ? (opts.cacheDir ?? defaultCacheDir()) : null;
  return { dataset, extraTrain, cacheDir };
}
