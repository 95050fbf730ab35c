// The speech detector in rooms and noise: FSDD digits (0.5 s apart by default) each heard in a held-out
// synthetic room (@digits/acoustics), under a background at an SNR, cut by SpeechDetector. Counts clips that
// gave exactly one utterance, utterances that merged two clips, and utterances where no clip was. Prints
// numbers beside the goal (one utterance per digit); not a test.
//
//   node tools/run-ts.mjs libs/stream/bench/segmentation-rooms.ts [--clips 100] [--rate 16000] [--gap 500]
//        [--rt60 0,0.3,0.6,0.9] [--snr none,20,10] [--noise pink] [--detector '{"decayEndDb":0}']
//        [--family held-out|train]   (the rooms: held-out shapes, or the training family, to check a setting
//                                      on rooms the benchmarks never use)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  applyCondition,
  drawTrainCondition,
  heldOutCondition,
  makeNoise,
  mixAtSnr,
  seededRng,
  type NoiseKind,
} from '@digits/acoustics';
import { decodeWav, resample } from '@digits/dsp';
import { FSDD_RECORDINGS } from '@digits/dsp/testing';
import { SpeechDetector, type SpeechEndEvent } from '../src/index';

function main(): void {
  const { values } = parseArgs({
    options: {
      clips: { type: 'string', default: '100' },
      rate: { type: 'string', default: '16000' },
      gap: { type: 'string', default: '500' },
      rt60: { type: 'string', default: '0,0.3,0.6,0.9' },
      snr: { type: 'string', default: 'none,20,10' },
      noise: { type: 'string', default: 'pink' },
      seed: { type: 'string', default: '1' },
      detector: { type: 'string', default: '{}' },
      family: { type: 'string', default: 'held-out' },
    },
  });
  const rate = Number(values.rate);
  if (values.family !== 'held-out' && values.family !== 'train')
    throw new Error(`--family: expected held-out or train, got "${values.family}"`);
  // A room of the family with exactly this RT60, nothing else (no background, colouring or gain).
  const roomOf = (seed: number, rt60: number) =>
    values.family === 'train'
      ? drawTrainCondition(seed, {
          rt60: [rt60, rt60],
          roomProbability: 1,
          noiseProbability: 0,
          colourProbability: 0,
          gainDb: 0,
        })
      : heldOutCondition(seed, { rt60 });
  const all = readdirSync(FSDD_RECORDINGS)
    .filter((f) => /^\d_[a-z]+_\d+\.wav$/.test(f))
    .sort();
  const rand = seededRng(Number(values.seed));
  const files = Array.from({ length: Number(values.clips) }, () => rand.pick(all));
  const dry = files.map((f) => {
    const w = decodeWav(readFileSync(path.join(FSDD_RECORDINGS, f)), f);
    const x = resample(w.samples, w.sampleRate, rate);
    const rms = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
    return x.map((v) => (v * 10 ** (-22 / 20)) / rms);
  });
  const gap = Math.round((Number(values.gap) / 1000) * rate);
  console.log(
    `${files.length} FSDD digits at ${rate} Hz, ${values.gap} ms apart, -22 dBFS, ${values.family} rooms; detector ${values.detector}`,
  );
  for (const rt of values.rt60.split(',').map(Number))
    for (const snr of values.snr.split(',')) {
      const clips = dry.map((x, i) => (rt > 0 ? applyCondition(x, rate, roomOf(1000 + i, rt)) : x));
      const total = dry.reduce((s, x) => s + x.length + gap, gap) + rate;
      let stream: Float32Array = new Float32Array(total);
      const spans: [number, number][] = [];
      let pos = gap;
      clips.forEach((c, i) => {
        for (let j = 0; j < c.length && pos + j < total; j++) stream[pos + j] += c[j];
        spans.push([(pos * 1000) / rate, ((pos + dry[i].length) * 1000) / rate]);
        pos += dry[i].length + gap;
      });
      const floor = makeNoise('white', total, rate, seededRng(7));
      stream = mixAtSnr(stream, floor, 40, { signalPower: 10 ** (-22 / 10) }).mixed;
      if (snr !== 'none') {
        const noise = makeNoise(values.noise as NoiseKind, total, rate, seededRng(8));
        stream = mixAtSnr(stream, noise, Number(snr), { signalPower: 10 ** (-22 / 10) }).mixed;
      }
      const detector = new SpeechDetector(JSON.parse(values.detector));
      const ends: SpeechEndEvent[] = [];
      const frame = Math.round(rate / 100);
      for (let i = 0, k = 0; i < total; i += frame, k++) {
        const samples = stream.subarray(i, Math.min(total, i + frame));
        for (const e of detector.push({ samples, sampleRate: rate, index: k, tMs: (i * 1000) / rate }))
          if (e.type === 'end') ends.push(e);
      }
      for (const e of detector.finish()) if (e.type === 'end') ends.push(e);
      const perClip = spans.map(() => 0);
      let merged = 0;
      let spurious = 0;
      for (const e of ends) {
        const hit = spans.flatMap(([s, t], i) => (e.endMs > s && e.startMs < t ? [i] : []));
        if (hit.length === 0) spurious++;
        if (hit.length > 1) merged++;
        for (const i of hit) perClip[i]++;
      }
      // A digit counts once: exactly one utterance overlaps it, and that utterance overlaps no other digit.
      const inMerged = new Set<number>();
      for (const e of ends) {
        const hit = spans.flatMap(([s, t], i) => (e.endMs > s && e.startMs < t ? [i] : []));
        if (hit.length > 1) hit.forEach((i) => inMerged.add(i));
        if (process.env.DEBUG && hit.length > 1)
          console.log(
            `  ${e.startMs.toFixed(0)}-${e.endMs.toFixed(0)} ${e.reason} floor ${e.noiseFloorDbfs.toFixed(1)}: ${hit.map((i) => spans[i].map((v) => v.toFixed(0)).join('-')).join(' ')}`,
          );
      }
      const one = perClip.filter((n, i) => n === 1 && !inMerged.has(i)).length;
      const lengths = ends.map((e) => e.endMs - e.startMs).sort((a, b) => a - b);
      console.log(
        `RT60 ${rt.toFixed(1)} s, ${snr === 'none' ? 'no background' : `${values.noise} ${snr} dB`}: ` +
          `${one}/${spans.length} digits gave exactly one utterance (goal: all), ${perClip.filter((n) => n === 0).length} none, ` +
          `${perClip.filter((n) => n > 1).length} several; ${merged} utterances merged digits, ${spurious} outside any digit; ` +
          `utterance length median ${lengths[lengths.length >> 1]?.toFixed(0)} ms, max ${lengths.at(-1)?.toFixed(0)} ms`,
      );
    }
}

main();
