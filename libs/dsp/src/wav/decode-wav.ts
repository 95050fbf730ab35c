import { WavDecodeError } from './wav-decode-error';

/** A decoded WAV file, mixed down to mono. */
export interface DecodedWav {
  /** Sample rate of the file in Hz (no resampling happens here). */
  sampleRate: number;
  /** Channel count of the file (before the mix-down). */
  channels: number;
  /** Mono samples in [-1, 1), the mean over channels, scaled like librosa/soundfile (int16 / 32768, ...). */
  samples: Float32Array;
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

const FORMAT_NAMES: Record<number, string> = {
  0x0002: 'MS ADPCM',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0055: 'MP3',
};

/** Sample rates accepted, in Hz: anything outside is a damaged or hostile header (a 1 Hz rate would be resampled into gigabytes). */
export const WAV_SAMPLE_RATE_RANGE = { min: 1000, max: 384000 } as const;
/** Most channels accepted: far above any real recording, low enough that a frame stays small. */
export const WAV_MAX_CHANNELS = 256;
/**
 * Longest clip decoded by default, in seconds. A longer clip is refused (not cut) before its samples are
 * allocated, so memory per clip stays bounded; raise it with `DecodeWavOptions.maxSeconds`.
 */
export const DEFAULT_MAX_WAV_SECONDS = 60;

export interface DecodeWavOptions {
  /** Refuse clips longer than this many seconds (default {@link DEFAULT_MAX_WAV_SECONDS}). */
  maxSeconds?: number;
}

type Encoding = 'uint8' | 'int16' | 'int24' | 'int32' | 'float32' | 'float64';

/**
 * Decode a RIFF/WAVE file to mono float32, like `librosa.load(path, sr=None, mono=True)` (soundfile backend).
 *
 * Supported: PCM integer 8 (unsigned), 16, 24 and 32 bit, IEEE float 32 (and 64) bit, also inside
 * WAVE_FORMAT_EXTENSIBLE; any channel count and any sample rate. Scaling follows libsndfile's float reads:
 * int8: (u - 128) / 128, int16: / 2^15, int24: / 2^23, int32: / 2^31 (rounded to float32), float: as stored.
 * Several channels are mixed to mono by their mean, in float32 like `librosa.to_mono`.
 *
 * @param bytes  the whole file
 * @param source a name for the bytes (file path), used in error messages; default `<bytes>`
 * @throws WavDecodeError if the bytes are not RIFF/WAVE, a chunk is truncated, the encoding is unsupported
 *   (A-law, mu-law, ADPCM, 12-bit, ...), there are no samples, the sample rate is outside
 *   {@link WAV_SAMPLE_RATE_RANGE}, there are more than {@link WAV_MAX_CHANNELS} channels, or the clip is longer
 *   than `options.maxSeconds` (checked before any sample is decoded).
 */
export function decodeWav(bytes: Uint8Array, source = '<bytes>', options: DecodeWavOptions = {}): DecodedWav {
  const maxSeconds = options.maxSeconds ?? DEFAULT_MAX_WAV_SECONDS;
  const fail = (problem: string): never => {
    throw new WavDecodeError(source, problem);
  };
  if (bytes.length < 12) fail(`not a RIFF/WAVE file (only ${bytes.length} bytes)`);
  const magic = ascii(bytes, 0, 4);
  if (magic !== 'RIFF' && magic !== 'RIFX') fail(`not a RIFF/WAVE file (starts with ${quoted(magic)})`);
  if (ascii(bytes, 8, 4) !== 'WAVE') fail(`not a RIFF/WAVE file (form type ${quoted(ascii(bytes, 8, 4))})`);
  const bigEndian = magic === 'RIFX';
  // Own chunk parsing rather than wavefile's: wavefile does not notice truncated chunks, reads the pad byte
  // of an odd-sized data chunk as audio, and picks int vs float from the format tag alone (so an
  // EXTENSIBLE float file would be read as integers). The RIFF layout is simple enough to walk here.
  const { fmtOffset, dataOffset, dataSize } = findChunks(bytes, bigEndian, fail);
  const data = bytes.subarray(dataOffset, dataOffset + dataSize);
  const { encoding, channels, sampleRate, bytesPerSample } = checkFormat(bytes, fmtOffset, bigEndian, fail);
  const frameBytes = bytesPerSample * channels;
  // Like libsndfile, a trailing partial frame is ignored.
  const frames = Math.floor(data.length / frameBytes);
  if (data.length === 0) fail('no samples (empty data chunk)');
  if (frames === 0) {
    fail(
      `no samples: the ${data.length}-byte data chunk holds no whole frame of ${channels} channels x ${bytesPerSample} bytes`,
    );
  }
  checkDuration(frames, sampleRate, maxSeconds, fail);

  const samples = mixToMono(data, encoding, channels, frames, bigEndian);
  if (encoding === 'float32' || encoding === 'float64') {
    // librosa refuses non-finite audio; read as silence it would be classified without a word.
    for (let i = 0; i < frames; i++) {
      if (!Number.isFinite(samples[i])) fail(`sample ${i} is ${samples[i]} (audio must be finite)`);
    }
  }
  return { sampleRate, channels, samples };
}

/**
 * Refuses a WAV from its first bytes, before the rest is read or inflated: throws the WavDecodeError
 * {@link decodeWav} would throw for the whole file when the prefix already shows its format is refused
 * (encoding, channel count, rate), its data chunk runs past `totalBytes`, or the data chunk declares more
 * than `options.maxSeconds`. Returns when the prefix is too short to tell, or shows no problem (the full
 * decode still decides).
 * @param prefix the first bytes of the file
 * @param totalBytes the file's whole size (for a zip entry: its declared size)
 */
export function checkWavPrefix(
  prefix: Uint8Array,
  totalBytes: number,
  source = '<bytes>',
  options: DecodeWavOptions = {},
): void {
  const fail = (problem: string): never => {
    throw new WavDecodeError(source, problem);
  };
  if (prefix.length < 12 || ascii(prefix, 8, 4) !== 'WAVE') return;
  const magic = ascii(prefix, 0, 4);
  if (magic !== 'RIFF' && magic !== 'RIFX') return;
  const bigEndian = magic === 'RIFX';
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  let fmtOffset = -1;
  for (let offset = 12; offset + 8 <= prefix.length;) {
    const id = ascii(prefix, offset, 4);
    const size = view.getUint32(offset + 4, !bigEndian);
    if (id === 'fmt ' && fmtOffset < 0) {
      if (size < 16 || offset + 8 + size > prefix.length) return;
      fmtOffset = offset + 8;
    }
    if (id === 'data') {
      if (offset + 8 + size > totalBytes) {
        fail(`truncated "data" chunk: declares ${size} bytes, only ${totalBytes - offset - 8} present`);
      }
      if (fmtOffset < 0) return;
      const { channels, sampleRate, bytesPerSample } = checkFormat(prefix, fmtOffset, bigEndian, fail);
      checkDuration(
        Math.floor(size / (bytesPerSample * channels)),
        sampleRate,
        options.maxSeconds ?? DEFAULT_MAX_WAV_SECONDS,
        fail,
      );
      return;
    }
    offset += 8 + size + (size & 1);
  }
}

interface WavFormat {
  encoding: Encoding;
  channels: number;
  sampleRate: number;
  bytesPerSample: number;
}

/** Reads and checks the "fmt " chunk at `fmtOffset` (its first 16 bytes, or 26 for EXTENSIBLE, must be present). */
function checkFormat(bytes: Uint8Array, fmtOffset: number, bigEndian: boolean, fail: (p: string) => never): WavFormat {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = !bigEndian;
  const fmt = {
    audioFormat: view.getUint16(fmtOffset, le),
    numChannels: view.getUint16(fmtOffset + 2, le),
    sampleRate: view.getUint32(fmtOffset + 4, le),
    bitsPerSample: view.getUint16(fmtOffset + 14, le),
    fmtSize: view.getUint32(fmtOffset - 4, le),
  };
  let format = fmt.audioFormat;
  if (format === WAVE_FORMAT_EXTENSIBLE) {
    // The sub-format GUID at byte 24 starts with the plain format tag (KSDATAFORMAT_SUBTYPE_PCM = 0x00000001-...).
    if (fmt.fmtSize < 40) fail('WAVE_FORMAT_EXTENSIBLE without a sub-format');
    format = view.getUint16(fmtOffset + 24, le);
  }
  const bits = fmt.bitsPerSample;
  let encoding: Encoding | undefined;
  if (format === WAVE_FORMAT_PCM) {
    encoding = bits === 8 ? 'uint8' : bits === 16 ? 'int16' : bits === 24 ? 'int24' : bits === 32 ? 'int32' : undefined;
    if (!encoding) fail(`unsupported encoding: ${bits}-bit PCM (only 8, 16, 24 and 32 bit)`);
  } else if (format === WAVE_FORMAT_IEEE_FLOAT) {
    encoding = bits === 32 ? 'float32' : bits === 64 ? 'float64' : undefined;
    if (!encoding) fail(`unsupported encoding: ${bits}-bit IEEE float`);
  } else {
    const name = FORMAT_NAMES[format] ?? 'unknown';
    fail(
      `unsupported encoding: format tag 0x${format.toString(16).padStart(4, '0')} (${name}); only PCM and IEEE float`,
    );
  }
  const channels = fmt.numChannels;
  if (!(channels >= 1)) fail('invalid channel count 0');
  if (channels > WAV_MAX_CHANNELS) fail(`invalid channel count ${channels} (at most ${WAV_MAX_CHANNELS})`);
  const { min, max } = WAV_SAMPLE_RATE_RANGE;
  if (!(fmt.sampleRate >= min && fmt.sampleRate <= max)) {
    fail(`sample rate ${fmt.sampleRate} Hz is outside the supported range ${min}-${max} Hz`);
  }

  return { encoding: encoding!, channels, sampleRate: fmt.sampleRate, bytesPerSample: bits / 8 };
}

function checkDuration(frames: number, sampleRate: number, maxSeconds: number, fail: (p: string) => never): void {
  const seconds = frames / sampleRate;
  if (seconds > maxSeconds) {
    fail(
      `clip is ${seconds.toFixed(1)} s long (${frames} frames at ${sampleRate} Hz), more than the limit of ${maxSeconds} s`,
    );
  }
}

/** Bytes from the file in quotes, anything but printable ASCII as \\xNN: an ESC from a chunk id never reaches a terminal. */
function quoted(s: string): string {
  return `"${s.replace(/[^\x20-\x7e]|["\\]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}"`;
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  let s = '';
  for (let i = offset; i < offset + length && i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** Walk the top-level chunks: locate "fmt " and "data", and fail on one that runs past the end of the file. */
function findChunks(
  bytes: Uint8Array,
  bigEndian: boolean,
  fail: (p: string) => never,
): { fmtOffset: number; dataOffset: number; dataSize: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  let fmtOffset = -1;
  let dataOffset = -1;
  let dataSize = 0;
  while (offset + 8 <= bytes.length) {
    const id = ascii(bytes, offset, 4);
    const size = view.getUint32(offset + 4, !bigEndian);
    const end = offset + 8 + size;
    if (end > bytes.length) {
      fail(`truncated ${quoted(id.trim())} chunk: declares ${size} bytes, only ${bytes.length - offset - 8} present`);
    }
    if (id === 'fmt ' && fmtOffset < 0) {
      if (size < 16) fail(`truncated "fmt" chunk: ${size} bytes, at least 16 needed`);
      fmtOffset = offset + 8;
    }
    if (id === 'data' && dataOffset < 0) {
      dataOffset = offset + 8;
      dataSize = size;
    }
    offset = end + (size & 1); // chunks are word aligned: odd sizes are followed by a pad byte
  }
  if (offset < bytes.length && dataOffset < 0) fail('truncated chunk header');
  if (fmtOffset < 0) fail('no "fmt" chunk');
  if (dataOffset < 0) fail('no "data" chunk');
  return { fmtOffset, dataOffset, dataSize };
}

/** Convert interleaved samples to float32 and average the channels in float32 (as numpy's mean does). */
function mixToMono(
  data: Uint8Array,
  encoding: Encoding,
  channels: number,
  frames: number,
  bigEndian: boolean,
): Float32Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const le = !bigEndian;
  const read = sampleReader(view, encoding, le);
  const out = new Float32Array(frames);
  const step = bytesOf(encoding);
  if (channels === 1) {
    for (let i = 0; i < frames; i++) out[i] = read(i * step);
    return out;
  }
  // numpy: mean(axis=0) = c0 + (c1 + c2 + ...) summed in float32, then divided by the count in float32.
  const frameBytes = step * channels;
  for (let i = 0; i < frames; i++) {
    const base = i * frameBytes;
    let rest = 0;
    for (let c = 1; c < channels; c++) rest = Math.fround(rest + read(base + c * step));
    out[i] = Math.fround(Math.fround(read(base) + rest) / channels);
  }
  return out;
}

function bytesOf(encoding: Encoding): number {
  switch (encoding) {
    case 'uint8':
      return 1;
    case 'int16':
      return 2;
    case 'int24':
      return 3;
    case 'int32':
    case 'float32':
      return 4;
    case 'float64':
      return 8;
  }
}

/** One sample at a byte offset, as float32 value (the scaling of libsndfile's sf_read_float). */
function sampleReader(view: DataView, encoding: Encoding, le: boolean): (offset: number) => number {
  switch (encoding) {
    case 'uint8':
      return (o) => (view.getUint8(o) - 128) / 128;
    case 'int16':
      return (o) => view.getInt16(o, le) / 32768;
    case 'int24':
      return le
        ? (o) => (view.getUint8(o) | (view.getUint8(o + 1) << 8) | (view.getInt8(o + 2) << 16)) / 8388608
        : (o) => (view.getUint8(o + 2) | (view.getUint8(o + 1) << 8) | (view.getInt8(o) << 16)) / 8388608;
    // libsndfile converts the int32 to float first, then scales by 2^-31 (exact), i.e. fround(v / 2^31).
    case 'int32':
      return (o) => Math.fround(view.getInt32(o, le) / 2147483648);
    case 'float32':
      return (o) => view.getFloat32(o, le);
    case 'float64':
      return (o) => Math.fround(view.getFloat64(o, le));
  }
}
