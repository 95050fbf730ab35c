/**
 * F1 micro over single-label classes, as sklearn's `f1_score(average='micro')`: with one label per
 * sample, micro precision = micro recall = accuracy, so F1 micro is the fraction predicted right.
 */
export function f1Micro(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  if (yTrue.length !== yPred.length) throw new Error(`f1Micro: ${yTrue.length} labels but ${yPred.length} predictions`);
  if (yTrue.length === 0) return NaN;
  let right = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) right++;
  return right / yTrue.length;
}

/** Index of the largest of each row's `classes` values. */
export function argmaxRows(probs: ArrayLike<number>, classes = 10): Int32Array {
  const out = new Int32Array(probs.length / classes);
  for (let r = 0; r < out.length; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[r * classes + c] > probs[r * classes + best]) best = c;
    out[r] = best;
  }
  return out;
}
