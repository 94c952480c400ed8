/**
 * The columns the audit reads of the flows one run wrote (the lean AuditFlow, and what a finding
 * item prints), kept in memory by the thread that wrote them. `audit` reads its captures and
 * audits them straight after: scanning the rows it has just inserted back out of SQLite
 * (stepping the table, making each cell a JS value, on a reader thread) cost ~0.7 s for 200,000
 * flows, and reading the 50,000 finding flows back by id ~0.15 s more, while keeping the columns
 * costs the writer thread, idle half of the read, 152 bytes a flow. The copy is columnar typed
 * arrays in blocks (moved to the auditing thread, not copied) with strings interned; the audit
 * reads it in id order, as it would read the table, and takes its finding flows from it by id.
 *
 * Bounded: past KEPT_FLOWS_MAX_ROWS flows the copy is given up and the audit reads the database
 * as always, so memory stays flat however long the capture. Any value the columns cannot hold as
 * the table would give it back also gives the copy up: it is an optimisation, never a second
 * source of truth.
 */
import type { Classification } from '../flow/flow-record.js';
import { ColumnInterner } from './column-interner.js';
import { FINDING_COLUMNS, classificationOfFlow, findingFlowOfRow, type StoredClassifications } from './flow-rows.js';
import { columnIndex, type DataColumn } from './schema.js';
import type { AuditFlow, CaptureInfo, FindingFlow, KeptFlows } from './types.js';

export type { KeptFlows } from './types.js';

/** Flows kept at most (20 blocks, ~50 MB); a longer run's audit reads the database. */
export const KEPT_FLOWS_MAX_ROWS = 20 << 14;

/** Rows a block: blocks are allocated whole as the copy grows (no copying on growth). */
const BLOCK_SHIFT = 14;
const BLOCK_ROWS = 1 << BLOCK_SHIFT;

/** The number columns of a row (nums), in this order. */
const N_ID = 0, N_START = 1, N_END = 2, N_RESP_PACKETS = 3, N_EXP_PARENT = 4, N_ORIG_PACKETS = 5, N_ORIG_BYTES = 6, N_RESP_BYTES = 7;
const NUMS = 8;
/** The integer columns of a row (ints); strings as their index in `strings`, -1 for null. */
const I_CAPTURE = 0, I_PROTO = 1, I_SRC = 2, I_SPORT = 3, I_DST = 4, I_DPORT = 5, I_GUESSED = 6, I_STATE = 7,
  I_EXP_KIND = 8, I_CLASS = 9, I_SYN = 10, I_SYNACK = 11, I_EXP_RULE = 12, I_EXP_EVIDENCE = 13;
const INTS = 14;

/** The text columns, as the builder's interner numbers them (ColumnInterner columns). */
const T_SRC = 0, T_DST = 1, T_STATE = 2, T_SYN = 3, T_SYNACK = 4, T_EXP_KIND = 5, T_EXP_RULE = 6, T_EXP_EVIDENCE = 7;
const TEXTS = 8;

/**
 * Bytes a row keeps of its community ID (chars): its length, then its characters. A community
 * ID is ASCII, "1:" and 28 of base64, and one of its own per flow: interned, 200,000 of them
 * would cost the writer thread a map entry and a string each.
 */
const CID_BYTES = 32;

/** Positions in a flowRow() row (DATA_COLUMNS order) of the columns kept. */
const AT = {
  id: columnIndex('id'), captureId: columnIndex('capture_id'), proto: columnIndex('proto'),
  src: columnIndex('src'), sport: columnIndex('sport'), dst: columnIndex('dst'), dport: columnIndex('dport'),
  guessed: columnIndex('originator_guessed'), start: columnIndex('start'), end: columnIndex('end'),
  state: columnIndex('state'), respPackets: columnIndex('resp_packets'), expKind: columnIndex('exp_kind'),
  expParent: columnIndex('exp_parent'), classId: columnIndex('class_id'),
  syn: columnIndex('syn_options'), synAck: columnIndex('synack_options'),
  origPackets: columnIndex('orig_packets'), origBytes: columnIndex('orig_bytes'), respBytes: columnIndex('resp_bytes'),
  expRule: columnIndex('exp_rule'), expEvidence: columnIndex('exp_evidence'), communityId: columnIndex('community_id'),
} as const;

