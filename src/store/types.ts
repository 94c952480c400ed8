/**
 * Contract of the store stage: what a capture and a stored flow look like when read back,
 * and the small interface the rest of the program uses so that a central database can be
 * added later without touching the stages around it.
 */
import type { Classification, FlowRecord } from '../flow/flow-record.js';

export type CaptureStatus = 'complete' | 'partial';

export interface CaptureInfo {
  /** Row id in the captures table. */
  id: number;
  /** File path as given, '-' for stdin, or 'live:IFACE'. */
  source: string;
  /** 'pcap' | 'pcapng' | 'live' (gzip noted as 'pcap+gzip' etc.). */
  format: string;
  linkTypes: number[];
  /** Epoch seconds of the first and last packet (null when none). */
  firstTs: number | null;
  lastTs: number | null;
  packets: number;
  bytes: number;
  /** Kernel drops (live capture) — null when unknown (files). */
  drops: number | null;
  /** Interface drops (live capture) — null when unknown. */
  ifDrops: number | null;
  sha256: string | null;
  status: CaptureStatus;
  /** Why the capture is partial (file damage message with byte offset), or null. */
  error: string | null;
  /** Where the tap sits relative to a WAN optimizer, when the user said so. */
  tapSide: 'lan' | 'wan' | null;
  /** Decode failures counted by reason. */
  decodeErrors: Record<string, number>;
  startedAt: string;
  /** The sensor that captured it (`--sensor`, the host name by default); null for captures stored before sensors were recorded. */
  sensor: string | null;
}

/** A flow as read back from the store: the flow record plus the capture it came from. */
export interface StoredFlow extends FlowRecord {
  /** captures.id of the capture the flow came from. */
  captureId: number;
  /** The capture's source (file name), as the flows JSON contract's `capture` field. */
  capture: string;
}

/**
 * A flow as the audit's counting pass reads it: what decides its verdict and feeds the trackers,
 * nothing it would only print. `classification` is one shared object per distinct classification
 * (never modify it), its `evidence` as stored: with `evidenceVars`, the placeholders of the
 * flow's own ends, which renderEvidence() writes out (flowsById() returns it written out).
 */
export interface AuditFlow {
  id: number;
  captureId: number;
  proto: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  originatorGuessed: boolean;
  start: number;
  end: number;
  state: string;
  respPackets: number;
  /** TCP option kinds of the SYN and SYN-ACK: a lean flow has them as stored ("2,4,8,1,3"). */
  synOptions: readonly number[] | string;
  synAckOptions: readonly number[] | string;
  expectation: { kind: NonNullable<FlowRecord['expectation']>['kind']; parentFlowId: number } | null;
  classification: Classification | null;
}

/**
 * The audit's columns of the flows one run wrote, kept by the thread that wrote them
 * (kept-flows.ts builds and reads it): blocks of rows, row-major, NUMS numbers and INTS integers
 * a row, strings interned, and each row's community ID as ASCII bytes (chars). Structured-
 * cloneable; the blocks' buffers transfer between threads.
 */
export interface KeptFlows {
  rows: number;
  blocks: { nums: Float64Array; ints: Int32Array; chars: Uint8Array }[];
  strings: string[];
}

/**
 * A flow as a finding item prints it (findingFlowsById): the flow without the columns no
 * item shows (history, VLANs, IP and payload byte counts, tunnel, end reason).
 */
export type FindingFlow = Pick<StoredFlow,
  'id' | 'captureId' | 'capture' | 'proto' | 'src' | 'sport' | 'dst' | 'dport' | 'originatorGuessed' | 'origPackets' | 'respPackets' |
  'origBytes' | 'respBytes' | 'start' | 'end' | 'state' | 'communityId' | 'expectation' | 'classification'> & {
  /** TCP option kinds of the SYN and SYN-ACK, as AuditFlow has them: read from a store, as stored ("2,4,8,1,3"). */
  synOptions: readonly number[] | string;
  synAckOptions: readonly number[] | string;
};

/**
 * A flow of a conversation that several sensors saw (store/conversation-sql.ts says when flows
 * are one conversation): the audit counts only the flow whose id names the conversation.
 */
