// Test stand-in for @digits/voice (same functions, same files): a "voice" is a copy of the base model
// folder with a voice.json beside it, so a personal model loads and predicts exactly like the base.
// It lets the live app's enrolment be tested without training.
// The browser test (tests/live/enrol-panel.test.ts) uses the real library.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EnrolOptions, EnrolResult, EnrolTake, VoiceInfo } from '../enrol/voice-api';

export const FAKE_VOICE_MODULE = __filename;
export const FAKE_METHOD = 'copy of the base model (test stand-in)';

export function checkTake(take: EnrolTake): string | null {
  const seconds = take.samples.length / take.sampleRate;
  if (seconds < 0.15) return `too short (${Math.round(seconds * 1000)} ms)`;
  let peak = 0;
  for (const v of take.samples) peak = Math.max(peak, Math.abs(v));
  if (peak < 0.01) return 'too quiet';
  return null;
}

export function voicesRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.DIGITS_HOME ? path.join(env.DIGITS_HOME, 'voices') : path.join(os.homedir(), '.digits', 'voices');
}

export function voiceDir(name: string, root = voicesRoot()): string {
  if (!/^[a-z0-9_-]{1,40}$/.test(name)) throw new Error(`bad voice name "${name}"`);
  return path.join(root, name);
}

export async function enrolVoice(opts: EnrolOptions): Promise<EnrolResult> {
  const started = performance.now();
  const rejected = opts.takes.flatMap((t) => {
    const reason = checkTake(t);
    return reason ? [{ name: t.name, reason }] : [];
  });
  const used = opts.takes.filter((t) => !checkTake(t));
  const steps = 5;
  for (let i = 1; i <= steps; i++) {
    await new Promise((r) => setTimeout(r, 20));
    opts.onProgress?.(i, steps);
  }
  if (existsSync(opts.outDir) && !opts.overwrite) throw new Error(`${opts.outDir} exists`);
  const tmp = `${opts.outDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const f of readdirSync(opts.baseModelDir)) copyFileSync(path.join(opts.baseModelDir, f), path.join(tmp, f));
  const info: VoiceInfo = {
    name: opts.voiceName ?? path.basename(opts.outDir),
    dir: opts.outDir,
    baseModel: opts.baseModelDir,
    takes: used.length,
    createdAt: new Date().toISOString(),
    method: FAKE_METHOD,
  };
  writeFileSync(path.join(tmp, 'voice.json'), JSON.stringify(info));
  rmSync(opts.outDir, { recursive: true, force: true });
  renameSync(tmp, opts.outDir);
  return {
    outDir: opts.outDir,
    takesUsed: used.map((t) => t.name),
    rejected,
    seconds: (performance.now() - started) / 1000,
    method: FAKE_METHOD,
  };
}

export function listVoices(root = voicesRoot()): VoiceInfo[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((name) => {
    const file = path.join(root, name, 'voice.json');
    return existsSync(file) ? [JSON.parse(readFileSync(file, 'utf8')) as VoiceInfo] : [];
  });
}
