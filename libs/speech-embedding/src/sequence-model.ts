// The embedding model run over a whole run of mel frames at once instead of window by window.
//
// speech_embedding is fully convolutional in time: every time convolution is unpadded ("valid") and its three
// time poolings have stride 2, so over T = 76 + 8m frames it gives the m + 1 embeddings of the windows ending
// at frames 76, 84, ... exactly (the same numbers: each window's pooling pairs fall on the same frames). Nine
// overlapping windows then cost about two windows' work instead of nine. The shipped file fixes its input at
// 76 frames in two places, and this rewrites just those, in memory, without changing any byte's position:
//   - the graph input's time dimension (dim_value 76) becomes an unnamed dimension;
//   - the first node, Reshape(NHWC [-1, 76, 32, 1] -> NCHW [-1, 1, 76, 32]), gets [1, 1, -1, 32].
// The last node reshapes the NCHW output [1, 96, m + 1, 1] to [-1, 1, 1, 96]; it is left alone, so the output
// holds the embeddings channel-major (value c of window w at c * (m + 1) + w), which the caller transposes.
// The model file on disk and its sha256 are unchanged; the sha256 check still guards what is patched here.
import { EMBEDDING_DIM, MEL_BINS, WINDOW_FRAMES } from './framing';

interface Field {
  field: number;
  wire: number;
  /** Offset of the field's tag. */
  tag: number;
  /** Varint value (wire 0). */
  value?: bigint;
  /** Payload [start, end) (wire 2). */
  start: number;
  end: number;
}

/** The top-level fields of a protobuf message in bytes[start, end). */
function fields(bytes: Uint8Array, start: number, end: number): Field[] {
  const out: Field[] = [];
  let i = start;
  const varint = (): bigint => {
    let r = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (i >= end) throw new Error('truncated varint');
      const b = bytes[i++];
      r |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return r;
    }
  };
  while (i < end) {
    const tag = i;
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    if (wire === 0) {
      const s = i;
      const value = varint();
      out.push({ field, wire, tag, value, start: s, end: i });
    } else if (wire === 2) {
      const len = Number(varint());
      if (i + len > end) throw new Error(`field ${field} overruns its message`);
      out.push({ field, wire, tag, start: i, end: i + len });
      i += len;
    } else if (wire === 1 || wire === 5) {
      const len = wire === 1 ? 8 : 4;
      out.push({ field, wire, tag, start: i, end: i + len });
      i += len;
    } else throw new Error(`unsupported protobuf wire type ${wire} at byte ${tag}`);
  }
  return out;
}

const text = (bytes: Uint8Array, f: Field) => Buffer.from(bytes.subarray(f.start, f.end)).toString('utf8');
const sub = (bytes: Uint8Array, f: Field, n: number) => fields(bytes, f.start, f.end).filter((x) => x.field === n);

/** Int64 values of a TensorProto initializer named `name` (raw_data), with the offset of its raw bytes. */
function int64Initializer(bytes: Uint8Array, graph: Field, name: string): { values: bigint[]; at: number } {
  for (const init of sub(bytes, graph, 5)) {
    const f = fields(bytes, init.start, init.end);
    const n = f.find((x) => x.field === 8);
    if (!n || text(bytes, n) !== name) continue;
    const raw = f.find((x) => x.field === 9);
    const type = f.find((x) => x.field === 2)?.value;
    if (!raw || type !== 7n) throw new Error(`initializer ${name} is not raw int64 data`);
    const view = new DataView(bytes.buffer, bytes.byteOffset + raw.start, raw.end - raw.start);
    const values = Array.from({ length: view.byteLength / 8 }, (_, k) => view.getBigInt64(8 * k, true));
    return { values, at: raw.start };
  }
  throw new Error(`initializer ${name} not found`);
}

/**
 * A copy of the embedding model's bytes that takes [1, T, 32, 1] for any T >= 76 with T - 76 a multiple of
 * 8. Throws naming what differs if the file is not laid out like the shipped speech_embedding.
 */
export function sequenceModelBytes(model: Uint8Array): Uint8Array {
  const bytes = Uint8Array.from(model);
  const fail = (why: string): never => {
    throw new Error(`embedding model: cannot run it over a sequence of frames: ${why}`);
  };
  try {
    const graph = fields(bytes, 0, bytes.length).find((f) => f.field === 7) ?? fail('no graph');
    const nodes = sub(bytes, graph, 1);
    const nodeOf = (f: Field) => {
      const a = fields(bytes, f.start, f.end);
      return {
        op: text(bytes, a.find((x) => x.field === 4) ?? fail('a node without op_type')),
        inputs: a.filter((x) => x.field === 1).map((x) => text(bytes, x)),
      };
    };
    const inputs = sub(bytes, graph, 11);
    if (inputs.length !== 1) fail(`${inputs.length} graph inputs, expected 1`);
    const inputName = text(bytes, sub(bytes, inputs[0], 1)[0] ?? fail('an unnamed input'));
    // ValueInfoProto.type (2) -> TypeProto.tensor_type (1) -> shape (2) -> dim (1)*
    const tensorType = sub(bytes, sub(bytes, inputs[0], 2)[0] ?? fail('input without type'), 1)[0];
    const shape = sub(bytes, tensorType ?? fail('input is not a tensor'), 2)[0] ?? fail('input without shape');
    const dims = sub(bytes, shape, 1);
    const dimValue = (d: Field) => fields(bytes, d.start, d.end).find((x) => x.field === 1);
    const want = [undefined, WINDOW_FRAMES, MEL_BINS, 1];
    dims.forEach((d, k) => {
      if (k > 0 && dimValue(d)?.value !== BigInt(want[k]!)) fail(`input dim ${k} is not ${want[k]}`);
    });
    if (dims.length !== 4) fail(`input has ${dims.length} dims, expected 4`);

    const first = nodeOf(nodes.find((n) => nodeOf(n).inputs.includes(inputName)) ?? fail('input unused'));
    if (first.op !== 'Reshape') fail(`the input goes to ${first.op}, expected Reshape`);
    const inShape = int64Initializer(bytes, graph, first.inputs[1]);
    if (inShape.values.join(',') !== `-1,1,${WINDOW_FRAMES},${MEL_BINS}`) fail(`input reshape to [${inShape.values}]`);
    const last = nodeOf(nodes[nodes.length - 1]);
    if (last.op !== 'Reshape') fail(`the last node is ${last.op}, expected Reshape`);
    const outShape = int64Initializer(bytes, graph, last.inputs[1]);
    if (outShape.values.join(',') !== `-1,1,1,${EMBEDDING_DIM}`) fail(`output reshape to [${outShape.values}]`);

    // Patch, in place (same lengths): the reshape's target shape, then the input's time dimension, whose
    // two bytes (dim_value = 76: tag 0x08, one-byte varint) become an empty `denotation` (tag 0x1a, length 0).
    const view = new DataView(bytes.buffer, bytes.byteOffset + inShape.at, 32);
    [1n, 1n, -1n, BigInt(MEL_BINS)].forEach((v, k) => view.setBigInt64(8 * k, v, true));
    const time = dimValue(dims[1])!;
    if (time.end - time.tag !== 2) fail('the input time dimension is not a two-byte field');
    bytes[time.tag] = 0x1a;
    bytes[time.tag + 1] = 0;
  } catch (e) {
    if ((e as Error).message.startsWith('embedding model:')) throw e;
    fail((e as Error).message);
  }
  return bytes;
}