export interface SharedFlow {
  id: number;
  /** The conversation's lowest flow id. */
  conversation: number;
  /** The sensors that saw the conversation, sorted. */
  sensors: string[];
  /** The SYN and SYN-ACK option kinds of all the conversation's flows, as stored ("2,4,8,1,3,76"). */
  synOptions: string;
  synAckOptions: string;
}

/** An expectation an inspector registered that no connection ever used (informational finding). */
export interface UnusedExpectation {
  kind: 'epm' | 'ftp' | 'ssrp' | 'tftp' | 'window';
  client: string | null;
  server: string;
  proto: number;
  ports: string;        // "49668" or "1025-65535"
  parentFlowId: number;
  captureId: number;
  rule: string | null;
  evidence: string;
  ts: number;
}

/**
 * A sensor's local spool as a PostgreSQL database knows it (store/forward.ts): what it said at
 * its last forwarding round. A SQLite database has none.
 */
export interface SpoolInfo {
  spoolNo: number;
  sensor: string;
  /** The spool file on the sensor. */
  path: string | null;
  registeredAt: string;
  /** When a forwarding round last finished (ISO time), or null. */
  lastForwardAt: string | null;
  /** Flows still in the spool at that moment. */
  backlogFlows: number;
}

/** A capture as the pipeline opens it, before any flow is written. */
export interface CaptureStart {
  source: string;
  format: string;
  sha256: string | null;
  fingerprint: string | null;
  size: number | null;
  tapSide: 'lan' | 'wan' | null;
  /** The process reading it, as pipeline/ingest-owner.ts writes it ('host:pid:start'). */
  reader?: string | null;
  /** The sensor capturing (`--sensor`, the host name by default). */
  sensor?: string | null;
}

/** Counters of a capture being read; null or absent values leave the stored ones. */
export interface CaptureProgress {
  packets: number;
  drops: number | null;
  ifDrops: number | null;
  format?: string;
  error?: string;
}

/** A capture's counters and status, written with its last flows. */
export type CaptureEnd = Pick<CaptureInfo,
  'format' | 'linkTypes' | 'firstTs' | 'lastTs' | 'packets' | 'bytes' | 'drops' | 'ifDrops' | 'sha256' | 'status' | 'error' | 'decodeErrors'> & {
  /**
   * A stream (stdin, a pipe), known by its sha256 only once read: when a complete capture with
   * the same sha256 is stored already, this one is deleted with its flows instead of completed.
   */
  dropIfStored?: boolean;
};

/** Captures finishCaptures() deleted as already stored (dropIfStored): capture id -> the stored copy's id. */
export type DroppedCaptures = Map<number, number>;

export interface FlowFilter {
  captureIds?: number[];
  /** A `--where` expression (see where-expr.ts). */
  where?: string;
  host?: string;
  port?: number;
  proto?: number;
  rule?: string;
  limit?: number;
  /** Start-time order (default). The audit does not need it, and sorting costs a temp b-tree. */
  ordered?: boolean;
}

/**
 * How another thread opens a connection of its own to the same store (a writer thread, a
 * parallel ingest's workers): plain data, so it crosses to a worker. See open-store.ts.
 */
export type StoreConnection =
  | { kind: 'sqlite'; path: string }
  /** The URL as the user gave it, password included (it crosses to a thread, never into a message). */
  | { kind: 'postgres'; url: string };

/** The store every stage after it uses; open one with openFlowStore(). */
export interface FlowStore {
  /** Where the store lives, as the user named it (for messages). */
  readonly location: string;
  /**
   * How another thread reaches the same data, or null when it cannot (an in-memory database):
   * then everything is written through this connection.
   */
  connection(): StoreConnection | null;

