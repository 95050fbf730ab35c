/** How one of the notebook's experiments is set up (../shared/notes/experiments.md). */
export interface Experiment {
  /** 1-4. */
  id: number;
  /** Folder name inside a run, e.g. `model2-spectrogram`. */
  slug: string;
  /** The notebook's name for it. */
  title: string;
  /** What the network sees: the padded raw signal with its mask, or the (64, 35) log-mel. */
  input: 'raw' | 'logmel';
  /** Train on the 9 notebook augmentations of every training clip (the test set never is). */
  augment: boolean;
  /** Adam learning rate. */
  learningRate: number;
  batchSize: number;
  maxEpochs: number;
  /** Keras EarlyStopping on val_loss. */
  earlyStopping: { minDelta: number; patience: number };
  /** The notebook's reported figures, printed beside ours. */
  notebook: {
    trainLoss: number;
    valLoss: number;
    trainF1: number;
    valF1: number;
    epochs: number | null;
    /** Its per-epoch output, where the rendered notebook kept it. */
    history?: readonly NotebookEpoch[];
  };
}

/**
 * One epoch as the notebook printed it: its F1 callback's line, and Keras's loss line where the
 * rendered text kept it (../shared/seed lost some lines; missing values are left out, not guessed).
 */
export interface NotebookEpoch {
  epoch: number;
  f1: number;
  val_f1: number;
  loss?: number;
  val_loss?: number;
}

export const EXPERIMENTS: readonly Experiment[] = [
  {
    id: 1,
    slug: 'model1-raw',
    title: 'Raw data',
    input: 'raw',
    augment: false,
    learningRate: 1e-3,
    batchSize: 8,
    maxEpochs: 5,
    earlyStopping: { minDelta: 0.1, patience: 1 },
    notebook: { trainLoss: 2.3038, valLoss: 2.3026, trainF1: 0.1, valF1: 0.1033, epochs: null },
  },
  {
    id: 2,
    slug: 'model2-spectrogram',
    title: 'Spectrogram',
    input: 'logmel',
    augment: false,
    learningRate: 5e-4,
    batchSize: 16,
    maxEpochs: 15,
    earlyStopping: { minDelta: 0.05, patience: 2 },
    notebook: {
      trainLoss: 0.5249,
      valLoss: 0.4618,
      trainF1: 0.8771,
      valF1: 0.87,
      epochs: 13,
      history: [
        { epoch: 1, f1: 0.3771, val_f1: 0.3917 },
        { epoch: 2, f1: 0.5214, val_f1: 0.5683, loss: 1.6701, val_loss: 1.4301 },
        { epoch: 3, f1: 0.6336, val_f1: 0.6517, loss: 1.3372, val_loss: 1.1689 },
        { epoch: 4, f1: 0.6407, val_f1: 0.6633, loss: 1.162, val_loss: 1.0678 },
        { epoch: 5, f1: 0.6936, val_f1: 0.7067, loss: 1.0085, val_loss: 0.928 },
        { epoch: 6, f1: 0.7371, val_f1: 0.7667, loss: 0.9082, val_loss: 0.8115 },
        { epoch: 7, f1: 0.7771, val_f1: 0.7617, loss: 0.8222, val_loss: 0.7255 },
        { epoch: 8, f1: 0.81, val_f1: 0.805 },
        { epoch: 9, f1: 0.7521, val_f1: 0.75, loss: 0.667, val_loss: 0.7157 },
        { epoch: 10, f1: 0.8071, val_f1: 0.8333, loss: 0.6256, val_loss: 0.582 },
        { epoch: 11, f1: 0.855, val_f1: 0.8583, loss: 0.5784, val_loss: 0.496 },
        { epoch: 12, f1: 0.865, val_f1: 0.86, loss: 0.5392, val_loss: 0.4773 },
        { epoch: 13, f1: 0.8771, val_f1: 0.87, loss: 0.5249, val_loss: 0.4618 },
      ],
    },
  },
  {
    id: 3,
    slug: 'model3-raw-augmented',
    title: 'Raw data with augmentation',
    input: 'raw',
    augment: true,
    learningRate: 1e-3,
    batchSize: 8,
    maxEpochs: 5,
    earlyStopping: { minDelta: 0.1, patience: 1 },
    notebook: { trainLoss: 2.3027, valLoss: 2.3027, trainF1: 0.1056, valF1: 0.1275, epochs: null },
  },
  {
    id: 4,
    slug: 'model4-spectrogram-augmented',
    title: 'Spectrogram with augmentation',
    input: 'logmel',
    augment: true,
    learningRate: 5e-4,
    batchSize: 64,
    maxEpochs: 15,
    earlyStopping: { minDelta: 0.005, patience: 1 },
    notebook: {
      trainLoss: 0.3069,
      valLoss: 0.2648,
      trainF1: 0.9131,
      valF1: 0.9125,
      epochs: 7,
      history: [
        { epoch: 1, f1: 0.693, val_f1: 0.6825, loss: 1.6082, val_loss: 0.936 },
        { epoch: 2, f1: 0.7963, val_f1: 0.81 },
        { epoch: 3, f1: 0.8437, val_f1: 0.8675 },
        { epoch: 4, f1: 0.8611, val_f1: 0.84 },
        { epoch: 5, f1: 0.8711, val_f1: 0.84, loss: 0.3904, val_loss: 0.3966 },
        { epoch: 6, f1: 0.9065, val_f1: 0.9075 },
        { epoch: 7, f1: 0.9131, val_f1: 0.9125, loss: 0.3069, val_loss: 0.2648 },
      ],
    },
  },
];

/** Parses `--experiment 1|2|3|4|all` (also lists such as `2,4`) into experiments, in order. */
export function selectExperiments(spec: string): Experiment[] {
  const s = spec.trim().toLowerCase();
  if (s === 'all') return [...EXPERIMENTS];
  const ids = s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (ids.length === 0)
    throw new Error(`--experiment: expected 1, 2, 3, 4, a list such as 2,4, or "all"; got "${spec}"`);
  const out: Experiment[] = [];
  for (const id of ids) {
    const e = EXPERIMENTS.find((x) => String(x.id) === id || x.slug === id);
    if (!e) throw new Error(`--experiment: unknown experiment "${id}"; expected 1, 2, 3, 4 or "all"`);
    if (!out.includes(e)) out.push(e);
  }
  return out; // in the order given: e.g. 2,4,1,3 trains the quick spectrogram models first
}

/** Model 5's folder in a run (and its `digits train5` name). */
export const MODEL5_SLUG = 'model5';
export const MODEL5_TITLE = 'Model 5: convolutions over time frames, speaker-robust';
/** Run slug and title of the speech-embedding model (experiment 6). */
export const MODEL6_SLUG = 'model6';
export const MODEL6_TITLE = 'Model 6: a pretrained speech embedding with a softmax head, for new voices';
