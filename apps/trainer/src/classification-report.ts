import type { ClassificationReport } from './run-files';

export type { ClassificationReport } from './run-files';

/** Accuracy, F1 micro, per-digit precision/recall/F1 and the confusion matrix of a classification. */
export function classificationReport(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  classes = 10,
): ClassificationReport {
  if (yTrue.length !== yPred.length)
    throw new Error(`classificationReport: ${yTrue.length} labels but ${yPred.length} predictions`);
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) {
    confusion[yTrue[i]][yPred[i]]++;
    if (yTrue[i] === yPred[i]) correct++;
  }
  const n = yTrue.length;
  const perDigit = confusion.map((row, d) => {
    const tp = row[d];
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, r) => a + r[d], 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { digit: d, n: support, precision, recall, f1 };
  });
  const accuracy = n ? correct / n : 0;
  return { accuracy, f1Micro: accuracy, perDigit, confusion, n };
}
