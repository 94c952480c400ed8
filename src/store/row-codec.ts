/**
 * How flows travel to the writer thread: numbers in a Float64Array (transferred, not copied)
 * and text as one JSON array of strings, both in flowRow() column order. Against JSON rows this
 * spares the reader's thread the number-to-text conversions (two fractional timestamps and a
 * dozen counters per flow), the row arrays and the stringify pass, and the writer the parse.
 * A flow classified on the reader's thread carries its classification as the key of its
 * classifications row (classKey), sent once per batch and named by number in the row's
 * numbers; the writer turns keys into class_id.
 *
 * Addresses travel as numbers into an address list both sides keep (RowEncoder/RowDecoder): an
 * estate has far fewer hosts than flows, so each host's text crosses once, and the writer holds
 * one string per host, whose hash V8 computes once for every later map lookup (the classifier
 * looks up both ends of every flow it classifies).
 */
import type { Classification, FlowRecord } from '../flow/flow-record.js';
import { columnIndex, DATA_COLUMNS } from './schema.js';
import { classKey } from './flow-rows.js';

/** Where a decoded row (flowRow order) holds the columns a writer thread reads or sets. */
export { ROW } from './flow-rows.js';

/** flowRow() positions of the numeric columns, in the order encodeFlows() writes them; null is sent as NaN. */
const NUM_NAMES = [
  'id', 'capture_id', 'proto', 'ip_version', 'sport', 'dport', 'originator_guessed',
  'orig_packets', 'resp_packets', 'orig_bytes', 'resp_bytes', 'orig_ip_bytes', 'resp_ip_bytes',
  'orig_payload_bytes', 'resp_payload_bytes', 'start', 'end', 'exp_parent', 'src', 'dst',
] as const;
const NUM_COLS = NUM_NAMES.map(columnIndex);
/** Positions in `nums` of the two address numbers (numbers into the address list). */
const SRC_NUM = NUM_NAMES.indexOf('src');
const DST_NUM = NUM_NAMES.indexOf('dst');
/** flowRow() positions of the text columns, in the order encodeFlows() writes them (null stays null). */
const STR_COLS = ([
  'state', 'history', 'vlans', 'syn_options', 'synack_options', 'community_id', 'end_reason', 'tunnel',
  'exp_kind', 'exp_rule', 'exp_evidence',
] as const).map(columnIndex);
const ROW_WIDTH = DATA_COLUMNS.length;
/** The numeric columns, then the number of the row's classification key in `keys` (NaN: none). */
const NUMS = NUM_COLS.length + 1;
const KEY_NUM = NUM_COLS.length;
const STRS = STR_COLS.length;

export interface EncodedRows {
  count: number;
  nums: Float64Array;
  /** JSON array of the text columns: one string crosses threads much faster than an array of them. */
  strs: string;
  /**
   * The distinct classification keys of the batch's early-classified flows (rows name them by
   * number): a few per batch, and kept out of `strs`, where each ~300-character JSON key was
   * escaped again for every row that carried it.
   */
  keys: string[];
  /** Addresses new to the decoder's list, in the order they were numbered. */
  newAddrs: string[];
  /** The encoder started its list afresh (it is bounded): the decoder must too, first. */
  addrReset: boolean;
}

/** Distinct addresses remembered by both sides before the list starts afresh. */
const ADDRESS_LIST_LIMIT = 200_000;

/** The reader's side: numbers addresses as it first sends them. */
export class RowEncoder {
  private readonly ids = new Map<string, number>();
  private newAddrs: string[] = [];
  private reset = false;

  constructor(private readonly addressLimit = ADDRESS_LIST_LIMIT) {}

  encode(flows: readonly FlowRecord[]): EncodedRows {
    // Decided before the batch is numbered, so a reset never falls in the middle of one.
    if (this.ids.size + 2 * flows.length > this.addressLimit) {
      this.ids.clear();
      this.reset = true;
    }
    const encoded = encodeFlows(flows, (a) => this.idOf(a));
    encoded.newAddrs = this.newAddrs;
    encoded.addrReset = this.reset;
    this.newAddrs = [];
    this.reset = false;
    return encoded;
  }

  private idOf(addr: string): number {
    let id = this.ids.get(addr);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(addr, id);
      this.newAddrs.push(addr);
    }
    return id;
  }
}

/** The writer's side: keeps the address list in step with the encoder's. */
export class RowDecoder {
  private addrs: string[] = [];
  /** Row arrays reused from batch to batch (see decodeRows). */
  private readonly pool: unknown[][] = [];

