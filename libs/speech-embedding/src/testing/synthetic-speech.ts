// A deterministic speech-like test signal (no recordings in the repository): voiced bursts with moving
// formant-ish partials and a little noise, separated by quiet gaps.
export function syntheticSpeech(seconds: number, sampleRate = 16000, seed = 1): Float32Array {
  const n = Math.round(seconds * sampleRate);
  const out = new Float32Array(n);
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const syllable = Math.max(0, Math.sin(Math.PI * t * 3)); // ~3 bursts per second
    const f0 = 120 + 30 * Math.sin(2 * Math.PI * 0.7 * t);
    let v = 0;
    for (let h = 1; h <= 12; h++) {
      const formant = 1 / (1 + ((h * f0 - 700 - 300 * Math.sin(2 * Math.PI * 1.3 * t)) / 250) ** 2);
      v += formant * Math.sin(2 * Math.PI * h * f0 * t);
    }
    out[i] = 0.25 * syllable * v + 0.003 * rand();
  }
  return out;
}
