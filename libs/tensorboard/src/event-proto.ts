// The few protobuf messages a scalar event file needs, hand-encoded: pulling in a protobuf runtime and
// TensorFlow's .proto files for five fields would cost more than it saves. Field numbers follow
// tensorflow/core/util/event.proto and tensorflow/core/framework/summary.proto:
//   Event         { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
//   Summary       { repeated Value value = 1; }
//   Summary.Value { string tag = 1; float simple_value = 2; }
// Every other field (images, histograms, tensors, graphs, ...) is skipped on decode.

/** The version string TensorBoard expects in the first event of every file. */
export const FILE_VERSION = 'brain.Event:2';

/** One Summary.Value; `simpleValue` is absent for non-scalar values (images, tensors, ...). */
export interface SummaryValue {
  tag: string;
  simpleValue?: number;
}

/** The Event fields this module knows; `fileVersion` and `summary` are alternatives (a proto oneof). */
export interface TfEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  summary?: SummaryValue[];
}

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

class ProtoWriter {
  private readonly parts: Buffer[] = [];

  private key(field: number, wireType: number): void {
    this.varint(BigInt((field << 3) | wireType));
  }

  private varint(v: bigint): void {
    const bytes: number[] = [];
    while (v > 0x7fn) {
      bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    bytes.push(Number(v));
    this.parts.push(Buffer.from(bytes));
  }

  int64(field: number, v: number): void {
    this.key(field, VARINT);
    // Negative int64s are varints of their 64-bit two's complement (10 bytes), as protobuf does.
    this.varint(BigInt.asUintN(64, BigInt(v)));
  }

  double(field: number, v: number): void {
    this.key(field, FIXED64);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    this.parts.push(b);
  }

  float(field: number, v: number): void {
    this.key(field, FIXED32);
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.parts.push(b);
  }

  bytes(field: number, v: Uint8Array): void {
    this.key(field, LENGTH_DELIMITED);
    this.varint(BigInt(v.length));
    this.parts.push(Buffer.from(v));
  }

  string(field: number, v: string): void {
    this.bytes(field, Buffer.from(v, 'utf8'));
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/**
 * Serialises an Event. Like protobuf's proto3 encoder, zero `step`/`wallTime` are left out (they are the
 * defaults); `simple_value` is always written because it sits in a oneof, where presence matters.
 */
export function encodeEvent(event: TfEvent): Buffer {
  if (!Number.isSafeInteger(event.step)) throw new Error(`event step must be an integer, got ${event.step}`);
  const w = new ProtoWriter();
  if (event.wallTime !== 0) w.double(1, event.wallTime);
  if (event.step !== 0) w.int64(2, event.step);
  if (event.fileVersion !== undefined) w.string(3, event.fileVersion);
  if (event.summary !== undefined) {
    const summary = new ProtoWriter();
    for (const v of event.summary) {
      const value = new ProtoWriter();
      value.string(1, v.tag);
      if (v.simpleValue !== undefined) value.float(2, v.simpleValue);
      summary.bytes(1, value.finish());
    }
    w.bytes(5, summary.finish());
  }
  return w.finish();
}

class ProtoReader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new Error(`protobuf: truncated field at byte ${this.pos}`);
  }

  varint(): bigint {
    let v = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      this.need(1);
      const b = this.buf[this.pos++];
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return v;
    }
    throw new Error(`protobuf: varint longer than 10 bytes at byte ${this.pos}`);
  }

  key(): { field: number; wireType: number } {
    const k = Number(this.varint());
    return { field: k >>> 3, wireType: k & 7 };
  }

  double(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  float(): number {
    this.need(4);
    const v = this.buf.readFloatLE(this.pos);
    this.pos += 4;
    return v;
  }

  bytes(): Buffer {
    const n = this.varint();
    if (n > BigInt(this.buf.length - this.pos)) throw new Error(`protobuf: truncated field at byte ${this.pos}`);
    const v = this.buf.subarray(this.pos, this.pos + Number(n));
    this.pos += Number(n);
    return v;
  }

  /** Skips a field this decoder does not use, so files written by TensorFlow itself still decode. */
  skip(wireType: number): void {
    if (wireType === VARINT) this.varint();
    else if (wireType === FIXED64) this.double();
    else if (wireType === LENGTH_DELIMITED) this.bytes();
    else if (wireType === FIXED32) this.float();
    else throw new Error(`protobuf: unsupported wire type ${wireType} at byte ${this.pos}`);
  }
}

function expectWireType(actual: number, expected: number, what: string): void {
  if (actual !== expected) throw new Error(`protobuf: ${what} has wire type ${actual}, expected ${expected}`);
}

function decodeValue(bytes: Buffer): SummaryValue {
  const r = new ProtoReader(bytes);
  const value: SummaryValue = { tag: '' };
  while (!r.done) {
    const { field, wireType } = r.key();
    if (field === 1) {
      expectWireType(wireType, LENGTH_DELIMITED, 'Summary.Value.tag');
      value.tag = r.bytes().toString('utf8');
    } else if (field === 2) {
      expectWireType(wireType, FIXED32, 'Summary.Value.simple_value');
      value.simpleValue = r.float();
    } else {
      r.skip(wireType);
    }
  }
  return value;
}

function decodeSummary(bytes: Buffer, into: SummaryValue[]): void {
  const r = new ProtoReader(bytes);
  while (!r.done) {
    const { field, wireType } = r.key();
    if (field === 1) {
      expectWireType(wireType, LENGTH_DELIMITED, 'Summary.value');
      into.push(decodeValue(r.bytes()));
    } else {
      r.skip(wireType);
    }
  }
}

/** Parses an Event, keeping wall_time, step, file_version and summary values; throws on malformed bytes. */
export function decodeEvent(bytes: Buffer): TfEvent {
  const r = new ProtoReader(bytes);
  const event: TfEvent = { wallTime: 0, step: 0 };
  while (!r.done) {
    const { field, wireType } = r.key();
    if (field === 1) {
      expectWireType(wireType, FIXED64, 'Event.wall_time');
      event.wallTime = r.double();
    } else if (field === 2) {
      expectWireType(wireType, VARINT, 'Event.step');
      event.step = Number(BigInt.asIntN(64, r.varint()));
    } else if (field === 3) {
      expectWireType(wireType, LENGTH_DELIMITED, 'Event.file_version');
      event.fileVersion = r.bytes().toString('utf8');
    } else if (field === 5) {
      expectWireType(wireType, LENGTH_DELIMITED, 'Event.summary');
      // Repeated occurrences of a message field merge, so their values concatenate.
      decodeSummary(r.bytes(), (event.summary ??= []));
    } else {
      r.skip(wireType);
    }
  }
  return event;
}
