// Test helper: a digit-string Classifier without a model. Its string streams find bursts of energy in the
// 16 kHz audio (an 80 ms frame louder than `onDbfs` after at least two quieter ones) and give the next
// digit of a script for each, as the real model gives a digit once it has heard enough of it.
import type { Classifier, ClassifierInfo, StringFrame, StringSession } from '../classifier/classifier';

const FRAME = 1280;

export class FakeStringClassifier implements Classifier {
  readonly info: ClassifierInfo = {
    model: { name: 'fake-strings', path: '/nowhere', recognizes: 'strings' },
    // The speech-embedding models' display config (EMBEDDING_DISPLAY_CONFIG of @digits/model).
    featureConfig: { sampleRate: 16000, length: 12800, nFft: 1024, hopLength: 256, nMels: 64, topDb: 80 },
    labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    backend: 'none',
    inputKind: 'embedding',
    recognizes: 'strings',
  };
  /** Streams opened, with the samples each was pushed. */
  readonly streams: { samples: number; closed: boolean }[] = [];
  private next = 0;
  closed = false;

  constructor(
    private readonly script: readonly number[],
    private readonly onDbfs = -35,
  ) {}

  classify(): Promise<never> {
    return Promise.reject(new Error('a digit-string model recognises string streams, not utterances'));
  }

  openString(): StringSession {
    const record = { samples: 0, closed: false };
    this.streams.push(record);
    let quiet = 2;
    let partial: number[] = [];
    return {
      push: async (samples) => {
        const frames: StringFrame[] = [];
        for (const v of samples) {
          partial.push(v);
          if (partial.length < FRAME) continue;
          const rms = Math.sqrt(partial.reduce((a, x) => a + x * x, 0) / FRAME);
          partial = [];
          record.samples += FRAME;
          const loud = 20 * Math.log10(rms + 1e-12) > this.onDbfs;
          const digit = loud && quiet >= 2 ? this.script[this.next++ % this.script.length] : undefined;
          quiet = loud ? 0 : quiet + 1;
          const digitProbs = Array.from({ length: 10 }, (_, d) => (d === digit ? 0.9 : 0.01));
          frames.push({
            endSample: record.samples,
            best: digit ?? 10,
            digitProbs,
            ...(digit === undefined ? {} : { digit }),
          });
        }
        return frames;
      },
      close: async () => {
        record.closed = true;
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
