import { hissDbfs } from './level-filters';
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
  /** Floor of the frames' hiss levels (their first difference, see hissDbfs): the fricative rule's. */
  private readonly hissFloor: NoiseFloorTracker;
  /** Levels of the last decayWindowMs (+3 frames) of frames, oldest first, this frame's last: the decay rule's. */
  private recent: number[] = [];
  /** Loudest band level of the current utterance (from its onset), in dBFS. */
  private peakDb = -Infinity;
  /** After an end: the lowest band and hiss levels since, which new speech must rise above. */
  private tailBandDb = -Infinity;
  private tailHissDb = -Infinity;
  private lastHissDb = -Infinity;
  private state: State = 'silence';
  private sampleRate = 0;
  /** Pre-roll while silent; the utterance's frames otherwise. */
  private frames: AudioFrame[] = [];
  private onsetMs = 0;
  private speechMs = 0;
  private lastSpeechEndMs = 0;
  /** End of the last frame above the floors, a reverberant tail's included: the end events report. */
  private lastSoundEndMs = 0;
  private lastFrameEndMs = 0;

  constructor(config: Partial<SpeechDetectorConfig> = {}) {
    this.config = resolveSpeechDetectorConfig(config);
    const c = this.config;
    this.floor = new NoiseFloorTracker(c.noiseWindowMs, c.noisePercentile, c.initialNoiseFloorDbfs);
    this.hissFloor = new NoiseFloorTracker(c.noiseWindowMs, c.noisePercentile, c.initialNoiseFloorDbfs);
  }

  /** Current noise floor, in dBFS. */
  get noiseFloorDbfs(): number {
    return this.floor.floorDbfs;
  }

  /**
   * Whether a frame counts as speech against the floors (before the frame joins them): its level at least
   * thresholdDb over the noise floor (sustainThresholdDb while speaking), or, with a high zero-crossing rate, both its level and its hiss level
   * fricativeThresholdDb over their floors. After an utterance ended, both must also rise that far over
   * the lowest level since (a reverberant tail never starts an utterance of its own).
   */
  private speechLike(frame: AudioFrame, rawDb: number, bandDb: number, hissDb: number): boolean {
    const c = this.config;
    if (rawDb < c.minSpeechDbfs) return false;
    const listening = this.state === 'silence' || this.state === 'candidate';
    const bandFloor = Math.max(this.floor.floorDbfs, listening ? this.tailBandDb : -Infinity);
    // Hysteresis: a confirmed utterance goes on down to sustainThresholdDb (a quiet final nasal).
    const margin = this.state === 'speaking' ? Math.min(c.thresholdDb, c.sustainThresholdDb) : c.thresholdDb;
    if (bandDb >= bandFloor + margin) return true;
    const hissFloor = Math.max(this.hissFloor.floorDbfs, listening ? this.tailHissDb : -Infinity);
    return (
      bandDb >= bandFloor + c.fricativeThresholdDb &&
      hissDb >= hissFloor + c.fricativeThresholdDb &&
      zeroCrossingsPerSecond(frame.samples, frame.sampleRate) >= c.fricativeZcrPerSecond
    );
  }

  /**
   * While speaking: a frame decayEndDb or more below the utterance's peak whose level is falling (the mean of
   * the last 3 frames at least decayDropDb under the mean of 3 frames decayWindowMs earlier) is a reverberant
   * tail. A steady quiet sound (the nasal ending "nine", "seven") is not falling, so it stays speech.
   */
  private isTail(bandDb: number, frameMs: number): boolean {
    const c = this.config;
    if (c.decayEndDb <= 0 || bandDb > this.peakDb - c.decayEndDb) return false;
    const back = Math.round(c.decayWindowMs / frameMs);
    const r = this.recent; // ends with this frame
    if (r.length < back + 3) return false;
    const mean = (end: number) => (r[end] + r[end - 1] + r[end - 2]) / 3;
    return mean(r.length - 1) <= mean(r.length - 1 - back) - c.decayDropDb;
  }

  push(frame: AudioFrame): SpeechEvent[] {
    const c = this.config;
    const out: SpeechEvent[] = [];
    if (frame.sampleRate !== this.sampleRate) {
      // Frames of two rates cannot form one utterance: close what is open and start afresh.
      if (this.state === 'speaking') out.push(this.end('source-change', this.soundEndMs(), this.lastFrameEndMs));
      this.state = 'silence';
      this.frames = [];
      this.recent = [];
      this.tailBandDb = this.tailHissDb = -Infinity;
      this.sampleRate = frame.sampleRate;
    }
    const level = rmsDbfs(frame.samples);
    const bandDb = level;
    const hissDb = hissDbfs(frame.samples);
    this.lastHissDb = hissDb;
    let speech = this.speechLike(frame, level, bandDb, hissDb);
    const heard = speech;
    const durationMs = (frame.samples.length * 1000) / frame.sampleRate;
    this.recent.push(bandDb);
    const keep = Math.round(this.config.decayWindowMs / durationMs) + 3;
    while (this.recent.length > keep) this.recent.shift();
    if (this.state === 'silence' && speech) this.peakDb = bandDb;
    if (this.state !== 'silence' && this.state !== 'refractory') {
      if (speech && this.state === 'speaking' && this.isTail(bandDb, durationMs)) speech = false;
      if (speech) this.peakDb = Math.max(this.peakDb, bandDb);
    }
    // The tail floors follow the lowest level since the last end (checked above before this frame joins).
    this.tailBandDb = Math.min(this.tailBandDb, bandDb);
    this.tailHissDb = Math.min(this.tailHissDb, hissDb);
    this.floor.add(frame.tMs, level);
    this.hissFloor.add(frame.tMs, hissDb);
    const endMs = frame.tMs + durationMs;
    this.lastFrameEndMs = endMs;

    switch (this.state) {
      case 'silence':
        if (speech) {
          this.state = 'candidate';
          this.onsetMs = frame.tMs;
          this.speechMs = 0;
          this.lastSoundEndMs = 0;
        }
        break;
      case 'candidate':
      case 'speaking':
        if (heard) this.lastSoundEndMs = endMs;
        if (!speech && endMs - this.lastSpeechEndMs >= c.hangoverMs - EPS_MS) {
          if (this.state === 'speaking') {
            this.frames.push(frame);
            const utterance = this.frames;
            out.push(this.end('silence', this.soundEndMs(), endMs));
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
      this.tailBandDb = this.tailHissDb = -Infinity;
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
      this.state === 'speaking' ? [this.end('stream-end', this.soundEndMs(), this.lastFrameEndMs)] : [];
    this.state = 'silence';
    this.frames = [];
    return out;
  }

  /** Where the utterance's sound ended: its last frame above the floors (a tail the decay rule cut included). */
  private soundEndMs(): number {
    return Math.max(this.lastSpeechEndMs, this.lastSoundEndMs);
  }

  /** The frames that start within preRollMs before `nextMs` (the start of the frame to come). */
  private preRollBefore(nextMs: number, frames: AudioFrame[]): AudioFrame[] {
    const fromMs = nextMs - this.config.preRollMs - EPS_MS;
    let i = frames.length;
    while (i > 0 && frames[i - 1].tMs >= fromMs) i--;
    return frames.slice(i);
  }

  private end(reason: SpeechEndEvent['reason'], endMs: number, decidedAtMs: number): SpeechEndEvent {
    // New speech must rise above what is heard now (a reverberant tail may still be sounding).
    this.tailBandDb = this.recent.at(-1) ?? -Infinity;
    this.tailHissDb = this.lastHissDb;
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
