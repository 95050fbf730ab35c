// Scoring decoded digit strings against references the way speech recognition scores words: a minimum edit
// alignment counts substitutions, deletions and insertions.

/** Edit counts of one hypothesis against its reference. */
export interface EditCounts {
  /** Reference labels. */
  n: number;
  substitutions: number;
  deletions: number;
  insertions: number;
}

/** Minimum-edit alignment counts (Levenshtein; ties prefer substitutions, then deletions). */
export function editCounts(reference: readonly number[], hypothesis: readonly number[]): EditCounts {
  const R = reference.length;
  const H = hypothesis.length;
  // cost[i][j] with the counts that reach it.
  type Cell = { cost: number; s: number; d: number; ins: number };
  let prev: Cell[] = Array.from({ length: H + 1 }, (_, j) => ({ cost: j, s: 0, d: 0, ins: j }));
  for (let i = 1; i <= R; i++) {
    const row: Cell[] = [{ cost: i, s: 0, d: i, ins: 0 }];
    for (let j = 1; j <= H; j++) {
      const same = reference[i - 1] === hypothesis[j - 1];
      const diag = prev[j - 1];
      const up = prev[j];
      const left = row[j - 1];
      const sub = { cost: diag.cost + (same ? 0 : 1), s: diag.s + (same ? 0 : 1), d: diag.d, ins: diag.ins };
      const del = { cost: up.cost + 1, s: up.s, d: up.d + 1, ins: up.ins };
      const ins = { cost: left.cost + 1, s: left.s, d: left.d, ins: left.ins + 1 };
      row.push(sub.cost <= del.cost && sub.cost <= ins.cost ? sub : del.cost <= ins.cost ? del : ins);
    }
    prev = row;
  }
  const last = prev[H];
  return { n: R, substitutions: last.s, deletions: last.d, insertions: last.ins };
}

/** Figures over many decoded strings. */
export interface StringScores {
  strings: number;
  digits: number;
  /** Reference digits found in place: (N - S - D) / N. */
  digitRecall: number;
  /** Word accuracy: (N - S - D - I) / N (can be negative with many insertions). */
  digitAccuracy: number;
  /** Strings decoded exactly. */
  stringAccuracy: number;
  substitutions: number;
  deletions: number;
  insertions: number;
}

/** Scores pairs of (reference, hypothesis) label sequences. */
export function scoreStrings(pairs: readonly { reference: readonly number[]; hypothesis: readonly number[] }[]) {
  let n = 0;
  let s = 0;
  let d = 0;
  let ins = 0;
  let exact = 0;
  for (const p of pairs) {
    const e = editCounts(p.reference, p.hypothesis);
    n += e.n;
    s += e.substitutions;
    d += e.deletions;
    ins += e.insertions;
    if (e.substitutions + e.deletions + e.insertions === 0) exact++;
  }
  const scores: StringScores = {
    strings: pairs.length,
    digits: n,
    digitRecall: n ? (n - s - d) / n : 0,
    digitAccuracy: n ? (n - s - d - ins) / n : 0,
    stringAccuracy: pairs.length ? exact / pairs.length : 0,
    substitutions: s,
    deletions: d,
    insertions: ins,
  };
  return scores;
}