/** The buffers of a copy, for a postMessage transfer list. */
export function keptFlowsTransfer(k: KeptFlows | null): ArrayBuffer[] {
  if (k === null) return [];
  return k.blocks.flatMap((b) => [b.nums.buffer as ArrayBuffer, b.ints.buffer as ArrayBuffer, b.chars.buffer as ArrayBuffer]);
}

/** Integers a 32-bit column holds exactly. */
function isInt32(v: unknown): v is number {
  return typeof v === 'number' && (v | 0) === v;
}

/** Builds the copy from the rows as they are written, in any order. */
export class KeptFlowsBuilder {
  private readonly blocks: KeptFlows['blocks'] = [];
  private readonly texts = new ColumnInterner(TEXTS);
  private rows = 0;
  /** Why the copy was given up, or null while it is whole. */
  private lost: string | null = null;

  constructor(private readonly maxRows = KEPT_FLOWS_MAX_ROWS) {}

  /** Why the copy was given up (too many flows, a value it cannot hold), or null. */
  get givenUp(): string | null {
    return this.lost;
  }

  /** Adds flowRow() rows (class_id set) as they were inserted. */
  add(rows: readonly (readonly unknown[])[]): void {
    if (this.lost !== null) return;
    if (this.rows + rows.length > this.maxRows) return this.giveUp(`more than ${this.maxRows} flows`);
    for (const r of rows) {
      const at = this.rows % BLOCK_ROWS;
      if (at === 0) {
        this.blocks.push({ nums: new Float64Array(BLOCK_ROWS * NUMS), ints: new Int32Array(BLOCK_ROWS * INTS), chars: new Uint8Array(BLOCK_ROWS * CID_BYTES) });
      }
      const b = this.blocks[this.blocks.length - 1]!;
      const n = at * NUMS;
      const i = at * INTS;
      const id = r[AT.id], start = r[AT.start], end = r[AT.end], resp = r[AT.respPackets], parent = r[AT.expParent];
      const capture = r[AT.captureId], proto = r[AT.proto], sport = r[AT.sport], dport = r[AT.dport], guessed = r[AT.guessed];
      const classId = r[AT.classId], expKind = r[AT.expKind];
      const origPackets = r[AT.origPackets], origBytes = r[AT.origBytes], respBytes = r[AT.respBytes];
      const expRule = r[AT.expRule], expEvidence = r[AT.expEvidence], cid = r[AT.communityId];
      if (typeof id !== 'number' || typeof start !== 'number' || typeof end !== 'number' || typeof resp !== 'number' ||
        typeof origPackets !== 'number' || typeof origBytes !== 'number' || typeof respBytes !== 'number' ||
        !(expRule === null || typeof expRule === 'string') || !(expEvidence === null || typeof expEvidence === 'string') ||
        !putCommunityId(b.chars, at * CID_BYTES, cid) ||
        !isInt32(capture) || !isInt32(proto) || !isInt32(sport) || !isInt32(dport) || (guessed !== 0 && guessed !== 1) ||
        !(classId === null || (isInt32(classId) && classId >= 0)) ||
        !(expKind === null ? parent === null : typeof expKind === 'string' && typeof parent === 'number' && !Number.isNaN(parent))) {
        return this.giveUp(`a row the copy cannot hold (flow ${String(id)})`);
      }
      b.nums[n + N_ID] = id;
      b.nums[n + N_START] = start;
      b.nums[n + N_END] = end;
      b.nums[n + N_RESP_PACKETS] = resp;
      b.nums[n + N_EXP_PARENT] = parent === null ? NaN : parent as number;
      b.nums[n + N_ORIG_PACKETS] = origPackets;
      b.nums[n + N_ORIG_BYTES] = origBytes;
      b.nums[n + N_RESP_BYTES] = respBytes;
      b.ints[i + I_CAPTURE] = capture;
      b.ints[i + I_PROTO] = proto;
      b.ints[i + I_SPORT] = sport;
      b.ints[i + I_DPORT] = dport;
      b.ints[i + I_GUESSED] = guessed;
      b.ints[i + I_CLASS] = classId === null ? -1 : classId;
      // The other text columns are NOT NULL.
      const src = r[AT.src], dst = r[AT.dst], state = r[AT.state], syn = r[AT.syn], synAck = r[AT.synAck];
      if (typeof src !== 'string' || typeof dst !== 'string' || typeof state !== 'string' || typeof syn !== 'string' || typeof synAck !== 'string') {
        return this.giveUp(`a row the copy cannot hold (flow ${id})`);
      }
      const texts = this.texts;
      b.ints[i + I_EXP_KIND] = expKind === null ? -1 : texts.number(T_EXP_KIND, expKind as string);
      b.ints[i + I_EXP_RULE] = expRule === null ? -1 : texts.number(T_EXP_RULE, expRule);
      b.ints[i + I_EXP_EVIDENCE] = expEvidence === null ? -1 : texts.number(T_EXP_EVIDENCE, expEvidence);
      b.ints[i + I_SRC] = texts.number(T_SRC, src);
      b.ints[i + I_DST] = texts.number(T_DST, dst);
      b.ints[i + I_STATE] = texts.number(T_STATE, state);
      b.ints[i + I_SYN] = texts.number(T_SYN, syn);
      b.ints[i + I_SYNACK] = texts.number(T_SYNACK, synAck);
      this.rows++;
    }
  }