  decode(m: EncodedRows): DecodedRows {
    if (m.addrReset) this.addrs = [];
    for (const a of m.newAddrs) this.addrs.push(a);
    return decodeRows(m, this.addrs, this.pool);
  }
}

function encodeFlows(flows: readonly FlowRecord[], addrId: (a: string) => number): EncodedRows {
  const n = flows.length;
  // Early-classified flows share few classification objects: one key per object and batch.
  const keyNumbers = new Map<Classification, number>();
  const keys: string[] = [];
  const nums = new Float64Array(n * NUMS);
  const strs: (string | null)[] = new Array(n * STRS);
  for (let i = 0; i < n; i++) {
    const f = flows[i]!;
    const c = f.classification;
    const e = f.expectation;
    let k = i * NUMS;
    nums[k++] = f.id; nums[k++] = f.captureId; nums[k++] = f.proto; nums[k++] = f.ipVersion;
    nums[k++] = f.sport; nums[k++] = f.dport; nums[k++] = f.originatorGuessed ? 1 : 0;
    nums[k++] = f.origPackets; nums[k++] = f.respPackets; nums[k++] = f.origBytes; nums[k++] = f.respBytes;
    nums[k++] = f.origIpBytes; nums[k++] = f.respIpBytes; nums[k++] = f.origPayloadBytes; nums[k++] = f.respPayloadBytes;
    nums[k++] = f.start; nums[k++] = f.end;
    nums[k++] = e ? e.parentFlowId : NaN;
    nums[k++] = addrId(f.src); nums[k++] = addrId(f.dst);
    if (c === null) nums[k] = NaN;
    else {
      let kn = keyNumbers.get(c);
      if (kn === undefined) {
        keyNumbers.set(c, (kn = keys.length));
        keys.push(classKey(c));
      }
      nums[k] = kn;
    }
    let s = i * STRS;
    strs[s++] = f.state; strs[s++] = f.history;
    strs[s++] = listText(f.vlans); strs[s++] = listText(f.synOptions); strs[s++] = listText(f.synAckOptions);
    strs[s++] = f.communityId; strs[s++] = f.endReason; strs[s++] = f.tunnel;
    strs[s++] = e ? e.kind : null; strs[s++] = e ? e.rule : null; strs[s] = e ? e.evidence : null;
  }
  return { count: n, nums, strs: JSON.stringify(strs), keys, newAddrs: [], addrReset: false };
}

export interface DecodedRows {
  /** flowRow() arrays with class_id still null. */
  rows: unknown[][];
  /** Per row: the classification key of a flow classified before it was sent, else null. */
  classKeys: (string | null)[];
}

/**
 * Back to flowRow() arrays (on the writer thread). Row arrays are taken from `pool` (and added
 * to it): the writer binds each row before it decodes the next batch, so one set of arrays
 * serves the whole ingest instead of ~200 k short-lived arrays per million packets.
 */
function decodeRows(m: EncodedRows, addrs: readonly string[], pool: unknown[][]): DecodedRows {
  const rows: unknown[][] = new Array(m.count);
  const classKeys: (string | null)[] = new Array(m.count);
  const nums = m.nums;
  const strs = JSON.parse(m.strs) as (string | null)[];
  const texts = STR_COLS.length;
  const keys = m.keys;
  for (let i = 0; i < m.count; i++) {
    let r = pool[i];
    if (r === undefined) {
      r = new Array(ROW_WIDTH);
      pool.push(r);
    }
    r.fill(null);
    for (let k = 0; k < KEY_NUM; k++) {
      const v = nums[i * NUMS + k]!;
      r[NUM_COLS[k]!] = Number.isNaN(v) ? null : v;
    }
    r[NUM_COLS[SRC_NUM]!] = addrs[nums[i * NUMS + SRC_NUM]!]!;
    r[NUM_COLS[DST_NUM]!] = addrs[nums[i * NUMS + DST_NUM]!]!;
    for (let k = 0; k < texts; k++) r[STR_COLS[k]!] = strs[i * STRS + k];
    const kn = nums[i * NUMS + KEY_NUM]!;
    classKeys[i] = Number.isNaN(kn) ? null : keys[kn]!;
    rows[i] = r;
  }
  return { rows, classKeys };
}

/** Empty lists are most flows' case: no join, no new string. */
function listText(l: readonly number[]): string {
  return l.length === 0 ? '' : l.length === 1 ? String(l[0]) : l.join(',');
}
