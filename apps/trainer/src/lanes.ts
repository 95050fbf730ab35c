import { fork, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import cliProgress from 'cli-progress';
import type { Experiment } from './experiments';
import { barOptions, type LaneMessage, type LaneTimings } from './progress';

export type { LaneTimings } from './progress';

export interface LanesOptions {
  /** How many experiments train at the same time. */
  jobs: number;
  /** The `digits` arguments that train one experiment of the run in a child process. */
  argsFor(exp: Experiment): string[];
  log(line: string): void;
}

export interface LanesOutcome {
  timings: Record<string, LaneTimings>;
  failed: { exp: Experiment; reason: string }[];
  interrupted: boolean;
}

/**
 * Trains experiments side by side, each in its own `digits` process (tfjs's engine is per process).
 * The spectrogram models train on one thread (single-threaded wasm), so with cores to spare another
 * experiment can run beside them. On the 2-core reference machine it does not pay: #3 and #4 side by
 * side took 435 s and 191-214 s per epoch against 178-186 s and 104-114 s one after another, so
 * `--jobs` defaults to 1.
 *
 * Rules: experiments start in the order given (longest first, so the lanes finish together); only
 * one lane featurises at a time, because featurisation already uses every core and an experiment's
 * features are often in the cache the one before it filled. Lines from a lane are printed with its
 * experiment's number; on a TTY each lane has a progress bar. A failing lane does not stop the
 * others (their work is saved); Ctrl-C or SIGTERM stops every lane at its last checkpoint.
 */
export function runInLanes(queue: readonly Experiment[], opts: LanesOptions): Promise<LanesOutcome> {
  const pending = [...queue];
  const outcome: LanesOutcome = { timings: {}, failed: [], interrupted: false };
  const running = new Map<ChildProcess, Experiment>();
  let featurising = false;
  const multibar = process.stderr.isTTY
    ? new cliProgress.MultiBar(barOptions(process.stderr, '{lane}'), cliProgress.Presets.shades_classic)
    : null;
  const print = (line: string) => (multibar ? multibar.log(line + '\n') : opts.log(line));

  const stopAll = (signal: NodeJS.Signals) => {
    outcome.interrupted = true;
    pending.length = 0;
    // A terminal's Ctrl-C reaches the lanes too (same process group); `kill <pid>` reaches only us.
    for (const child of running.keys()) child.kill(signal);
  };
  const onSigint = () => stopAll('SIGINT');
  const onSigterm = () => stopAll('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);

  return new Promise((resolve) => {
    const startNext = () => {
      while (!featurising && running.size < opts.jobs && pending.length > 0) start(pending.shift()!);
      if (running.size === 0 && pending.length === 0) {
        multibar?.stop();
        process.removeListener('SIGINT', onSigint);
        process.removeListener('SIGTERM', onSigterm);
        resolve(outcome);
      }
    };

    const start = (exp: Experiment) => {
      const tag = `#${exp.id}`;
      const child = fork(process.argv[1], opts.argsFor(exp), {
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        env: { ...process.env, DIGITS_LANE: tag },
      });
      running.set(child, exp);
      featurising = true;
      let stillFeaturising = true;
      const featuresDone = () => {
        if (stillFeaturising) {
          stillFeaturising = false;
          featurising = false;
        }
      };
      let bar: cliProgress.SingleBar | null = null;
      const stderrTail: string[] = [];
      readline.createInterface({ input: child.stdout! }).on('line', (line) => print(`${tag} ${line}`));
      readline.createInterface({ input: child.stderr! }).on('line', (line) => {
        stderrTail.push(line);
        if (stderrTail.length > 20) stderrTail.shift();
        print(`${tag} ${line}`);
      });
      child.on('message', (msg: LaneMessage) => {
        if (msg.kind === 'features-done') {
          featuresDone();
          startNext();
        } else if (msg.kind === 'timings') {
          outcome.timings[exp.slug] = msg.timings;
        } else if (msg.kind === 'progress' && multibar) {
          if (!bar || bar.getTotal() !== msg.total) {
            if (bar) multibar.remove(bar);
            bar = multibar.create(msg.total, 0, { lane: `${tag} ${msg.label}`, info: '' });
          }
          bar.update(msg.done, { lane: `${tag} ${msg.label}`, info: msg.info ?? '' });
        } else if (msg.kind === 'progress-stop' && bar) {
          multibar?.remove(bar);
          bar = null;
        }
      });
      // 'close' rather than 'exit': every line the lane printed has been read by then.
      child.on('close', (code, signal) => {
        running.delete(child);
        featuresDone();
        if (bar) multibar?.remove(bar);
        // 130 is how a lane reports Ctrl-C (its checkpoint is saved), whichever of us saw the signal first.
        if (code === 130) outcome.interrupted = true;
        if (code !== 0 && !outcome.interrupted) {
          const reason = signal ? `stopped by ${signal}` : `exit code ${code}`;
          outcome.failed.push({
            exp,
            reason: stderrTail.length ? `${reason}: ${stderrTail[stderrTail.length - 1]}` : reason,
          });
        }
        startNext();
      });
    };

    startNext();
  });
}
