import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { encodeEvent, FILE_VERSION, type TfEvent } from './event-proto';
import { encodeRecord } from './tfrecord';

// No npm package writes TensorBoard event files without depending on TensorFlow (Python or native),
// and scalars need only TFRecord framing plus five protobuf fields, so the writer is our own.

function nowSec(): number {
  return Date.now() / 1000;
}

/**
 * Creates `base` exclusively, or `base.2`, `base.3`, ... if taken: two writers opened in the same second
 * (a quick resume) must not share a file. TensorBoard reads any file whose name contains "tfevents", and
 * the suffixed names sort after the first.
 */
function createEventFile(base: string): { file: string; fd: number } {
  for (let n = 1; ; n++) {
    const file = n === 1 ? base : `${base}.${n}`;
    try {
      return { file, fd: openSync(file, 'wx') };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * Appends scalar summaries to a new TensorBoard event file in `logDir`.
 *
 * Every record goes to the file in one synchronous write, so a crashed process loses at most the record
 * it was writing. Resuming is just opening another writer on the same folder: it starts a new file and
 * TensorBoard merges all event files of a folder into one run.
 */
export class ScalarEventWriter {
  /** The event file this writer appends to. */
  readonly file: string;
  private fd: number | undefined;

  /** Creates `logDir` if needed and a file `events.out.tfevents.<unix seconds>.<hostname>` in it. */
  constructor(readonly logDir: string) {
    mkdirSync(logDir, { recursive: true });
    const opened = createEventFile(path.join(logDir, `events.out.tfevents.${Math.floor(nowSec())}.${hostname()}`));
    this.file = opened.file;
    this.fd = opened.fd;
    try {
      this.write({ wallTime: nowSec(), step: 0, fileVersion: FILE_VERSION });
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /**
   * Records `value` (stored as float32) under `tag` at `step`.
   * @param wallTimeSec seconds since the epoch; defaults to now.
   */
  addScalar(tag: string, value: number, step: number, wallTimeSec: number = nowSec()): void {
    if (typeof tag !== 'string' || tag === '') throw new Error(`addScalar: tag must be a non-empty string`);
    if (typeof value !== 'number') throw new Error(`addScalar(${tag}): value must be a number, got ${typeof value}`);
    if (!Number.isSafeInteger(step)) throw new Error(`addScalar(${tag}): step must be an integer, got ${step}`);
    this.write({ wallTime: wallTimeSec, step, summary: [{ tag, simpleValue: value }] });
  }

  /** Forces written records to disk (fsync); they already survive a process crash without it. */
  flush(): void {
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  /** Flushes and closes the file; later `addScalar` calls throw. Safe to call twice. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private write(event: TfEvent): void {
    if (this.fd === undefined) throw new Error(`${this.file}: event writer is closed`);
    const record = encodeRecord(encodeEvent(event));
    let done = 0;
    while (done < record.length) done += writeSync(this.fd, record, done, record.length - done);
  }
}

/** The two writers of one model, as Keras' TensorBoard callback lays them out. */
export interface RunWriters {
  train: ScalarEventWriter;
  validation: ScalarEventWriter;
}

/**
 * Opens `<modelDir>/tensorboard/train` and `<modelDir>/tensorboard/validation` writers (Keras' layout).
 * Write the same tags (`epoch_loss`, `epoch_f1`) to both, so `tensorboard --logdir runs/<id>` draws
 * each model's train and validation curves on one chart.
 */
export function openRunWriters(modelDir: string): RunWriters {
  const root = path.join(modelDir, 'tensorboard');
  const train = new ScalarEventWriter(path.join(root, 'train'));
  try {
    return { train, validation: new ScalarEventWriter(path.join(root, 'validation')) };
  } catch (err) {
    train.close();
    throw err;
  }
}
