// The live string benchmark's streams besides the offline benchmark's strings: isolated digits 0.5-1 s apart,
// and non-digit words and sounds.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeDigitString, type DigitString, type StringClipPool } from '@digits/dataset';
import { decodeWav, resample, seededUniform } from '@digits/dsp';
import { HELD_OUT_CONDITIONS } from '@digits/model';

/** Each clip alone, 0.5-1 s of quiet before it (1.2 s before the first), 16 kHz, no noise yet. */
export function isolatedStrings(pool: StringClipPool, count: number, seed: number): DigitString[] {
  const clips = [...pool.clips];
  const pick = Array.from(
    { length: Math.min(count, clips.length) },
    (_, i) => clips[Math.floor((i * clips.length) / Math.min(count, clips.length))],
  );
  const rand = seededUniform(seed);
  for (let i = pick.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [pick[i], pick[j]] = [pick[j], pick[i]];
  }
  return pick.map((c, i) =>
    composeDigitString([c], seed + i, {
      ...HELD_OUT_CONDITIONS,
      snrDb: null,
      sampleRate: 16000,
      leadMs: i === 0 ? [1200, 1200] : [500, 1000],
      edgeMs: i === pick.length - 1 ? [1000, 1000] : [0, 0],
    }),
  );
}

/** Non-digit words and sounds (the unknowns' group b) at -25 dBFS RMS, 0.5-1.5 s apart, in white noise 20 dB under. */
export function unknownStream(dir: string, seconds: number, seed: number): Float32Array {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    file: string;
    kind: string;
    group: string;
  }[];
  const pieces = manifest
    .filter((e) => e.group === 'b' && (e.kind === 'word' || e.kind === 'sound'))
    .map((e) => {
      const w = decodeWav(readFileSync(path.join(dir, e.file)), e.file);
      const x = w.sampleRate === 16000 ? w.samples : resample(w.samples, w.sampleRate, 16000);
      let p = 0;
      for (const v of x) p += v * v;
      const g = 10 ** (-25 / 20) / Math.sqrt(p / Math.max(1, x.length) || 1e-12);
      return x.map((v) => v * g);
    });
  if (pieces.length === 0) throw new Error(`${dir}/manifest.json: no group-b words or sounds`);
  const rand = seededUniform(seed);
  const out = new Float32Array(seconds * 16000);
  let at = 16000;
  while (at < out.length) {
    const p = pieces[Math.floor(rand() * pieces.length)];
    for (let i = 0; i < p.length && at + i < out.length; i++) out[at + i] += p[i];
    at += p.length + Math.round((0.5 + rand()) * 16000);
  }
  const sigma = 10 ** (-45 / 20);
  for (let i = 0; i < out.length; i++) {
    const u = 1 - rand();
    out[i] += sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  }
  return out;
}
