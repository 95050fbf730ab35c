// The voice process: runs @digits/voice (take checks, the enrolment training, the voice list) beside the
// live app, so capture, the WebSocket and predictions never wait on training. A process, not a worker
// thread: onnxruntime-node (the speech-embedding front end of model 6) loads in one thread per process
// only ("Module did not self-register" in a second one), and the classifier worker already holds it.
import type { VoiceModule } from './voice-api';
import { VOICE_PROCESS_ENV, type FromVoiceProcess, type ToVoiceProcess, type VoiceProcessData } from './voice-protocol';

if (!process.send) throw new Error('voice-process must run as a child process with an IPC channel');
const post = (m: FromVoiceProcess) => process.send?.(m);
const data = JSON.parse(process.env[VOICE_PROCESS_ENV] ?? '{}') as VoiceProcessData;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is chosen at run time (tests pass a stand-in)
const voice = require(data.module) as VoiceModule;
const root = data.root ?? voice.voicesRoot(process.env);

async function answer(m: ToVoiceProcess): Promise<FromVoiceProcess> {
  switch (m.type) {
    case 'check':
      return { type: 'checked', id: m.id, problem: voice.checkTake(m.take) };
    case 'list': {
      const voices = voice.listVoices(root).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return { type: 'listed', id: m.id, voices };
    }
    case 'enrol': {
      const result = await voice.enrolVoice({
        baseModelDir: m.baseModelDir,
        takes: m.takes,
        outDir: voice.voiceDir(m.name, root),
        overwrite: true,
        voiceName: m.name,
        minTakesPerDigit: m.minTakesPerDigit,
        onProgress: (done, total) => post({ type: 'progress', id: m.id, done, total }),
      });
      return { type: 'enrolled', id: m.id, result };
    }
  }
}

process.on('message', (m: ToVoiceProcess) => {
  answer(m).then(post, (err: unknown) =>
    post({ type: 'failed', id: m.id, message: err instanceof Error ? err.message : String(err) }),
  );
});
// The live app is gone (or closed the channel): nothing left to do.
process.on('disconnect', () => process.exit(0));
