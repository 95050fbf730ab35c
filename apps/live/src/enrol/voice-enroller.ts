import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { spawnTsProcess } from '../sources/mic/spawn-ts-process';
import type { Enroller } from './enroller';
import type { EnrolResult, EnrolTake, VoiceInfo } from './voice-api';
import { VOICE_PROCESS_ENV, type FromVoiceProcess, type ToVoiceProcess, type VoiceProcessData } from './voice-protocol';

/** The module run in the voice process. */
export const VOICE_PROCESS_MODULE = path.join(__dirname, 'voice-process.ts');
/** The enrolment library the voice process loads by default. */
export const DEFAULT_VOICE_MODULE = '@digits/voice';

export interface VoiceEnrollerOptions {
  /** Module with @digits/voice's functions. Default @digits/voice (tests pass a small stand-in). */
  module?: string;
  /** Voices root. Default the library's voicesRoot(): $DIGITS_HOME/voices, else ~/.digits/voices. */
  root?: string;
  /** Where the process's own output (stderr) goes. Default: this process's stderr. */
  log?: (line: string) => void;
}

type Pending = {
  resolve: (m: FromVoiceProcess) => void;
  reject: (e: Error) => void;
  onProgress?: (done: number, total: number) => void;
  /** A training (what cancel() stops). */
  enrol: boolean;
};

/**
 * An Enroller whose work all happens in one child process running @digits/voice, started on first use
 * (see voice-process.ts for why a process and not a worker thread). cancel() kills the process (a
 * training cannot be interrupted otherwise); the next call starts a new one.
 */
export function voiceEnroller(options: VoiceEnrollerOptions = {}): Enroller {
  const data: VoiceProcessData = { module: options.module ?? DEFAULT_VOICE_MODULE, root: options.root };
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let child: ChildProcess | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const failAll = (reason: string) => {
    for (const p of pending.values()) p.reject(new Error(reason));
    pending.clear();
  };
  const spawn = (): ChildProcess => {
    const c = spawnTsProcess(VOICE_PROCESS_MODULE, {
      env: { ...process.env, [VOICE_PROCESS_ENV]: JSON.stringify(data) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let errText = '';
    c.stderr?.setEncoding('utf8');
    c.stderr?.on('data', (t: string) => {
      errText = (errText + t).slice(-4000);
      for (const line of t.split('\n')) if (line.trim()) log(`voice: ${line}`);
    });
    c.on('message', (m: FromVoiceProcess) => {
      const p = pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') return p.onProgress?.(m.done, m.total);
      pending.delete(m.id);
      if (m.type === 'failed') p.reject(new Error(m.message));
      else p.resolve(m);
    });
    c.on('error', (err) => {
      if (child === c) child = undefined;
      failAll(`the voice process failed: ${err.message}`);
    });
    c.on('exit', (code, signal) => {
      if (child !== c) return;
      child = undefined;
      const why = /Error: (.*)/.exec(errText)?.[1];
      failAll(`the voice process exited (${code ?? signal})${why ? `: ${why}` : ''}`);
    });
    return c;
  };
  const ask = (message: ToVoiceProcess, onProgress?: Pending['onProgress']): Promise<FromVoiceProcess> => {
    child ??= spawn();
    const c = child;
    return new Promise((resolve, reject) => {
      pending.set(message.id, { resolve, reject, onProgress, enrol: message.type === 'enrol' });
      c.send(message, (err) => {
        if (err && pending.delete(message.id)) reject(new Error(`cannot reach the voice process: ${err.message}`));
      });
    });
  };
  const stop = (c: ChildProcess | undefined) => {
    if (c && c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };

  return {
    async checkTake(take: EnrolTake) {
      const m = await ask({ type: 'check', id: nextId++, take });
      return m.type === 'checked' ? m.problem : null;
    },
    async enrol(request, onProgress): Promise<EnrolResult> {
      const m = await ask({ type: 'enrol', id: nextId++, ...request, takes: [...request.takes] }, onProgress);
      if (m.type !== 'enrolled') throw new Error(`voice process: unexpected answer ${m.type}`);
      return m.result;
    },
    cancel() {
      const c = child;
      if (!c || ![...pending.values()].some((p) => p.enrol)) return;
      child = undefined;
      failAll('enrolment cancelled');
      stop(c);
    },
    async listVoices(): Promise<VoiceInfo[]> {
      const m = await ask({ type: 'list', id: nextId++ });
      return m.type === 'listed' ? m.voices : [];
    },
    async close() {
      const c = child;
      child = undefined;
      failAll('enroller closed');
      if (!c) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.disconnect?.();
      const timer = setTimeout(() => stop(c), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
