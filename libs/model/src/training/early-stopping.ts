/** EarlyStopping's state, kept in checkpoints so a resumed run stops where the whole run would have. */
export interface EarlyStoppingState {
  minDelta: number;
  patience: number;
  best: number;
  wait: number;
  epochs: number;
}

/**
 * Keras's `EarlyStopping(monitor='val_loss', min_delta, patience)` (TF 2.x), restore_best_weights off:
 * every epoch `wait` grows; an epoch whose value is below `best - min_delta` becomes best and resets
 * `wait`; training stops once `wait >= patience`, checked from the second epoch on.
 */
export class EarlyStopping {
  private s: EarlyStoppingState;

  constructor(opts: { minDelta: number; patience: number }) {
    this.s = { minDelta: Math.abs(opts.minDelta), patience: opts.patience, best: Infinity, wait: 0, epochs: 0 };
  }

  static fromState(state: EarlyStoppingState): EarlyStopping {
    const e = new EarlyStopping(state);
    // JSON turns Infinity into null.
    e.s = { ...state, best: state.best ?? Infinity };
    return e;
  }

  state(): EarlyStoppingState {
    return { ...this.s };
  }

  /** Records one epoch's monitored value; true when training should stop after this epoch. */
  update(value: number): boolean {
    const s = this.s;
    s.wait += 1;
    // Keras negates min_delta for a "min" monitor: an improvement must beat best by more than it.
    if (value + s.minDelta < s.best) {
      s.best = value;
      s.wait = 0;
    }
    const stop = s.wait >= s.patience && s.epochs > 0;
    s.epochs += 1;
    return stop;
  }
}