  /** The copy, or null when it was given up. The builder is spent. */
  finish(): KeptFlows | null {
    if (this.lost !== null) return null;
    return { rows: this.rows, blocks: this.blocks, strings: this.texts.strings };
  }

  private giveUp(why: string): void {
    this.lost = why;
    this.blocks.length = 0;
    this.texts.clear();
  }
}

/** Writes a community ID at `at` of `chars`; false when it is no string of ASCII that fits. */
function putCommunityId(chars: Uint8Array, at: number, v: unknown): boolean {
  if (typeof v !== 'string' || v.length >= CID_BYTES) return false;
  for (let j = 0; j < v.length; j++) {
    const c = v.charCodeAt(j);
    if (c > 0x7f) return false;
    chars[at + 1 + j] = c;
  }
  chars[at] = v.length;
  return true;
}

/** The community ID written at `at` of `chars` (putCommunityId). */
function communityIdAt(chars: Uint8Array, at: number): string {
  return String.fromCharCode.apply(null, chars.subarray(at + 1, at + 1 + chars[at]!) as unknown as number[]);
}

/** The id of a kept row. */
function idAt(k: KeptFlows, r: number): number {
  return k.blocks[r >>> BLOCK_SHIFT]!.nums[(r & (BLOCK_ROWS - 1)) * NUMS + N_ID]!;
}

/**
 * A copy's rows by flow id. Flows are written when they end and numbered when they start, so
 * the copy is nearly, not quite, in id order. One run's ids are a few dense ranges: a slot per id
 * between the lowest and the highest places them in one pass; sparse ids are sorted.
 */
export class KeptIndex {
  /** Row numbers in id order. */
  readonly order: Uint32Array;
  /** Dense: row number by id - min, -1 for none. */
  private readonly slot: Int32Array | null = null;
  private readonly min: number = 0;
  /** Sparse: the ids in order (order[i] is the row of sortedIds[i]). */
  private readonly sortedIds: Float64Array | null = null;

