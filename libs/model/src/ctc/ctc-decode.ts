// Decoding a CTC model's frame probabilities into labels: greedy (best class per frame, repeats collapsed,
// blanks dropped), batch or incremental as frames arrive, and a prefix beam search.

/** One decoded label and where it is in the frames. */
export interface CtcEmission {
  label: number;
  /** First frame of the label's run of best-class frames (the frame that decided it). */
  frame: number;
  /** The label's probability at that frame. */
  prob: number;
}

/** Checks a T x C probability matrix and returns T. */
function frameCountOf(probs: ArrayLike<number>, classes: number, blank: number): number {
  if (!Number.isInteger(classes) || classes < 2) throw new Error(`ctc decode: classes must be >= 2, got ${classes}`);
  if (!Number.isInteger(blank) || blank < 0 || blank >= classes)
    throw new Error(`ctc decode: blank ${blank} is not a class index in [0, ${classes})`);
  if (probs.length % classes !== 0)
    throw new Error(`ctc decode: ${probs.length} numbers are not whole frames of ${classes} classes`);
  return probs.length / classes;
}

function argmax(probs: ArrayLike<number>, offset: number, classes: number): number {
  let best = 0;
  for (let c = 1; c < classes; c++) if (probs[offset + c] > probs[offset + best]) best = c;
  return best;
}

/**
 * Greedy (best path) decoding of T x C probabilities (or log-probabilities: only the order matters): the best
 * class of each frame, runs of one class collapsed to one, blanks dropped. "1 1" needs a blank frame between.
 */
export function greedyDecode(probs: ArrayLike<number>, classes: number, blank = 0): CtcEmission[] {
  const d = new IncrementalCtcDecoder(classes, blank);
  return d.push(probs);
}

/**
 * Greedy decoding as frames arrive. A label is certain as soon as the first frame of its run is seen: whatever
 * follows, the best path's collapse keeps it. So each `push` returns the labels its frames started, and the
 * concatenation over any split of the frames is exactly {@link greedyDecode} of all of them.
 */
export class IncrementalCtcDecoder {
  private previous: number;
  private frames = 0;

  constructor(
    readonly classes: number,
    readonly blank = 0,
  ) {
    frameCountOf([], classes, blank);
    this.previous = blank;
  }

  /** Frames pushed so far. */
  get framesSeen(): number {
    return this.frames;
  }

  /** Pushes n x C probabilities (n >= 0 whole frames); returns the labels they made certain, in order. */
  push(probs: ArrayLike<number>): CtcEmission[] {
    const n = frameCountOf(probs, this.classes, this.blank);
    const out: CtcEmission[] = [];
    for (let t = 0; t < n; t++) {
      const best = argmax(probs, t * this.classes, this.classes);
      if (best !== this.blank && best !== this.previous)
        out.push({ label: best, frame: this.frames + t, prob: probs[t * this.classes + best] });
      this.previous = best;
    }
    this.frames += n;
    return out;
  }

  /** Starts a new stream (the next frame is frame 0 again). */
  reset(): void {
    this.previous = this.blank;
    this.frames = 0;
  }
}

/** Options of {@link prefixBeamDecode}. */
export interface PrefixBeamOptions {
  blank?: number;
  /** Prefixes kept per frame. Default 8. */
  beamWidth?: number;
}

const NEG_INF = -Infinity;
function logAdd(a: number, b: number): number {
  if (a === NEG_INF) return b;
  if (b === NEG_INF) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * CTC prefix beam search over T x C probabilities (Hannun et al. 2014, no language model): each prefix keeps
 * the probability of the frames so far ending in a blank and ending in its last label, summed over alignments,
 * so a label sequence split over many paths can win over the single best path. Returns the best labels and
 * their log probability.
 */
export function prefixBeamDecode(
  probs: ArrayLike<number>,
  classes: number,
  opts: PrefixBeamOptions = {},
): { labels: number[]; logProb: number } {
  const blank = opts.blank ?? 0;
  const width = opts.beamWidth ?? 8;
  const T = frameCountOf(probs, classes, blank);
  type Beam = { labels: number[]; pb: number; pnb: number };
  let beams = new Map<string, Beam>([['', { labels: [], pb: 0, pnb: NEG_INF }]]);
  for (let t = 0; t < T; t++) {
    const next = new Map<string, Beam>();
    const at = (labels: number[]) => {
      const key = labels.join(',');
      let b = next.get(key);
      if (!b) next.set(key, (b = { labels, pb: NEG_INF, pnb: NEG_INF }));
      return b;
    };
    for (const beam of beams.values()) {
      const total = logAdd(beam.pb, beam.pnb);
      for (let c = 0; c < classes; c++) {
        const lp = Math.log(Math.max(probs[t * classes + c], 1e-30));
        if (c === blank) {
          const b = at(beam.labels);
          b.pb = logAdd(b.pb, total + lp);
          continue;
        }
        const last = beam.labels[beam.labels.length - 1];
        const extended = at([...beam.labels, c]);
        if (c === last) {
          // The same label again: a new label only after a blank; otherwise the run goes on.
          extended.pnb = logAdd(extended.pnb, beam.pb + lp);
          const same = at(beam.labels);
          same.pnb = logAdd(same.pnb, beam.pnb + lp);
        } else {
          extended.pnb = logAdd(extended.pnb, total + lp);
        }
      }
    }
    beams = new Map(
      [...next.entries()].sort((a, b) => logAdd(b[1].pb, b[1].pnb) - logAdd(a[1].pb, a[1].pnb)).slice(0, width),
    );
  }
  const best = [...beams.values()][0];
  return { labels: best.labels, logProb: logAdd(best.pb, best.pnb) };
}
