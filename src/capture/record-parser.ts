import type { PacketBatch } from './packet-batch.js';

/**
 * A capture-format parser works on whatever bytes the driver has buffered: it fills `batch`
 * with every complete record in buf[start, end), calls `emit` whenever the batch is full,
 * and returns the offset of the first byte it did not consume (the start of an incomplete
 * record, to be retried with more data). `base` is the file offset of buf[0].
 */
export interface RecordParser {
  readonly format: string;
  /** Link types of the interfaces seen so far. */
  linkTypes: number[];
  /** What an incomplete record at the end of the data was waiting for ('' when nothing). */
  pending: string;
  parse(buf: Buffer, start: number, end: number, base: number, batch: PacketBatch, emit: () => void): number;
  /** Interface drop counters a format carries (pcapng ISB), when any. */
  drops?: () => number | null;
}
