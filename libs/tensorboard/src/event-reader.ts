import { decodeEvent, type TfEvent } from './event-proto';
import { readRecords } from './tfrecord';

/** A scalar as TensorBoard plots it. `value` is float32-rounded, as stored. */
export interface ScalarEvent {
  step: number;
  wallTime: number;
  tag: string;
  value: number;
}

/**
 * Reads every Event of an event file, in file order, verifying both CRCs of every record. Errors
 * (bad CRC, truncation, malformed protobuf) name the file and the byte offset of the bad record.
 */
export function readEvents(file: string): TfEvent[] {
  return readRecords(file).map(({ offset, data }) => {
    try {
      return decodeEvent(data);
    } catch (err) {
      throw new Error(`${file}: bad Event in record at offset ${offset}: ${(err as Error).message}`);
    }
  });
}

/**
 * The scalars (Summary values with a simple_value) of an event file, in file order; other events and
 * values are skipped. Throws like {@link readEvents}.
 */
export function readScalarEvents(file: string): ScalarEvent[] {
  const out: ScalarEvent[] = [];
  for (const event of readEvents(file)) {
    for (const v of event.summary ?? []) {
      if (v.simpleValue !== undefined)
        out.push({ step: event.step, wallTime: event.wallTime, tag: v.tag, value: v.simpleValue });
    }
  }
  return out;
}
