import type { FigureSet } from './figures';
import { architectureSpec, confusionSpec, learningCurvesSpec, type StopMark } from './model-charts';
import type { ModelStructure } from './model-data';
import type { NotebookEpoch } from '../experiments';
import type { EpochRecord, MetricsFile, ModelEntry } from './run-data';
import { esc, h3, note, p, row, section, table, type Cell } from './html';

const f4 = (x: number) => x.toFixed(4);
const thousands = (n: number) => n.toLocaleString('en-US');

/** One model's section: set-up, architecture, learning curves, confusion matrix and timings. */
export async function modelSection(
  entry: ModelEntry,
  structure: ModelStructure | { error: string } | null,
  figs: FigureSet,
): Promise<string> {
  const e = entry.experiment;
  const parts: string[] = [];
  parts.push(
    p(
      `Input: ${e.input === 'raw' ? 'the padded raw signal (17,640 samples) with its mask' : 'the (64, 35) log-mel spectrogram'}` +
        `${e.augment ? ', trained on the 9 augmentations of every training clip' : ''}. ` +
        `Adam, learning rate ${e.learningRate}, batch ${e.batchSize}, at most ${e.maxEpochs} epochs, ` +
        `early stopping on val_loss (min_delta ${e.earlyStopping.minDelta}, patience ${e.earlyStopping.patience}).`,
    ),
  );

  const m = entry.metrics;
  if (!m && structure === null) {
    parts.push(note(`This model has not finished: ${entry.dir} has no metrics.json and no saved network yet.`));
    return section(e.slug, `#${e.id} ${e.title}`, parts.join('\n'));
  }

  parts.push(h3('Architecture'));
  if (structure === null) parts.push(note(`No saved network in ${entry.dir}/model/: no diagram or summary.`));
  else if ('error' in structure) parts.push(note(`The saved network could not be read: ${structure.error}`));
  else {
    parts.push(
      row(
        await figs.chart(
          `${e.slug}-architecture`,
          architectureSpec(structure.layers, `model ${e.id}: layers and output shapes`),
          { main: true },
        ),
        summaryTable(structure),
      ),
    );
    parts.push(`<details><summary>model.summary()</summary><pre>${esc(structure.summary)}</pre></details>`);
  }

  if (!m) {
    parts.push(
      note(
        `This model has not finished: ${entry.dir}/metrics.json is missing, so there are no curves, confusion matrix or timings.`,
      ),
    );
    return section(e.slug, `#${e.id} ${e.title}`, parts.join('\n'));
  }

  parts.push(h3('Learning curves'));
  const stop = stopMark(m, e.maxEpochs);
  const theirs = e.notebook.history ?? [];
  parts.push(
    await figs.chart(
      `${e.slug}-curves`,
      learningCurvesSpec(m.history, stop, `model ${e.id}: loss and F1 per epoch`, theirs),
      { main: true },
    ),
  );
  parts.push(p(stopSentence(m, e.maxEpochs)));
  if (theirs.length) parts.push(p(notebookSentence(m.history, theirs)));
  const bracket = (x: number | undefined) => (x === undefined ? '' : ` (${f4(x)})`);
  const at = (epoch: number) => theirs.find((t) => t.epoch === epoch);
  parts.push(
    table(
      ['epoch', 'loss', 'val_loss', 'F1', 'val F1', 'seconds'],
      m.history.map((h) => [
        h.epoch,
        f4(h.loss) + bracket(at(h.epoch)?.loss),
        f4(h.val_loss) + bracket(at(h.epoch)?.val_loss),
        f4(h.f1) + bracket(at(h.epoch)?.f1),
        f4(h.val_f1) + bracket(at(h.epoch)?.val_f1),
        h.seconds.toFixed(1),
      ]),
    ),
  );

  parts.push(h3('Test set'));
  parts.push(
    row(
      await figs.chart(
        `${e.slug}-confusion`,
        confusionSpec(m.test.confusion, `model ${e.id}: confusion matrix (${m.test.n} test clips)`),
        { main: true },
      ),
      table(
        ['digit', 'clips', 'precision', 'recall', 'F1'],
        m.test.perDigit.map((d) => [d.digit, d.n, d.precision.toFixed(3), d.recall.toFixed(3), d.f1.toFixed(3)]),
      ),
    ),
  );
  parts.push(p(`Accuracy (= F1 micro) on the ${m.test.n} test clips: ${f4(m.test.accuracy)}.`));

  parts.push(h3('Timings'));
  const t = entry.timings;
  const perEpoch = m.history.length ? m.history.reduce((s, h) => s + h.seconds, 0) / m.history.length : 0;
  parts.push(
    table(
      ['step', 'seconds', 'detail'],
      [
        [
          'features',
          t ? t.featuresSeconds.toFixed(1) : 'n/a',
          t
            ? `${t.clips} clips, ${t.cachedClips} from the cache`
            : 'not recorded (the run has no results.json, or resumed past this model)',
        ],
        ['training + per-epoch evaluation', m.seconds.toFixed(1), `${m.epochs} epoch${m.epochs === 1 ? '' : 's'}`],
        ['one epoch (mean)', perEpoch.toFixed(1), ''],
      ],
    ),
  );
  return section(e.slug, `#${e.id} ${e.title}`, parts.join('\n'));
}

