// Writes pinned-embeddings.json: what the front end gives for the synthetic signal today. Run it only when the
// model files or the preprocessing change on purpose: `node --import tsx libs/speech-embedding/src/testing/pin-embeddings.ts`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadSpeechFrontEnd } from '../speech-front-end';
import { syntheticSpeech } from './synthetic-speech';

async function main(): Promise<void> {
  const seconds = 1.5;
  const seed = 11;
  const fe = await loadSpeechFrontEnd();
  const frames = await fe.embedAudio(syntheticSpeech(seconds, 16000, seed));
  const windows = frames.map((f) => ({
    index: f.index,
    head: Array.from(f.vector.slice(0, 8), (v) => Number(v.toFixed(6))),
    sum: Number(f.vector.reduce((a, b) => a + b, 0).toFixed(5)),
  }));
  writeFileSync(
    path.join(__dirname, 'pinned-embeddings.json'),
    JSON.stringify({ seconds, seed, windows }, null, 1) + '\n',
  );
  console.log(`pinned ${windows.length} windows`);
}
void main();