  constructor(k: KeptFlows) {
    const n = k.rows;
    let min = Infinity;
    let max = -Infinity;
    for (let r = 0; r < n; r++) {
      const id = idAt(k, r);
      if (id < min) min = id;
      if (id > max) max = id;
    }
    const span = max - min + 1;
    if (n > 0 && Number.isSafeInteger(min) && Number.isSafeInteger(max) && span <= 4 * n + 1024) {
      const slot = new Int32Array(span).fill(-1);
      let dense = true;
      for (let r = 0; r < n && dense; r++) {
        const s = idAt(k, r) - min;
        // A repeated or fractional id cannot come from a store; sort rather than lose a row.
        if (!Number.isInteger(s) || slot[s] !== -1) dense = false;
        else slot[s] = r;
      }
      if (dense) {
        this.slot = slot;
        this.min = min;
        this.order = new Uint32Array(n);
        let o = 0;
        for (let s = 0; s < span; s++) if (slot[s] !== -1) this.order[o++] = slot[s]!;
        return;
      }
    }
    const ids = new Float64Array(n);
    for (let r = 0; r < n; r++) ids[r] = idAt(k, r);
    const order = new Uint32Array(n);
    for (let r = 0; r < n; r++) order[r] = r;
    this.order = order.sort((a, b) => ids[a]! - ids[b]! || a - b);
    this.sortedIds = Float64Array.from(this.order, (r) => ids[r]!);
  }

