// The part of @digits/voice (libs/voice: enrolment of a personal voice) the live app uses, as types.
// The live app reaches the library only inside its voice worker thread (voice-worker.ts), so training
// never runs on the thread that carries the audio and the WebSocket.
// TODO(merge): once libs/voice is in main, these become `import type { ... } from '@digits/voice'`.

/** One recorded take of a digit. */
export interface EnrolTake {
  digit: number;
  /** e.g. "7_ada_2" (FSDD's naming: digit, speaker, take). */
  name: string;
  samples: Float32Array;
  sampleRate: number;
}

export interface EnrolOptions {
  baseModelDir: string;
  takes: readonly EnrolTake[];
  outDir: string;
  overwrite?: boolean;
  voiceName?: string;
  seed?: number;
  minTakesPerDigit?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface EnrolResult {
  outDir: string;
  takesUsed: string[];
  rejected: { name: string; reason: string }[];
  seconds: number;
  method: string;
}

export interface VoiceInfo {
  name: string;
  dir: string;
  baseModel: string;
  takes: number;
  createdAt: string;
  method: string;
}

/** The functions of @digits/voice the voice worker calls. */
export interface VoiceModule {
  checkTake(take: EnrolTake): string | null;
  enrolVoice(opts: EnrolOptions): Promise<EnrolResult>;
  voicesRoot(env?: NodeJS.ProcessEnv): string;
  voiceDir(name: string, root?: string): string;
  listVoices(root?: string): VoiceInfo[];
}
