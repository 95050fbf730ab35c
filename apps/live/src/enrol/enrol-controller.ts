import path from 'node:path';
import {
  MAX_LISTED_VOICES,
  type EnrolClientMessage,
  type EnrolErrorMessage,
  type EnrolStateMessage,
  type ModelInfo,
  type ModelMessage,
  type ServerMessage,
} from '@digits/protocol';
import type { Classifier } from '../classifier/classifier';
import type { Enroller } from './enroller';
import { EnrolSession, idleEnrolState, type SessionTake } from './enrol-session';
import type { VoiceInfo } from './voice-api';

export interface EnrolControllerOptions {
  enroller: Enroller;
  /** The live classifier; its switchModel switches between the base model and personal voices. */
  classifier: Classifier;
  /** The base model's folder (what a voice is trained on top of, and what `use-model base` loads). */
  baseModelDir: string;
  /** Sends a message to every client. */
  broadcast: (message: ServerMessage) => void;
  log?: (line: string) => void;
  /** Training progress messages per second, at most. Default 5. */
  progressPerSecond?: number;
  /** The classifier already runs this personal voice (`digits live --voice`). Default: the base model. */
  initialVoice?: { voice: string; dir: string };
}

/** A client's request, answered to that client only (errors, take audio). */
export type Reply = (message: ServerMessage) => void;

/**
 * "Teach it my voice" on the server: one enrolment session at a time for all clients (every dashboard
 * sees and may drive it), fed by the live pipeline's utterances; the training in the enroller's thread;
 * and the switch of the live classifier between the base model and a personal voice. A request that does
 * not fit the state (a second session, a redo of a take never recorded, a training already running) gets
 * an `enrol-error` for its client and changes nothing.
 */
export class EnrolController {
  private session: EnrolSession | null = null;
  private training: { done: number; total: number } | null = null;
  /** Bumped by a cancel, so the answer of a cancelled training is ignored. */
  private trainingRun = 0;
  private active: { kind: 'base' } | { kind: 'personal'; voice: string; dir: string } = { kind: 'base' };
  private switching = false;
  private voices: VoiceInfo[] = [];
  private baseModel: ModelInfo;
  private readonly log: (line: string) => void;
  private lastProgressAt = -Infinity;
  private closed = false;

  constructor(private readonly options: EnrolControllerOptions) {
    this.baseModel = { ...options.classifier.info.model };
    if (options.initialVoice) {
      this.active = { kind: 'personal', ...options.initialVoice };
      // The base model's name for the `model` message, when the classifier started on the voice.
      this.baseModel = { name: path.basename(path.resolve(options.baseModelDir)) };
    }
    this.log = options.log ?? (() => undefined);
  }

  /** Reads the voices saved so far and announces them (the `model` message). */
  async start(): Promise<void> {
    await this.refreshVoices();
    this.send(this.modelMessage());
  }

  /** What a new connection gets after its hello: the model in use and the enrolment state. */
  welcome(): ServerMessage[] {
    return [this.modelMessage(), this.stateMessage()];
  }

  /** The model for `hello`: the classifier's, marked with the voice when it is personal. */
  helloModel(): ModelInfo {
    const model = { ...this.options.classifier.info.model };
    if (this.active.kind === 'personal') return { ...model, name: this.active.voice, voice: this.active.voice };
    return model;
  }

  modelMessage(): ModelMessage {
    const a = this.active;
    return {
      type: 'model',
      active: a.kind,
      name: a.kind === 'personal' ? a.voice : this.baseModel.name,
      dir: a.kind === 'personal' ? a.dir : this.options.baseModelDir,
      voices: this.voices.slice(0, MAX_LISTED_VOICES).map((v) => v.name),
      ...(this.switching ? { switching: true } : {}),
    };
  }

  stateMessage(): EnrolStateMessage {
    return this.session ? this.session.state(this.training) : idleEnrolState();
  }

