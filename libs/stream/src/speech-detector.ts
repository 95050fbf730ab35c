import { rmsDbfs, zeroCrossingsPerSecond } from './levels';
import { NoiseFloorTracker } from './noise-floor';
import { resolveSpeechDetectorConfig } from './speech-detector-config';
import type { AudioFrame, SpeechDetectorConfig, SpeechEndEvent, SpeechEvent } from './types';

type State =
  /** Waiting for a speech frame; the last preRollMs of frames are kept. */
  | 'silence'
  /** Speech frames seen, but fewer than minSpeechMs of them: not yet an utterance. */
  | 'candidate'
  /** A confirmed utterance is going on. */
  | 'speaking'
  /** After a maxSpeechMs cut: waiting for hangoverMs of non-speech before listening again. */
  | 'refractory';

/** Slack for comparing sums of frame durations with configured times (22,050 Hz frames last 10.02 ms). */
const EPS_MS = 1e-6;

/**
 * The speech detector as a plain state machine: feed frames in order with `push`, call `finish` at the
 * end of the stream; both return the events decided. `detectSpeech` wraps it as an operator; use this
 * class directly where RxJS is not wanted (measurement scripts). See SpeechDetectorConfig for the rules.
 */
export class SpeechDetector {
  readonly config: SpeechDetectorConfig;
  private readonly floor: NoiseFloorTracker;
  private state: State = 'silence';
  private sampleRate = 0;
  /** Pre-roll while silent; the utterance's frames otherwise. */
  private frames: AudioFrame[] = [];
  private onsetMs = 0;
  private speechMs = 0;
  private lastSpeechEndMs = 0;
  private lastFrameEndMs = 0;

  constructor(config: Partial<SpeechDetectorConfig> = {}) {
    this.config = resolveSpeechDetectorConfig(config);
    const c = this.config;
    this.floor = new NoiseFloorTracker(c.noiseWindowMs, c.noisePercentile, c.initialNoiseFloorDbfs);
  }

  /** Current noise floor, in dBFS. */
  get noiseFloorDbfs(): number {
    return this.floor.floorDbfs;
  }

  /** Whether a frame counts as speech against the current noise floor (before the frame joins it). */
  isSpeechFrame(frame: AudioFrame, levelDbfs = rmsDbfs(frame.samples)): boolean {
    const c = this.config;
    if (levelDbfs < c.minSpeechDbfs) return false;
    const floor = this.floor.floorDbfs;
    if (levelDbfs >= floor + c.thresholdDb) return true;
    return (
      levelDbfs >= floor + c.fricativeThresholdDb &&
      zeroCrossingsPerSecond(frame.samples, frame.sampleRate) >= c.fricativeZcrPerSecond
    );
  }

  push(frame: AudioFrame): SpeechEvent[] {
    const c = this.config;
    const out: SpeechEvent[] = [];
    if (frame.sampleRate !== this.sampleRate) {
      // Frames of two rates cannot form one utterance: close what is open and start afresh.
      if (this.state === 'speaking') out.push(this.end('source-change', this.lastSpeechEndMs, this.lastFrameEndMs));
      this.state = 'silence';
      this.frames = [];
      this.sampleRate = frame.sampleRate;
    }
    const level = rmsDbfs(frame.samples);
    const speech = this.isSpeechFrame(frame, level);
    this.floor.add(frame.tMs, level);
    const durationMs = (frame.samples.length * 1000) / frame.sampleRate;
    const endMs = frame.tMs + durationMs;
    this.lastFrameEndMs = endMs;

    switch (this.state) {
      case 'silence':
        if (speech) {
          this.state = 'candidate';
          this.onsetMs = frame.tMs;
          this.speechMs = 0;
        }
        break;
      case 'candidate':
      case 'speaking':
        if (!speech && endMs - this.lastSpeechEndMs >= c.hangoverMs - EPS_MS) {
          if (this.state === 'speaking') {
            this.frames.push(frame);
            const utterance = this.frames;
            out.push(this.end('silence', this.lastSpeechEndMs, endMs));
            // The hangover's tail is the next utterance's pre-roll, should one follow at once.
            this.frames = this.preRollBefore(endMs, utterance);
            return out;
          }
          this.state = 'silence'; // a blip shorter than minSpeechMs: forget it
        }
        break;
      case 'refractory':
        if (speech) this.lastSpeechEndMs = endMs;
        else if (endMs - this.lastSpeechEndMs >= c.hangoverMs - EPS_MS) this.state = 'silence';
        return out;
    }

    this.frames.push(frame);
    if (this.state === 'silence') {
      this.frames = this.preRollBefore(endMs, this.frames);
      return out;
    }
    if (speech) {
      this.speechMs += durationMs;
      this.lastSpeechEndMs = endMs;
    }
    if (this.state === 'candidate' && this.speechMs >= c.minSpeechMs - EPS_MS) {
      this.state = 'speaking';
      out.push({
        type: 'start',
        tMs: this.onsetMs,
        detectedAtMs: endMs,
        noiseFloorDbfs: this.floor.floorDbfs,
        frames: [...this.frames],
      });
    }
    if (this.state === 'speaking' && endMs - this.onsetMs >= c.maxSpeechMs - EPS_MS) {
      out.push(this.end('max-length', endMs, endMs));
      this.state = 'refractory';
      this.lastSpeechEndMs = endMs;
    }
    return out;
  }

  /** The end of the stream: a confirmed utterance ends with reason 'stream-end'; a candidate is dropped. */
  finish(): SpeechEvent[] {
    const out: SpeechEvent[] =
      this.state === 'speaking' ? [this.end('stream-end', this.lastSpeechEndMs, this.lastFrameEndMs)] : [];
    this.state = 'silence';
    this.frames = [];
    return out;
  }

  /** The frames that start within preRollMs before `nextMs` (the start of the frame to come). */
  private preRollBefore(nextMs: number, frames: AudioFrame[]): AudioFrame[] {
    const fromMs = nextMs - this.config.preRollMs - EPS_MS;
    let i = frames.length;
    while (i > 0 && frames[i - 1].tMs >= fromMs) i--;
    return frames.slice(i);
  }

  private end(reason: SpeechEndEvent['reason'], endMs: number, decidedAtMs: number): SpeechEndEvent {
    const event: SpeechEndEvent = {
      type: 'end',
      startMs: this.onsetMs,
      endMs,
      endDetectedAtMs: decidedAtMs,
      reason,
      noiseFloorDbfs: this.floor.floorDbfs,
      frames: this.frames,
    };
    this.state = 'silence';
    this.frames = [];
    return event;
  }
}
