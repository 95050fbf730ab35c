import type { Experiment } from '../experiments';

/** The figures a conclusion compares: validation (= test set) F1 micro, ours and the notebook's. */
export interface ConclusionInput {
  experiment: Experiment;
  valF1: number;
  /** Epochs the model trained. */
  epochs: number;
}

/** Ten balanced classes: guessing gets 0.10. A model within this of chance learned nothing useful. */
const CHANCE = 0.1;
const CHANCE_MARGIN = 0.05;
/** Differences under half a point are reported as a tie. */
const TIE_POINTS = 0.5;

const points = (d: number) => Math.abs(d * 100).toFixed(1);
const f3 = (x: number) => x.toFixed(3);

/** "beats X by N points" / "trails X by N points" / "ties with X", of a difference in F1. */
function compare(diff: number, other: string): string {
  if (Math.abs(diff * 100) < TIE_POINTS) return `ties with ${other} (${diff >= 0 ? '+' : '-'}${points(diff)} points)`;
  return diff > 0 ? `beats ${other} by ${points(diff)} points` : `trails ${other} by ${points(diff)} points`;
}

function agreement(ours: number, theirs: number): string {
  const sign = (d: number) => (Math.abs(d * 100) < TIE_POINTS ? 0 : Math.sign(d));
  const same = sign(ours) === sign(theirs);
  return `the notebook: ${theirs >= 0 ? '+' : '-'}${points(theirs)} points${same ? ', the same direction' : ', a different direction'}`;
}

/**
 * The notebook's conclusions (spectrogram vs raw audio, the effect of augmentation, raw models at
 * chance) stated from this run's numbers. Sentences for missing models are left out and the missing
 * comparison is named instead.
 */
export function conclusions(models: ConclusionInput[], quick: boolean): string[] {
  const byId = new Map(models.map((m) => [m.experiment.id, m]));
  const out: string[] = [];
  const pair = (a: number, b: number, what: string, subject: string, object: string) => {
    const x = byId.get(a);
    const y = byId.get(b);
    if (!x || !y) {
      out.push(`${what}: not compared, model ${!x ? a : b} is missing from this run.`);
      return;
    }
    const diff = x.valF1 - y.valF1;
    const nb = x.experiment.notebook.valF1 - y.experiment.notebook.valF1;
    out.push(
      `${what}: ${subject} (val F1 ${f3(x.valF1)}) ${compare(diff, `${object} (${f3(y.valF1)})`)}; ${agreement(diff, nb)}.`,
    );
  };
  pair(2, 1, 'Spectrogram vs raw audio', 'the spectrogram model', 'the raw-audio model');
  pair(4, 3, 'Spectrogram vs raw audio, with augmentation', 'the spectrogram model', 'the raw-audio model');
  pair(4, 2, 'Augmentation, spectrogram input', 'training on the nine augmentations', 'training without them');
  pair(3, 1, 'Augmentation, raw input', 'training on the nine augmentations', 'training without them');

  const raw = [1, 3].map((id) => byId.get(id)).filter((m): m is ConclusionInput => !!m);
  if (raw.length) {
    const atChance = raw.filter((m) => Math.abs(m.valF1 - CHANCE) <= CHANCE_MARGIN);
    out.push(
      atChance.length === raw.length
        ? `The raw-audio LSTM${raw.length > 1 ? 's stay' : ' stays'} at chance (val F1 ${raw.map((m) => f3(m.valF1)).join(', ')} vs 0.100 for ten digits), as in the notebook: an LSTM(25) over 17,640 raw samples learned nothing in ${Math.max(...raw.map((m) => m.epochs))} epoch${Math.max(...raw.map((m) => m.epochs)) === 1 ? '' : 's'}.`
        : `Raw-audio val F1: ${raw.map((m) => `model ${m.experiment.id} ${f3(m.valF1)}`).join(', ')} (chance is 0.100; the notebook's stayed at chance).`,
    );
  }
  const best = [...models].sort((a, b) => b.valF1 - a.valF1)[0];
  if (best)
    out.push(
      `Best model of this run: #${best.experiment.id} ${best.experiment.title}, val F1 ${f3(best.valF1)} (the notebook's best: #4, 0.9125).`,
    );
  if (quick)
    out.push(
      'This is a --quick run (50 clips, one epoch per model): the figures exercise the pipeline and say nothing about the models.',
    );
  return out;
}