  /**
   * An utterance the live pipeline cut: during a session it becomes the prompted take. The samples are
   * copied at once (the classifier may take the buffer right after).
   */
  onUtterance(samples: Float32Array, sampleRate: number): void {
    const session = this.session;
    if (!session || this.training) return;
    const take = session.accept(samples, sampleRate);
    if (!take) return;
    this.broadcastState();
    this.check(session, take);
  }

  /** A client's enrolment or model request. Never throws: problems go back as `enrol-error`. */
  handle(message: EnrolClientMessage, reply: Reply): void {
    const fail = (code: string, text: string) => reply(enrolError(code, text));
    switch (message.type) {
      case 'enrol-start': {
        if (this.session) return fail('busy', `an enrolment of "${this.session.name}" is already running`);
        this.session = new EnrolSession(message.name, message.takesPerDigit);
        this.log(`live: enrolling voice "${message.name}", ${message.takesPerDigit} take(s) per digit`);
        return this.broadcastState();
      }
      case 'enrol-redo': {
        if (!this.session) return fail('no-session', 'no enrolment is running: start one first');
        if (this.training) return fail('busy', 'the voice is being trained: cancel first to redo a take');
        const problem = this.session.redo(message.digit, message.take);
        if (problem) return fail('no-take', problem);
        return this.broadcastState();
      }
      case 'enrol-play': {
        const audio = this.session?.audio(message.digit, message.take);
        if (!audio) return fail('no-take', `there is no take ${message.take} of ${message.digit} to play`);
        return reply(audio);
      }
      case 'enrol-cancel': {
        if (!this.session) return fail('no-session', 'no enrolment is running');
        this.log(`live: enrolment of "${this.session.name}" cancelled`);
        if (this.training) {
          this.trainingRun++;
          this.training = null;
          this.options.enroller.cancel();
        }
        this.session = null;
        return this.broadcastState();
      }
      case 'enrol-finish':
        return this.finish(fail);
      case 'use-model':
        return this.useModel(message.which, message.voice, fail);
    }
  }

  /** Stops a training in progress and the enroller's thread. */
  async close(): Promise<void> {
    this.closed = true;
    this.trainingRun++;
    await this.options.enroller.close();
  }

  private finish(fail: (code: string, text: string) => void): void {
    const session = this.session;
    if (!session) return fail('no-session', 'no enrolment is running: start one first');
    if (this.training) return fail('busy', 'the voice is already being trained');
    const missing = session.digitsMissing();
    if (missing.length > 0) return fail('incomplete', `no usable take yet of ${missing.join(', ')}`);
    const run = ++this.trainingRun;
    this.training = { done: 0, total: 1 };
    this.broadcastState();
    const takes = session.enrolTakes();
    this.log(`live: training voice "${session.name}" on ${takes.length} takes`);
    this.options.enroller
      .enrol(
        { name: session.name, baseModelDir: this.options.baseModelDir, takes, minTakesPerDigit: 1 },
        (done, total) => {
          if (run !== this.trainingRun || !(total > 0)) return;
          this.training = { done: Math.min(Math.max(0, done), total), total };
          const now = performance.now();
          if (now - this.lastProgressAt < 1000 / (this.options.progressPerSecond ?? 5) && done < total) return;
          this.lastProgressAt = now;
          this.broadcastState();
        },
      )
      .then(
        async (result) => {
          if (run !== this.trainingRun || this.closed) return;
          this.training = null;
          this.session = null;
          this.log(
            `live: voice "${session.name}" trained in ${Number(result.seconds).toFixed(1)} s (${result.method})`,
          );
          this.send({
            type: 'enrol-done',
            voice: session.name,
            dir: result.outDir,
            seconds: Number.isFinite(result.seconds) ? Math.max(0, result.seconds) : 0,
            method: result.method.slice(0, 200),
            takesUsed: result.takesUsed.length,
            rejected: result.rejected
              .slice(0, 50)
              .map((r) => ({ name: r.name.slice(0, 100), reason: r.reason.slice(0, 300) })),
          });
          this.broadcastState();
          await this.refreshVoices();
          await this.switchTo({ kind: 'personal', voice: session.name, dir: result.outDir }, (code, text) =>
            this.send(enrolError(code, text)),
          );
        },
        (err: Error) => {
          if (run !== this.trainingRun || this.closed) return;
          this.training = null;
          this.log(`live: training voice "${session.name}" failed: ${err.message}`);
          this.send(enrolError('training-failed', `training failed: ${err.message}`));
          this.broadcastState();
        },
      );
  }

