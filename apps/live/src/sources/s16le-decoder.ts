/** Scale of a 16-bit sample: int16 / 32,768, as decodeWav (and libsndfile) read 16-bit PCM. */
const INT16_SCALE = 1 / 32768;

/**
 * Turns a byte stream of signed 16-bit little-endian mono PCM into float samples. Pipes and sockets cut
 * their buffers anywhere, so an odd trailing byte waits for the next buffer instead of being lost or
 * shifting every later sample.
 */
export class S16leDecoder {
  private pending: number | undefined;

  /** Samples of `bytes` (plus a byte left over from the previous call), in -1..1. */
  push(bytes: Uint8Array): Float32Array {
    let start = 0;
    const carried = this.pending !== undefined ? 1 : 0;
    const total = carried + bytes.length;
    const out = new Float32Array(total >> 1);
    let i = 0;
    if (this.pending !== undefined && bytes.length > 0) {
      out[i++] = toInt16(this.pending | (bytes[0] << 8)) * INT16_SCALE;
      start = 1;
      this.pending = undefined;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (; start + 1 < bytes.length; start += 2) out[i++] = view.getInt16(start, true) * INT16_SCALE;
    if (start < bytes.length) this.pending = bytes[start];
    return i === out.length ? out : out.subarray(0, i);
  }

  /** Whether half a sample is waiting (a stream that ends now was truncated mid-sample). */
  get hasPartialSample(): boolean {
    return this.pending !== undefined;
  }
}

function toInt16(u16: number): number {
  return u16 >= 0x8000 ? u16 - 0x10000 : u16;
}