function summaryTable(s: ModelStructure): string {
  const rows: Cell[][] = s.layers.map((l) => [`${l.name} (${l.className})`, l.output, thousands(l.params)]);
  rows.push([{ html: '<b>Total params</b>' }, '', { html: `<b>${thousands(s.totalParams)}</b>` }]);
  return table(['Layer (type)', 'Output shape', 'Param #'], rows);
}

/** The epoch training stopped at, labelled for the curves. */
export function stopMark(m: MetricsFile, maxEpochs: number): StopMark {
  const epoch = m.history.length ? m.history[m.history.length - 1].epoch : m.epochs;
  const label = m.stoppedEarly
    ? `early stop (epoch ${epoch})`
    : epoch >= maxEpochs
      ? `max epochs (${epoch})`
      : `last epoch (${epoch})`;
  return { epoch, label };
}

/**
 * Ours against the notebook's printed epochs: how far apart the F1 curves run over the epochs both
 * trained, and where each stopped - the final figures depend on the stopping epoch as much as on the
 * curves.
 */
export function notebookSentence(ours: EpochRecord[], theirs: readonly NotebookEpoch[]): string {
  const both = ours.flatMap((h) => {
    const t = theirs.find((x) => x.epoch === h.epoch);
    return t ? [{ h, t }] : [];
  });
  if (both.length === 0) return "The notebook's per-epoch figures share no epoch with this run.";
  const mean = (f: (x: (typeof both)[number]) => number) => both.reduce((s, x) => s + f(x), 0) / both.length;
  const dTrain = mean(({ h, t }) => h.f1 - t.f1);
  const dVal = mean(({ h, t }) => h.val_f1 - t.val_f1);
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
  const lastOurs = ours[ours.length - 1];
  const lastTheirs = theirs[theirs.length - 1];
  return (
    `In brackets, the notebook's own figures for the same epoch (as its rendered text printed them). Over the ` +
    `${both.length} epoch${both.length === 1 ? '' : 's'} both ran, our F1 minus the notebook's averaged ${signed(dTrain)} on the ` +
    `training set and ${signed(dVal)} on the validation set. Ours stopped after epoch ${lastOurs.epoch} with val F1 ` +
    `${f4(lastOurs.val_f1)}; the notebook's after epoch ${lastTheirs.epoch} with ${f4(lastTheirs.val_f1)}.`
  );
}

function stopSentence(m: MetricsFile, maxEpochs: number): string {
  const best = m.history.reduce((b, h) => (h.val_loss < b.val_loss ? h : b), m.history[0]);
  const bestText = best
    ? ` The lowest val_loss, ${f4(best.val_loss)}, was at epoch ${best.epoch}; the weights kept are the last epoch's, as in the notebook.`
    : '';
  const how = m.stoppedEarly
    ? `Early stopping ended training after epoch ${m.epochs} of at most ${maxEpochs}: val_loss stopped improving.`
    : `Training ran ${m.epochs} epoch${m.epochs === 1 ? '' : 's'} (no early stop; at most ${maxEpochs}, fewer in a --quick run).`;
  return how + bestText;
}
