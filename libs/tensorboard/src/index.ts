// TensorBoard scalar event files: writer, verifying reader, and the TFRecord/protobuf pieces beneath.
export { ScalarEventWriter, openRunWriters, type RunWriters } from './event-writer';
export { readEvents, readScalarEvents, type ScalarEvent } from './event-reader';
export { encodeEvent, decodeEvent, FILE_VERSION, type TfEvent, type SummaryValue } from './event-proto';
export { maskedCrc32c, encodeRecord, decodeRecords, readRecords, type TfRecord } from './tfrecord';
