// The voice worker thread: runs @digits/voice (take checks, the enrolment training, the voice list) off
// the live app's main thread, so capture, the WebSocket and predictions never wait on training.
import { parentPort, workerData } from 'node:worker_threads';
import type { VoiceModule } from './voice-api';
import type { FromVoiceWorker, ToVoiceWorker, VoiceWorkerData } from './voice-protocol';

const port = parentPort;
if (!port) throw new Error('voice-worker must run in a worker thread');
const post = (m: FromVoiceWorker) => port.postMessage(m);
const data = workerData as VoiceWorkerData;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is chosen at run time (tests pass a stand-in)
const voice = require(data.module) as VoiceModule;
const root = data.root ?? voice.voicesRoot(process.env);

async function answer(m: ToVoiceWorker): Promise<FromVoiceWorker> {
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

port.on('message', (m: ToVoiceWorker) => {
  answer(m).then(post, (err: unknown) =>
    post({ type: 'failed', id: m.id, message: err instanceof Error ? err.message : String(err) }),
  );
});
