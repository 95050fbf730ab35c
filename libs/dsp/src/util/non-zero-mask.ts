/**
 * The numpy mask `x != 0` as bytes: 1 where the sample is non-zero, 0 where it is exactly 0 (or -0).
 * On a padded clip it marks the real signal (librosa's last loaded sample is usually exactly 0, so the
 * mask then covers n - 1 samples).
 */
export function nonZeroMask(x: Float32Array): Uint8Array {
  const mask = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) mask[i] = x[i] !== 0 ? 1 : 0;
  return mask;
}
