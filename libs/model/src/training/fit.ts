import { seededShuffle } from '@digits/dataset';

/** One batch of a training epoch, as {@link fit} hands it to its hooks. */
export interface FitBatch {
  /** 1-based epoch. */
  epoch: number;
  /** 0-based index of the batch in its epoch. */
  index: number;
  /** Batches per epoch: ceil(rows / batchSize). */
  batches: number;
  /** The batch's row indices, a slice of the epoch's seeded shuffle of 0..rows-1. */
  rows: number[];
}

/** A finished epoch, as {@link fit} hands it to `onEpochEnd`. */
export interface FitEpoch {
  epoch: number;
  /** Keras' epoch loss: the batch losses weighted by their row counts, over all rows. */
  loss: number;
  /** performance.now() when the epoch began (before its shuffle). */
  startedAt: number;
}

/** Options of {@link fit}. */
export interface FitOptions {
  /** Training rows (the shuffle covers 0..rows-1). */
  rows: number;
  batchSize: number;
  /** First epoch to train: 1, or the one after a checkpoint's. Default 1. */
  firstEpoch?: number;
  /** Last epoch to train. */
  lastEpoch: number;
  /** Seed of an epoch's shuffle (both trainers use seed * 1000 + epoch). */
  shuffleSeed: (epoch: number) => number;
  /** Trains on one batch (one optimizer step); returns the batch's mean loss. */
  trainBatch: (batch: FitBatch) => Promise<number>;
  /** Before an epoch's first batch, after its shuffle. */
  onEpochStart?: (epoch: number, batches: number) => void;
  /** After each batch, with the row-weighted mean loss of the epoch's batches so far. */
  onBatchEnd?: (batch: FitBatch, meanLoss: number) => void;
  /** After each epoch; returning true stops training after this epoch's checkpoint (early stopping). */
  onEpochEnd?: (epoch: FitEpoch) => Promise<boolean | void> | boolean | void;
  /** After onEpochEnd, also on the stopping epoch: save what a resumed training needs. */
  checkpoint?: (epoch: number) => Promise<void>;
}

/** What {@link fit} did: the last epoch trained (firstEpoch - 1 if none) and whether onEpochEnd stopped it. */
export interface FitResult {
  lastEpoch: number;
  stopped: boolean;
}

/**
 * The training loop both trainers share: per epoch a seeded shuffle of the rows, consecutive batches of
 * `batchSize` in that order (the last one shorter), one `trainBatch` step each, then the epoch's hooks.
 * Between batches it yields a macrotask: wasm's data() resolves as a microtask, so without it Ctrl-C (a
 * libuv signal) and I/O would wait for the whole training.
 */
export async function fit(opts: FitOptions): Promise<FitResult> {
  const { rows, batchSize } = opts;
  const batches = Math.ceil(rows / batchSize);
  let lastEpoch = (opts.firstEpoch ?? 1) - 1;
  for (let epoch = lastEpoch + 1; epoch <= opts.lastEpoch; epoch++) {
    const startedAt = performance.now();
    const order = seededShuffle(
      Array.from({ length: rows }, (_, i) => i),
      opts.shuffleSeed(epoch),
    );
    opts.onEpochStart?.(epoch, batches);
    let lossSum = 0;
    let seen = 0;
    for (let index = 0; index < batches; index++) {
      const batch: FitBatch = { epoch, index, batches, rows: order.slice(index * batchSize, (index + 1) * batchSize) };
      const batchLoss = await opts.trainBatch(batch);
      await new Promise((resolve) => setImmediate(resolve));
      lossSum += batchLoss * batch.rows.length;
      seen += batch.rows.length;
      opts.onBatchEnd?.(batch, lossSum / seen);
    }
    lastEpoch = epoch;
    const stop = (await opts.onEpochEnd?.({ epoch, loss: lossSum / rows, startedAt })) === true;
    await opts.checkpoint?.(epoch);
    if (stop) return { lastEpoch, stopped: true };
  }
  return { lastEpoch, stopped: false };
}
