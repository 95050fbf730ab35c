import { roomImpulseResponse, measureRt60, drawRoom, seededRng, colouredNoise, fftConvolve } from '@digits/acoustics';
for (const fam of ['train', 'held-out'] as const)
for (const rt of [0.2, 0.3, 0.6, 0.9, 1.0]) for (const sr of [8000, 16000, 48000]) {
  const out: string[] = [];
  for (let s = 0; s < 4; s++) {
    const room = drawRoom(seededRng(s * 13 + 1), fam, rt);
    const t0 = performance.now();
    const h = roomImpulseResponse(room, sr, s);
    const ms = performance.now() - t0;
    let e = 0, maxI = 0, first = -1; for (let i = 0; i < h.length; i++) { e += h[i] * h[i]; if (Math.abs(h[i]) > Math.abs(h[maxI])) maxI = i; if (first < 0 && h[i] !== 0) first = i; }
    out.push(`${measureRt60(h, sr).toFixed(3)}(${first},${maxI},${ms.toFixed(0)}ms)`);
  }
  console.log(fam, rt, sr, out.join(' '));
}
const x = Float32Array.from({ length: 50000 }, (_, i) => Math.sin(i * 0.01) + (i % 77) / 100);
const h = Float32Array.from({ length: 3000 }, (_, i) => Math.exp(-i / 300) * Math.cos(i));
const y = fftConvolve(x, h);
let err = 0;
for (const i of [0, 10, 2999, 3000, 40000, 52998]) { let s = 0; for (let j = 0; j < h.length; j++) if (i - j >= 0 && i - j < x.length) s += x[i - j] * h[j]; err = Math.max(err, Math.abs(s - y[i])); }
console.log('conv err', err, y.length);
