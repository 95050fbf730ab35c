// Benchmark (not a test): single-thread speed of the feature path on real FSDD clips.
// Run from the repo root: npx tsx libs/dsp/bench/dsp-speed.ts [clips=50]
// Prints mean CPU ms per clip for: decode+resample to 22050 Hz, one log-mel, and the 9 augmentations
// (time stretch 0.7/1/1.3 x pitch shift -1/0/+1) including their 9 log-mels, with the shared-work grid and
// with separate calls.
import fs from 'node:fs';
import path from 'node:path';
import {
  decodeWav,
  fixLength,
  logMelSpectrogram,
  pitchShift,
  resample,
  timeStretch,
  timeStretchPitchShiftGrid,
} from '../src/index';
import { FSDD_RECORDINGS } from '../src/testing';

const dir = FSDD_RECORDINGS;
const count = Number(process.argv[2] ?? 50);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.wav'))
  .sort();
const step = Math.max(1, Math.floor(files.length / count));
const picked = files.filter((_, i) => i % step === 0).slice(0, count);
const bytes = picked.map((f) => new Uint8Array(fs.readFileSync(path.join(dir, f))));
const SR = 22050;
const opts = { sampleRate: SR, nMels: 64 };

function load(b: Uint8Array): Float32Array {
  const d = decodeWav(b);
  return resample(d.samples, d.sampleRate, SR);
}
function augment(y: Float32Array): Float32Array[] {
  const out: Float32Array[] = [];
  for (const row of timeStretchPitchShiftGrid(y, SR, [0.7, 1, 1.3], [-1, 0, 1], { length: 17640 })) {
    for (const shifted of row) out.push(logMelSpectrogram(fixLength(shifted, 17640), opts));
  }
  return out;
}

/** The same 9 augmentations by separate timeStretch + pitchShift calls (no shared work). */
function augmentSeparately(y: Float32Array): Float32Array[] {
  const out: Float32Array[] = [];
  for (const rate of [0.7, 1, 1.3]) {
    for (const n of [-1, 0, 1])
      out.push(logMelSpectrogram(fixLength(pitchShift(timeStretch(y, rate), SR, n), 17640), opts));
  }
  return out;
}

// Warm up (JIT, filter tables, FFT plans).
for (const b of bytes.slice(0, 3)) {
  augment(load(b));
  augmentSeparately(load(b));
}

/** CPU milliseconds per clip of `run` (CPU time, less disturbed by other processes than wall time). */
function cpuMsPerClip(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / bytes.length;
}

let signals: Float32Array[] = [];
const loadMs = cpuMsPerClip(() => {
  signals = bytes.map(load);
});
const melMs = cpuMsPerClip(() => signals.forEach((y) => logMelSpectrogram(fixLength(y, 17640), opts)));
const augMs = cpuMsPerClip(() => signals.forEach(augment));
const separateMs = cpuMsPerClip(() => signals.forEach(augmentSeparately));
const meanS = signals.reduce((s, y) => s + y.length, 0) / signals.length / SR;
console.log(`${bytes.length} clips, mean ${meanS.toFixed(3)} s`);
console.log(`load+resample     ${loadMs.toFixed(2)} ms/clip`);
console.log(`logmel            ${melMs.toFixed(2)} ms/clip`);
console.log(`9 augs + logmels  ${augMs.toFixed(2)} ms/clip (timeStretchPitchShiftGrid, length 17640)`);
console.log(`9 augs + logmels  ${separateMs.toFixed(2)} ms/clip (separate timeStretch + pitchShift calls)`);
