import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readF32, readManifest, readRecording } from '../testing/reference-fixtures';
import { decodeWav } from './decode-wav';
import { encodeWav16 } from './encode-wav';
import { WavDecodeError } from './wav-decode-error';

// WAV files are built byte by byte here (not with the library under test), so each case is exactly what it claims.

interface WavSpec {
  format?: number; // fmt audioFormat tag
  channels?: number;
  sampleRate?: number;
  bits: number;
  data: Uint8Array;
  extensibleSubformat?: number; // write WAVE_FORMAT_EXTENSIBLE with this sub-format tag
  chunksBeforeData?: Uint8Array[];
  riff?: string;
  wave?: string;
  bigEndian?: boolean;
}

function chunk(id: string, body: Uint8Array, declaredSize = body.length, bigEndian = false): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length & 1));
  for (let i = 0; i < 4; i++) out[i] = id.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, declaredSize, !bigEndian);
  out.set(body, 8);
  return out;
}

function fmtBody(spec: WavSpec): Uint8Array {
  const channels = spec.channels ?? 1;
  const sampleRate = spec.sampleRate ?? 8000;
  const blockAlign = (channels * spec.bits) / 8;
  const extensible = spec.extensibleSubformat !== undefined;
  const body = new Uint8Array(extensible ? 40 : 16);
  const v = new DataView(body.buffer);
  const le = !spec.bigEndian;
  v.setUint16(0, extensible ? 0xfffe : (spec.format ?? 1), le);
  v.setUint16(2, channels, le);
  v.setUint32(4, sampleRate, le);
  v.setUint32(8, Math.floor(sampleRate * blockAlign), le);
  v.setUint16(12, Math.floor(blockAlign), le);
  v.setUint16(14, spec.bits, le);
  if (extensible) {
    v.setUint16(16, 22, le); // cbSize
    v.setUint16(18, spec.bits, le); // valid bits
    v.setUint32(20, 0, le); // channel mask
    // GUID {tag}-0000-0010-8000-00aa00389b71
    v.setUint32(24, spec.extensibleSubformat!, le);
    body.set([0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 28);
  }
  return body;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function buildWav(spec: WavSpec): Uint8Array {
  const be = spec.bigEndian ?? false;
  const body = concat([
    new TextEncoder().encode(spec.wave ?? 'WAVE'),
    chunk('fmt ', fmtBody(spec), undefined, be),
    ...(spec.chunksBeforeData ?? []),
    chunk('data', spec.data, undefined, be),
  ]);
  const header = new Uint8Array(8);
  header.set(new TextEncoder().encode(spec.riff ?? (be ? 'RIFX' : 'RIFF')));
  new DataView(header.buffer).setUint32(4, body.length, !be);
  return concat([header, body]);
}

function pcm(values: number[], bytes: number, write: (v: DataView, o: number, x: number) => void): Uint8Array {
  const out = new Uint8Array(values.length * bytes);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => write(v, i * bytes, x));
  return out;
}
const int16 = (xs: number[], be = false) => pcm(xs, 2, (v, o, x) => v.setInt16(o, x, !be));
const int24 = (xs: number[]) =>
  pcm(xs, 3, (v, o, x) => {
    v.setUint8(o, x & 0xff);
    v.setUint8(o + 1, (x >> 8) & 0xff);
    v.setUint8(o + 2, (x >> 16) & 0xff);
  });
const int32 = (xs: number[]) => pcm(xs, 4, (v, o, x) => v.setInt32(o, x, true));
const float32 = (xs: number[]) => pcm(xs, 4, (v, o, x) => v.setFloat32(o, x, true));
const float64 = (xs: number[]) => pcm(xs, 8, (v, o, x) => v.setFloat64(o, x, true));

const f32 = (xs: number[]) => Float32Array.from(xs);

describe('decodeWav: encodings (scaled like librosa/soundfile)', () => {
  it('8-bit PCM is unsigned and centred: (u - 128) / 128', () => {
    const d = decodeWav(buildWav({ bits: 8, data: Uint8Array.from([0, 128, 255, 64]) }), 'u8.wav');
    assert.deepEqual(d.samples, f32([-1, 0, 127 / 128, -0.5]));
    assert.equal(d.sampleRate, 8000);
    assert.equal(d.channels, 1);
  });

  it('16-bit PCM: int16 / 32768', () => {
    const xs = [-32768, 0, 32767, 1234, -1];
    const d = decodeWav(buildWav({ bits: 16, data: int16(xs) }));
    assert.deepEqual(d.samples, f32(xs.map((x) => x / 32768)));
  });

  it('24-bit PCM: int24 / 2^23, sign-extended', () => {
    const xs = [-8388608, 0, 8388607, 123456, -1, -4660];
    const d = decodeWav(buildWav({ bits: 24, data: int24(xs) }));
    assert.deepEqual(d.samples, f32(xs.map((x) => x / 8388608)));
  });

  it('32-bit PCM: int32 / 2^31 rounded to float32', () => {
    const xs = [-2147483648, 0, 2147483647, 123456789, -7];
    const d = decodeWav(buildWav({ bits: 32, data: int32(xs) }));
    assert.deepEqual(d.samples, f32(xs.map((x) => x / 2147483648)));
    assert.equal(d.samples[2], 1); // 2^31 - 1 rounds up to 1.0 in float32, as in libsndfile
  });

  it('32-bit IEEE float: values as stored (out-of-range kept)', () => {
    const xs = [-1, 0.5, 0.25, 1.5, 1e-3];
    const d = decodeWav(buildWav({ format: 3, bits: 32, data: float32(xs) }));
    assert.deepEqual(d.samples, f32(xs));
  });

  it('64-bit IEEE float: rounded to float32', () => {
    const xs = [0.1, -0.3, 1 / 3];
    const d = decodeWav(buildWav({ format: 3, bits: 64, data: float64(xs) }));
    assert.deepEqual(d.samples, f32(xs));
  });

  it('WAVE_FORMAT_EXTENSIBLE with PCM and float sub-formats', () => {
    const a = decodeWav(buildWav({ bits: 24, extensibleSubformat: 1, data: int24([4194304, -4194304]) }));
    assert.deepEqual(a.samples, f32([0.5, -0.5]));
    const b = decodeWav(buildWav({ bits: 32, extensibleSubformat: 3, data: float32([0.75, -0.125]) }));
    assert.deepEqual(b.samples, f32([0.75, -0.125]));
  });

  it('big-endian RIFX 16-bit', () => {
    const d = decodeWav(buildWav({ bits: 16, data: int16([16384, -8192], true), bigEndian: true }));
    assert.deepEqual(d.samples, f32([0.5, -0.25]));
  });

  it('stereo is mixed to mono by the channel mean (float32), any sample rate is reported', () => {
    const left = [1000, -2000, 32767];
    const right = [3000, 500, -32768];
    const inter = left.flatMap((l, i) => [l, right[i]]);
    const d = decodeWav(buildWav({ bits: 16, channels: 2, sampleRate: 44100, data: int16(inter) }), 'stereo.wav');
    assert.equal(d.channels, 2);
    assert.equal(d.sampleRate, 44100);
    const expected = left.map((l, i) => Math.fround(Math.fround(l / 32768 + right[i] / 32768) / 2));
    assert.deepEqual(d.samples, f32(expected));
  });

  it('more channels: numpy mean order c0 + (c1 + c2), in float32, divided by the count', () => {
    const frames = [
      [0.1, 0.2, 0.3],
      [1, -1, 0.5],
    ];
    const d = decodeWav(
      buildWav({ format: 3, bits: 32, channels: 3, sampleRate: 48000, data: float32(frames.flat()) }),
    );
    const r = (x: number) => Math.fround(x);
    const expected = frames.map(([a, b, c]) => r(r(r(a) + r(r(r(b)) + r(c))) / 3));
    assert.deepEqual(d.samples, f32(expected));
    assert.equal(d.channels, 3);
    assert.equal(d.sampleRate, 48000);
  });

  it('skips other chunks (odd-sized ones are word aligned) and ignores a trailing partial frame', () => {
    const list = chunk('LIST', new TextEncoder().encode('INFOabc')); // 7 bytes + pad byte
    const data = concat([int16([100, 200]), Uint8Array.from([7])]);
    const d = decodeWav(buildWav({ bits: 16, data, chunksBeforeData: [list] }));
    assert.deepEqual(d.samples, f32([100 / 32768, 200 / 32768]));
  });

  it('decodes every reference FSDD recording exactly like librosa.load(sr=None)', () => {
    for (const stem of readManifest().selected) {
      const d = decodeWav(readRecording(stem), `${stem}.wav`);
      const ref = readF32(`base/${stem}.wav8k.f32`);
      assert.equal(d.sampleRate, 8000, stem);
      assert.equal(d.channels, 1, stem);
      assert.deepEqual(d.samples, ref, stem);
    }
  });
});

describe('decodeWav: errors name the file and the problem', () => {
  const expectError = (bytes: Uint8Array, problem: RegExp) => {
    assert.throws(
      () => decodeWav(bytes, 'recordings/broken.wav'),
      (e: unknown) => {
        assert.ok(e instanceof WavDecodeError, `not a WavDecodeError: ${String(e)}`);
        assert.equal(e.name, 'WavDecodeError');
        assert.equal(e.source, 'recordings/broken.wav');
        assert.match(e.message, /^recordings\/broken\.wav: /);
        assert.match(e.problem, problem);
        return true;
      },
    );
  };
  const good = buildWav({ bits: 16, data: int16([1, 2, 3, 4]) });

  it('not RIFF at all', () =>
    expectError(new TextEncoder().encode('ID3\u0004 this is an mp3 file, honest'), /not a RIFF\/WAVE file/));
  it('too short to hold a header', () =>
    expectError(Uint8Array.from([0x52, 0x49, 0x46]), /not a RIFF\/WAVE file \(only 3 bytes\)/));
  it('RIFF but not WAVE', () =>
    expectError(buildWav({ bits: 16, data: int16([1]), wave: 'AVI ' }), /form type "AVI "/));
  it('truncated data chunk', () =>
    expectError(good.subarray(0, good.length - 3), /truncated "data" chunk: declares 8 bytes, only 5 present/));
  it('truncated fmt chunk', () => expectError(good.subarray(0, 12 + 8 + 10), /truncated "fmt" chunk/));
  it('fmt chunk too small', () => {
    const bytes = concat([
      new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WAVE'),
      chunk('fmt ', new Uint8Array(8)),
      chunk('data', int16([1])),
    ]);
    expectError(bytes, /"fmt" chunk: 8 bytes, at least 16 needed/);
  });
  it('no data chunk', () => expectError(good.subarray(0, 12 + 8 + 16), /no "data" chunk/));
  it('no fmt chunk', () => {
    const bytes = concat([new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WAVE'), chunk('data', int16([1, 2]))]);
    expectError(bytes, /no "fmt" chunk/);
  });
  it('A-law is unsupported', () =>
    expectError(buildWav({ format: 6, bits: 8, data: Uint8Array.from([1, 2]) }), /unsupported encoding: .*A-law/));
  it('mu-law is unsupported', () =>
    expectError(buildWav({ format: 7, bits: 8, data: Uint8Array.from([1, 2]) }), /unsupported encoding: .*mu-law/));
  it('12-bit PCM is unsupported', () =>
    expectError(buildWav({ bits: 12, data: Uint8Array.from([1, 2, 3, 4]) }), /unsupported encoding: 12-bit PCM/));
  it('16-bit float is unsupported', () =>
    expectError(buildWav({ format: 3, bits: 16, data: int16([1]) }), /unsupported encoding: 16-bit IEEE float/));
  it('zero samples', () => expectError(buildWav({ bits: 16, data: new Uint8Array(0) }), /no samples/));
  it('less than one frame of samples', () =>
    expectError(buildWav({ bits: 16, channels: 2, data: int16([5]) }), /no samples/));
  it('zero channels', () => expectError(buildWav({ bits: 16, channels: 0, data: int16([5]) }), /channel count/));
  it('zero sample rate', () =>
    expectError(buildWav({ bits: 16, sampleRate: 0, data: int16([5]) }), /sample rate 0 Hz/));
  it('a sample rate below 1000 Hz is refused with the value and the range', () =>
    expectError(
      buildWav({ bits: 16, sampleRate: 1, data: int16([5]) }),
      /sample rate 1 Hz is outside the supported range 1000-384000 Hz/,
    ));
  it('a 4 GHz sample rate is refused with the value and the range', () =>
    expectError(
      buildWav({ bits: 16, sampleRate: 4e9, data: int16([5]) }),
      /sample rate 4000000000 Hz is outside the supported range 1000-384000 Hz/,
    ));
  it('65,535 channels is refused as a channel count, not reported as an empty data chunk', () =>
    expectError(
      buildWav({ bits: 16, channels: 65535, data: int16([5, 6]) }),
      /invalid channel count 65535 \(at most 256\)/,
    ));
  it('a data chunk shorter than one frame says so', () =>
    expectError(
      buildWav({ bits: 16, channels: 4, data: int16([5, 6]) }),
      /4-byte data chunk holds no whole frame of 4 channels x 2 bytes/,
    ));
  it('a clip longer than the default 60 s is refused before decoding; maxSeconds raises the limit', () => {
    const long = buildWav({ bits: 8, sampleRate: 1000, data: new Uint8Array(60_001).fill(128) });
    expectError(long, /clip is 60\.0 s long \(60001 frames at 1000 Hz\), more than the limit of 60 s/);
    assert.equal(decodeWav(long, 'long.wav', { maxSeconds: 61 }).samples.length, 60_001);
    assert.throws(() => decodeWav(long, 'long.wav', { maxSeconds: 1 }), /limit of 1 s/);
  });
  it('NaN and Inf float samples are refused, naming the sample', () => {
    expectError(
      buildWav({ format: 3, bits: 32, data: float32([0.5, NaN]) }),
      /sample 1 is NaN \(audio must be finite\)/,
    );
    expectError(
      buildWav({ format: 3, bits: 64, data: new Uint8Array(new Float64Array([Infinity]).buffer) }),
      /sample 0 is Infinity/,
    );
  });
  it('bytes from the file in messages are escaped: an ESC[2J chunk id never reaches the terminal', () => {
    const id = '\u001b[2J';
    const evil = buildWav({ bits: 16, data: int16([1]), chunksBeforeData: [chunk(id, new Uint8Array(0), 1000)] });
    expectError(evil, /^truncated "\\x1b\[2J" chunk/);
    expectError(
      Uint8Array.from([0x1b, 0x5b, 0x32, 0x4a, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45]),
      /starts with "\\x1b\[2J"\)/,
    );
    assert.throws(
      () => decodeWav(evil),
      (e: Error) => !e.message.includes('\u001b'),
    );
  });
  it('a chunk header cut short before any data chunk', () =>
    expectError(good.subarray(0, 12 + 8 + 16 + 5), /truncated chunk header/));
  it('without a source name the message says <bytes>', () => {
    assert.throws(() => decodeWav(new Uint8Array(4)), /^WavDecodeError: <bytes>: not a RIFF\/WAVE file/);
  });
});

describe('encodeWav16', () => {
  it('round-trips 16-bit values exactly through decodeWav', () => {
    const x = f32([0, 1 / 32768, -1, 32767 / 32768, -12345 / 32768, 0.5]);
    const d = decodeWav(encodeWav16(x, 16000), 'roundtrip.wav');
    assert.equal(d.sampleRate, 16000);
    assert.equal(d.channels, 1);
    assert.deepEqual(d.samples, x);
  });

  it('rounds to the nearest step and clips to the int16 range', () => {
    const d = decodeWav(encodeWav16(f32([1.5, -2, 0.4 / 32768, 0.6 / 32768, 1]), 8000));
    assert.deepEqual(d.samples, f32([32767 / 32768, -1, 0, 1 / 32768, 32767 / 32768]));
  });

  it('writes a canonical 44-byte header and rejects invalid rates', () => {
    const bytes = encodeWav16(new Float32Array(10), 22050);
    assert.equal(bytes.length, 44 + 20);
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), 'RIFF');
    assert.throws(() => encodeWav16(new Float32Array(1), 0), RangeError);
    assert.throws(() => encodeWav16(new Float32Array(1), 22050.5), RangeError);
  });
});
