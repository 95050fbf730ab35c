// Test helper: a Classifier without a model, answering from a script, optionally slowly.
import { DEFAULT_FEATURE_CONFIG, type FeatureConfig } from '@digits/features';
import type { Classification, Classifier, ClassifierInfo } from '../classifier/classifier';

/** Ten probabilities with `confidence` on `digit` and the rest shared evenly. */
export function peakedProbs(digit: number, confidence: number): number[] {
  return Array.from({ length: 10 }, (_, d) => (d === digit ? confidence : (1 - confidence) / 9));
}

export interface FakeClassifierOptions {
  /** Answer for the i-th utterance (default: digit i % 10 with confidence 0.9). */
  answer?: (index: number, samples: Float32Array) => number[];
  /** Delay per classification, in ms (default 0). */
  delayMs?: number;
  /** Utterance indices that fail. */
  failAt?: number[];
  featureConfig?: FeatureConfig;
  /** Delay of switchModel, in ms (default 0). */
  switchDelayMs?: number;
  /** ClassifierInfo.inputKind (default absent: a log-mel model). */
  inputKind?: ClassifierInfo['inputKind'];
  /** ClassifierInfo.cut (default absent). */
  cut?: ClassifierInfo['cut'];
}

export class FakeClassifier implements Classifier {
  info: ClassifierInfo;
  /** Model folders switched to, in order. */
  readonly switchedTo: string[] = [];
  /** Lengths (samples) and rates of the utterances seen, in order. */
  readonly seen: { length: number; sampleRate: number }[] = [];
  closed = false;

  constructor(private readonly options: FakeClassifierOptions = {}) {
    this.info = {
      model: { name: 'fake-model', path: '/nowhere', experiment: 'test', params: 1, metrics: { accuracy: 0.5 } },
      featureConfig: options.featureConfig ?? { ...DEFAULT_FEATURE_CONFIG },
      labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      backend: 'none',
      ...(options.inputKind ? { inputKind: options.inputKind } : {}),
      ...(options.cut ? { cut: options.cut } : {}),
    };
  }

  async classify(samples: Float32Array, sampleRate: number): Promise<Classification> {
    const index = this.seen.length;
    this.seen.push({ length: samples.length, sampleRate });
    if (this.options.delayMs) await new Promise((r) => setTimeout(r, this.options.delayMs));
    if (this.options.failAt?.includes(index)) throw new Error(`fake failure ${index}`);
    const probs = this.options.answer?.(index, samples) ?? peakedProbs(index % 10, 0.9);
    return { probs, featureMs: 1, inferenceMs: 2 };
  }

  /** Switches after `switchDelayMs`; a folder whose name contains "broken" fails. */
  async switchModel(modelDir: string): Promise<ClassifierInfo> {
    if (this.options.switchDelayMs) await new Promise((r) => setTimeout(r, this.options.switchDelayMs));
    if (modelDir.includes('broken')) throw new Error(`cannot load ${modelDir}`);
    this.switchedTo.push(modelDir);
    this.info = { ...this.info, model: { ...this.info.model, path: modelDir } };
    return this.info;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