  /** The row of flow `id`, or -1 when the copy does not hold it. */
  rowOf(id: number): number {
    if (this.slot !== null) {
      const s = id - this.min;
      return s >= 0 && s < this.slot.length && Number.isInteger(s) ? this.slot[s]! : -1;
    }
    const ids = this.sortedIds!;
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = ids[mid]!;
      if (v === id) return this.order[mid]!;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/** A copy's index, made once per copy (the audit's scan and its by-id reads share it). */
const INDEXES = new WeakMap<KeptFlows, KeptIndex>();

export function keptIndex(k: KeptFlows): KeptIndex {
  let index = INDEXES.get(k);
  if (index === undefined) INDEXES.set(k, (index = new KeptIndex(k)));
  return index;
}

/** How a kept column is read back (KEPT_COLUMNS). */
const NUM = 0, INT = 1, TEXT = 2, PARENT = 3, CLASS = 4, CID = 5;

/**
 * The kept columns by name: where each is held and how it is read back as the table gives it
 * (a text as its string, null for -1; the expectation's parent null without an expectation).
 */
const KEPT_COLUMNS: Partial<Record<DataColumn, readonly [kind: number, at: number]>> = {
  id: [NUM, N_ID], capture_id: [INT, I_CAPTURE], proto: [INT, I_PROTO], src: [TEXT, I_SRC], sport: [INT, I_SPORT],
  dst: [TEXT, I_DST], dport: [INT, I_DPORT], originator_guessed: [INT, I_GUESSED], start: [NUM, N_START], end: [NUM, N_END],
  state: [TEXT, I_STATE], resp_packets: [NUM, N_RESP_PACKETS], exp_kind: [TEXT, I_EXP_KIND], exp_parent: [PARENT, N_EXP_PARENT],
  class_id: [CLASS, I_CLASS], syn_options: [TEXT, I_SYN], synack_options: [TEXT, I_SYNACK],
  orig_packets: [NUM, N_ORIG_PACKETS], orig_bytes: [NUM, N_ORIG_BYTES], resp_bytes: [NUM, N_RESP_BYTES],
  exp_rule: [TEXT, I_EXP_RULE], exp_evidence: [TEXT, I_EXP_EVIDENCE], community_id: [CID, 0],
};

/**
 * A row layout: per column of `columns`, [kind, position]. Every column must be kept: a change
 * to FINDING_COLUMNS that the copy does not follow fails here, when the module loads.
 */
function rowPlan(columns: readonly DataColumn[]): Int32Array {
  const plan = new Int32Array(columns.length * 2);
  columns.forEach((c, x) => {
    const kept = KEPT_COLUMNS[c];
    if (!kept) throw new Error(`kept-flows: column ${c} is not kept`);
    plan[x * 2] = kept[0];
    plan[x * 2 + 1] = kept[1];
  });
  return plan;
}

/** Fills `out` with row `r` of the copy laid out by `plan` (rowPlan). */
function fillRow(k: KeptFlows, r: number, plan: Int32Array, out: unknown[]): unknown[] {
  const at = r & (BLOCK_ROWS - 1);
  const b = k.blocks[r >>> BLOCK_SHIFT]!;
  const n = at * NUMS;
  const i = at * INTS;
  for (let x = 0; x < plan.length; x += 2) {
    const p = plan[x + 1]!;
    let v: unknown;
    switch (plan[x]) {
      case NUM: v = b.nums[n + p]; break;
      case INT: v = b.ints[i + p]; break;
      case TEXT: { const t = b.ints[i + p]!; v = t === -1 ? null : k.strings[t]; break; }
      case PARENT: v = b.ints[i + I_EXP_KIND] === -1 ? null : b.nums[n + p]; break;
      case CLASS: { const c = b.ints[i + p]!; v = c === -1 ? null : c; break; }
      case CID: v = communityIdAt(b.chars, at * CID_BYTES); break;
    }
    out[x >> 1] = v;
  }
  return out;
}

const FINDING_PLAN = rowPlan(FINDING_COLUMNS);

/**
 * Finding flows by id from the copy, as a store's findingFlowsById reads them from the table, in
 * the order of `ids`: the copy holds every column a finding item prints, so the audit of a read
 * reads nothing back. `captures` name the flows' captures; `classes` are the store's
 * classifications rows (classificationOfFlow writes out a shared evidence for each flow).
 */
export function* keptFindingFlows(
  k: KeptFlows, ids: Iterable<number>, captures: readonly CaptureInfo[], classes: StoredClassifications,
): IterableIterator<FindingFlow> {
  const index = keptIndex(k);
  const captureNames = new Map(captures.map((c) => [c.id, c.source]));
  const classOf = classificationOfFlow(classes);
  const classAt = FINDING_COLUMNS.length - 1;
  for (const id of ids) {
    const r = index.rowOf(id);
    // The audit asks for flows its scan of this copy yielded: anything else is a fault here.
    if (r < 0) throw new Error(`kept-flows: flow ${id} is not in the flows kept of the read`);
    // A row in FINDING_COLUMNS order, what findingFlowOfRow reads.
    const row = fillRow(k, r, FINDING_PLAN, new Array(FINDING_COLUMNS.length));
    yield findingFlowOfRow(row, captureNames.get(row[1] as number) ?? '', classOf(row[classAt], row));
  }
}

/**
 * The kept flows as the audit reads the table (auditFlowOfRow), in id order, each with its
 * classification from `classes` (the store's shared classification objects by row id).
 */
export function* keptAuditFlows(k: KeptFlows, classes: ReadonlyMap<number, Classification>): IterableIterator<AuditFlow> {
  type Exp = NonNullable<AuditFlow['expectation']>;
  // The flows made here, not through a row for auditFlowOfRow (fillRow): this runs once per flow
  // of the read, and the generic row layout made the scan of 199,266 flows 15-24 -> 36-52 ms.
  // The tests hold the two to the same flows (test/store/kept-flows.test.ts).
  const order = keptIndex(k).order;
  const s = k.strings;
  for (let o = 0; o < order.length; o++) {
    const r = order[o]!;
    const b = k.blocks[r >>> BLOCK_SHIFT]!;
    const n = (r & (BLOCK_ROWS - 1)) * NUMS;
    const i = (r & (BLOCK_ROWS - 1)) * INTS;
    const ints = b.ints;
    const nums = b.nums;
    const expKind = ints[i + I_EXP_KIND]!;
    const classId = ints[i + I_CLASS]!;
    yield {
      id: nums[n + N_ID]!, captureId: ints[i + I_CAPTURE]!, proto: ints[i + I_PROTO]!,
      src: s[ints[i + I_SRC]!]!, sport: ints[i + I_SPORT]!, dst: s[ints[i + I_DST]!]!, dport: ints[i + I_DPORT]!,
      originatorGuessed: ints[i + I_GUESSED] === 1, start: nums[n + N_START]!, end: nums[n + N_END]!, state: s[ints[i + I_STATE]!]!,
      respPackets: nums[n + N_RESP_PACKETS]!,
      expectation: expKind === -1 ? null : { kind: s[expKind] as Exp['kind'], parentFlowId: nums[n + N_EXP_PARENT]! },
      classification: classId === -1 ? null : classes.get(classId) ?? null,
      synOptions: s[ints[i + I_SYN]!]!, synAckOptions: s[ints[i + I_SYNACK]!]!,
    };
  }
}