  private useModel(which: 'base' | 'personal', voice: string | undefined, fail: (c: string, t: string) => void): void {
    void (async () => {
      if (which === 'base') return this.switchTo({ kind: 'base' }, fail);
      let info = this.findVoice(voice);
      if (!info) {
        await this.refreshVoices();
        info = this.findVoice(voice);
      }
      if (!info)
        return fail('no-voice', voice ? `there is no voice "${voice}"` : 'there is no personal voice yet: enrol one');
      return this.switchTo({ kind: 'personal', voice: info.name, dir: info.dir }, fail);
    })();
  }

  private findVoice(name: string | undefined): VoiceInfo | undefined {
    return name === undefined ? this.voices[0] : this.voices.find((v) => v.name === name);
  }

  private async switchTo(target: EnrolController['active'], fail: (c: string, t: string) => void): Promise<void> {
    const { classifier } = this.options;
    if (!classifier.switchModel) return fail('unsupported', 'this classifier cannot switch models');
    if (this.switching) return fail('busy', 'a model switch is already under way');
    const same =
      target.kind === this.active.kind && (target.kind === 'base' || target.dir === (this.active as typeof target).dir);
    if (same) return this.send(this.modelMessage());
    this.switching = true;
    this.send(this.modelMessage());
    const dir = target.kind === 'base' ? this.options.baseModelDir : target.dir;
    try {
      const info = await classifier.switchModel(dir);
      this.active = target;
      if (target.kind === 'base') this.baseModel = { ...info.model };
      this.log(`live: now classifying with ${target.kind === 'base' ? 'the base model' : `voice "${target.voice}"`}`);
    } catch (err) {
      fail('switch-failed', (err as Error).message);
    } finally {
      this.switching = false;
      if (!this.closed) this.send(this.modelMessage());
    }
  }

  private async refreshVoices(): Promise<void> {
    try {
      this.voices = await this.options.enroller.listVoices();
    } catch (err) {
      this.log(`live: cannot list the personal voices: ${(err as Error).message}`);
    }
  }

  private check(session: EnrolSession, take: SessionTake): void {
    this.options.enroller
      .checkTake({
        digit: take.digit,
        name: `${take.digit}_${session.name}_${take.take}`,
        samples: take.samples,
        sampleRate: take.sampleRate,
      })
      .then(
        (problem) => {
          take.problem = problem;
          // Only if the take is still the session's (not redone or cancelled meanwhile).
          if (this.session === session && session.get(take.digit, take.take) === take && problem) this.broadcastState();
        },
        (err: Error) => {
          take.problem = null;
          this.log(`live: checking take ${take.take} of ${take.digit} failed: ${err.message}`);
        },
      );
  }

  private broadcastState(): void {
    if (!this.closed) this.send(this.stateMessage());
  }

  /** Broadcasts; a message the protocol refuses (a library's odd answer) is logged, never thrown from a callback. */
  private send(message: ServerMessage): void {
    try {
      this.options.broadcast(message);
    } catch (err) {
      this.log(`live: not sent (${message.type}): ${(err as Error).message}`);
    }
  }
}

function enrolError(code: string, message: string): EnrolErrorMessage {
  return { type: 'enrol-error', code, message: message.slice(0, 1000) || 'enrolment failed' };
}