  findCapture(sha256OrFingerprint: { sha256?: string; fingerprint?: string }): CaptureInfo | null;
  deleteCapture(id: number): void;
  beginCapture(c: CaptureStart): number;
  /**
   * Opens a capture row ('partial') in one transaction with a look at what is stored: with a
   * fingerprint, only while the newest capture of that fingerprint is still `replaces` (as the
   * caller saw it, null for none), deleting it first when it is 'partial' (an interrupted run to
   * be read again). Returns null when another process changed them meanwhile: look again.
   */
  openCapture(c: CaptureStart, replaces: { id: number; status: CaptureStatus } | null): number | null;
  /** The process reading a capture (CaptureStart.reader), or null. */
  captureReader(id: number): string | null;
  /**
   * Reserves `count` flow ids for this connection's run, none of them stored or reserved by
   * another; returns the first. Concurrent runs into one database each take their own ranges.
   */
  reserveFlowIds(count: number): number;
  /** Gives back the unused end [next, end) of the last range reserved, unless a later one was reserved since. */
  releaseFlowIds(end: number, next: number): void;
  /**
   * What is known of a capture still being read (it is 'partial' until finishCaptures): packets
   * so far, drop counters, and, when given, its format and why it is not complete yet.
   */
  updateCaptureProgress(id: number, c: CaptureProgress): void;
  /** Says why captures still 'partial' are (their `error`): the run that opened them failed. */
  recordCaptureError(ids: readonly number[], error: string): void;
  writeFlows(flows: readonly (FlowRecord & { captureId: number })[]): void;
  writeUnusedExpectations(items: readonly UnusedExpectation[]): void;
  /** Writes the last flows and the capture counters in one transaction. */
  finishCaptures(flows: readonly (FlowRecord & { captureId: number })[], ends: Map<number, CaptureEnd>): DroppedCaptures;
  /** Replaces the classification of stored flows (re-classification); returns how many changed. */
  updateClassifications(flows: Iterable<StoredFlow>): number;
  captures(): CaptureInfo[];
  flows(filter?: FlowFilter): IterableIterator<StoredFlow>;
  /**
   * The flows of these captures (all when empty), in id order, as the audit's counting pass reads
   * them. With `kept` (the lean columns the run that wrote them kept, store/kept-flows.ts) they
   * are read from it instead of the table: the caller vouches that it holds exactly these
   * captures' flows as stored.
   */
  auditFlows(captureIds: readonly number[], kept?: KeptFlows | null): IterableIterator<AuditFlow>;
  /** Whole flows by id, in the order given (ascending ids read fastest); ids not stored are skipped. */
  flowsById(ids: Iterable<number>): IterableIterator<StoredFlow>;
  /**
   * The same with only what finding items print (FindingFlow): a third fewer columns to read.
   * With `kept` (as for auditFlows) the flows come from the copy, which holds every column a
   * finding prints: nothing is read back but the captures' names and the classifications.
   */
  findingFlowsById(ids: Iterable<number>, kept?: KeptFlows | null): IterableIterator<FindingFlow>;
  /**
   * The flows of these captures (all when empty) that are one conversation with a flow another
   * sensor captured (store/conversation-sql.ts), by flow id. Empty, at no cost, unless the
   * captures name at least two sensors.
   */
  sharedConversations(captureIds: readonly number[]): SharedFlow[];
  /** The ids of these captures' flows (all when empty) in start order, as flows() lists them. */
  flowIdsByStart(captureIds: readonly number[]): Float64Array;
  unusedExpectations(captureIds?: number[]): UnusedExpectation[];
  /** Flows stored without any classification (read without a site file). */
  unclassifiedCount(): number;
  /** The spools that forward into this database (store/forward.ts); none for SQLite. */
  spools(): SpoolInfo[];
  getMeta(key: string): string | null;
  setMeta(key: string, value: string): void;
  saveReport(catalogHash: string, siteHash: string, captureIds: number[], report: unknown): void;
  latestReport(catalogHash: string, siteHash: string, captureIds: number[]): unknown | null;
  close(): void;
}

/**
 * The bulk path of a writer thread: flow rows in the store's row layout (flowRow order), with
 * classifications named by their row id. Each call is one transaction; `prepare` runs inside it.
 */
export interface RowStore extends FlowStore {
  writeRows(rows: readonly unknown[][], prepare?: () => void): void;
  finishRows(rows: readonly unknown[][], ends: Map<number, CaptureEnd>, prepare?: () => void): DroppedCaptures;
  /** The classifications row of a classification (inserted when new); null for an unclassified flow. */
  classId(c: Classification | null): number | null;
  /** The classifications row of a classification key (see classKey()). */
  classIdOfKey(key: string, columns?: readonly unknown[]): number;
}
