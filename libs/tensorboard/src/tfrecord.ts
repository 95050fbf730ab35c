import { readFileSync } from 'node:fs';
import { buf as crc32c } from 'crc-32/crc32c';

// TFRecord framing, the container of TensorBoard event files:
//   uint64 LE length | uint32 LE masked CRC32C(length bytes) | data | uint32 LE masked CRC32C(data)

const HEADER_BYTES = 12;
const FOOTER_BYTES = 4;

/**
 * TensorFlow's masked CRC32C of `data`: the CRC rotated right by 15 bits plus 0xa282ead8 (mod 2^32).
 * The mask exists because a CRC over data that itself holds CRCs is weak; TensorBoard checks this form.
 */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c(data) >>> 0;
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** Frames one record's payload as a TFRecord (length, its CRC, data, its CRC). */
export function encodeRecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(HEADER_BYTES + data.length + FOOTER_BYTES);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, HEADER_BYTES);
  out.writeUInt32LE(maskedCrc32c(data), HEADER_BYTES + data.length);
  return out;
}

/** One decoded record: its payload and the byte offset of its header in the file. */
export interface TfRecord {
  offset: number;
  data: Buffer;
}

/**
 * Splits a TFRecord byte stream into records, verifying both CRCs of each. Errors name `source`
 * (usually the file path) and the offset of the bad record, so a torn or corrupted file is easy to find.
 */
export function decodeRecords(bytes: Buffer, source: string): TfRecord[] {
  const records: TfRecord[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const left = bytes.length - offset;
    if (left < HEADER_BYTES) {
      throw new Error(
        `${source}: truncated record at offset ${offset}: header needs ${HEADER_BYTES} bytes, ${left} left`,
      );
    }
    const lengthBytes = bytes.subarray(offset, offset + 8);
    if (bytes.readUInt32LE(offset + 8) !== maskedCrc32c(lengthBytes)) {
      throw new Error(`${source}: length CRC mismatch in record at offset ${offset} (corrupted file)`);
    }
    // Checked before converting, so a huge (but CRC-valid) length cannot lose precision as a number.
    const length = bytes.readBigUInt64LE(offset);
    const needed = BigInt(HEADER_BYTES + FOOTER_BYTES) + length;
    if (needed > BigInt(left)) {
      throw new Error(`${source}: truncated record at offset ${offset}: needs ${needed} bytes, ${left} left`);
    }
    const start = offset + HEADER_BYTES;
    const end = start + Number(length);
    const data = bytes.subarray(start, end);
    if (bytes.readUInt32LE(end) !== maskedCrc32c(data)) {
      throw new Error(`${source}: data CRC mismatch in record at offset ${offset} (corrupted file)`);
    }
    records.push({ offset, data });
    offset = end + FOOTER_BYTES;
  }
  return records;
}

/** Reads every record of a TFRecord file, verifying CRCs (see {@link decodeRecords}). */
export function readRecords(file: string): TfRecord[] {
  return decodeRecords(readFileSync(file), file);
}
