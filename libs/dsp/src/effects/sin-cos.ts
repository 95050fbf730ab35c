// sin and cos of one argument from a single argument reduction, for the phase vocoder's hot loop (1025 bins
// per frame). Written by hand because JavaScript has no sincos and the two separate Math calls cost about
// twice as much. Accuracy: about 1 ulp in float64 (fdlibm's kernels after a Cody-Waite reduction), so the
// float32-rounded results librosa uses (cosf/sinf) agree with fround(Math.cos/sin) except in rare ties.

// pi/2 split as in fdlibm: PIO2_1 has 33 significant bits, so n * PIO2_1 is exact for |n| < 2^20.
const INV_PIO2 = 6.36619772367581382433e-1;
const PIO2_1 = 1.57079632673412561417;
const PIO2_1T = 6.07710050650619224932e-11;
const REDUCTION_LIMIT = 1.5e6; // |x| / (pi/2) stays well below 2^20

const S1 = -1.66666666666666324348e-1;
const S2 = 8.33333333332248946124e-3;
const S3 = -1.98412698298579493134e-4;
const S4 = 2.75573137070700676789e-6;
const S5 = -2.50507602534068634195e-8;
const S6 = 1.58969099521155010221e-10;
const C1 = 4.16666666666666019037e-2;
const C2 = -1.38888888888741095749e-3;
const C3 = 2.48015872894767294178e-5;
const C4 = -2.75573143513906633035e-7;
const C5 = 2.0875723212981748279e-9;
const C6 = -1.13596475577881948265e-11;

// Quadrant q = n mod 4: sin x = A[q] s + B[q] c and cos x = A[q] c - B[q] s, without branches.
const QA = Float64Array.from([1, 0, -1, 0]);
const QB = Float64Array.from([0, 1, 0, -1]);
const RINT_MAGIC = 6755399441055744; // 1.5 * 2^52: (v + M) - M rounds to the nearest integer

/** Writes sin(x) to out[0] and cos(x) to out[1]. */
export function sinCos(x: number, out: Float64Array): void {
  if (!(Math.abs(x) < REDUCTION_LIMIT)) {
    out[0] = Math.sin(x);
    out[1] = Math.cos(x);
    return;
  }
  const n = x * INV_PIO2 + RINT_MAGIC - RINT_MAGIC;
  const r = x - n * PIO2_1 - n * PIO2_1T; // |r| <= pi/4 (plus rounding)
  const z = r * r;
  const s = r + r * z * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)))));
  const hz = 0.5 * z;
  const w = 1.0 - hz;
  const c = w + (1.0 - w - hz + z * z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6))))));
  const q = n & 3;
  const a = QA[q];
  const b = QB[q];
  out[0] = a * s + b * c;
  out[1] = a * c - b * s;
}
