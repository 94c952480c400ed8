/**
 * Packets travel from a source to the decoder in batches: parallel typed arrays that describe
 * where each packet lies inside one shared Buffer. A batch is valid only until the callback that
 * received it returns (the reader reuses the Buffer and the arrays for the next one), so the
 * steady state allocates nothing per packet.
 */
export const BATCH_CAPACITY = 4096;

export class PacketBatch {
  count = 0;
  /** The buffer that holds the packet bytes; packet i is data[offset[i] .. offset[i] + caplen[i]). */
  data: Buffer = Buffer.alloc(0);
  readonly offset = new Uint32Array(BATCH_CAPACITY);
  readonly caplen = new Uint32Array(BATCH_CAPACITY);
  /** Original (wire) length of the frame. */
  readonly wirelen = new Uint32Array(BATCH_CAPACITY);
  /** Epoch seconds, fractional (double: ~0.25 µs resolution at today's epoch). */
  readonly ts = new Float64Array(BATCH_CAPACITY);
  /** LINKTYPE_* (util/proto.ts) of the packet's interface. */
  readonly linkType = new Int32Array(BATCH_CAPACITY);
  /** Byte offset of the packet's record in the capture file (for messages). */
  readonly fileOffset = new Float64Array(BATCH_CAPACITY);
}

export type BatchHandler = (batch: PacketBatch) => void;
