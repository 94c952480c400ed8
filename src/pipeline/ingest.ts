/**
 * The ingest pipeline: source → decode → flow table (+ inspectors, expectations) → classify →
 * store. Several captures in one run are one time-ordered stream through one flow table, so a
 * flow spanning two files stays one flow. Offline files and live capture both come through
 * here (live passes a byte stream from the capture engine).
 */
import type { ByteSource } from '../capture/byte-source.js';
import { isRegularFile, openByteSource } from '../capture/byte-source.js';
import { firstPacketTime, readCaptureSource, type ReadSummary } from '../capture/capture-reader.js';
import type { PacketBatch } from '../capture/packet-batch.js';
import type { Catalog, FlowClassifier, Site } from '../catalog/types.js';
import { DecodedPacket, KIND_ERROR, KIND_NON_IP, REASONS, TUNNELLED_INNER_PREFIX } from '../decode/decoded-packet.js';
import { decodeInner, decodePacket } from '../decode/decoder.js';
import { ExpectationTable, type Expectation } from '../flow/expectations.js';
import { PROTO_TCP, PROTO_UDP, type FlowRecord } from '../flow/flow-record.js';
import { FlowTable, type FlowTimeouts, type FlowTableStats } from '../flow/flow-table.js';
import type { Announcement, Inspector } from '../inspect/inspector.js';
import { createInspectorRegistry, INSPECTORS, type InspectorKind, type InspectorPorts, type InspectorRegistry } from '../inspect/registry.js';
import { fileFingerprint, sha256File, sha256FileInWorker, StreamingSha256 } from '../capture/input-identity.js';
import type { CaptureEnd, CaptureStatus, DroppedCaptures, FlowStore } from '../store/types.js';
import { readerAlive, readerPid, thisReader } from './ingest-owner.js';
import { createFlowWriter } from './flow-writer.js';
import type { KeptFlows } from '../store/kept-flows.js';
import { FollowOnIndex, registerFollowOnWindows, settleWindowHit } from '../classify/follow-ons.js';
import { classifyLate } from './late-classify.js';
import type { UnusedExpectation } from '../store/types.js';
import { isDiskFull } from '../store/store-errors.js';
import { InterruptedError, StoreError } from '../util/errors.js';
import { TIME_BACKWARDS, TIME_OUT_OF_RANGE } from '../capture/capture-reader.js';


/** Read buffer per slot when hashing while reading: two 256 KiB chunks (see capture-reader). */
const READ_SLOT_BYTES = 512 * 1024;
/**
 * Why a capture is 'partial' while it is read: replaced when it ends (complete, or the damage
 * found), so a capture row that keeps it was cut off by a kill, a signal or a failure.
 */
export const NOT_FINISHED = 'not finished: reading stopped before the end of the capture (interrupted, killed or failed), '
  + 'or it is still being read; read the file again to complete it';
/** Flow ids reserved at a time (see reserveFlowIds in ingest()). */
const FLOW_ID_RANGE = 65536;
/** Flows classified on the reader's thread before the writer thread takes over (see ingest()). */
const CLASSIFY_HERE_FIRST = 65536;

export interface CaptureInput {
  /** Display name / path ('-' for stdin, 'live:eth0' for live capture). */
  name: string;
  /** Opens the bytes; defaults to the file at `name`. */
  open?: () => Promise<ByteSource>;
  /** True for regular files: enables fingerprint/sha256 duplicate detection. */
  isFile?: boolean;
  format?: string;
  /** Live capture: kernel drop counters (and why the engine failed, if it did), read at the end. */
  drops?: () => { drops: number | null; ifDrops: number | null; error?: string | null };
}

export interface IngestOptions {
  store: FlowStore;
  classifier?: FlowClassifier | null;
  catalog?: Catalog | null;
  /**
   * The site the classifier was built from. With it (and the catalog), flows that open no
   * follow-on window are classified after they end, past the first flows by the store's writer
   * thread instead of on the packet path.
   */
  site?: Site | null;
  timeouts?: Partial<FlowTimeouts>;
  tapSide?: 'lan' | 'wan' | null;
  /** The sensor capturing (recorded with each capture: `--sensor`, the host name by default). */
  sensor?: string | null;
  /** Flows buffered before a batched write (a crash loses at most this many). */
  batchFlows?: number;
  /** Live capture: also flush buffered flows this often (seconds of wall time). */
  flushEverySeconds?: number;
  onProgress?: (p: IngestProgress) => void;
  shouldStop?: () => boolean;
  /**
   * Hash whole files with sha256 (on a worker thread, in parallel with the ingest) so that a
   * re-read is recognised exactly. Off: duplicates are recognised by size + head/tail hash only.
   */
  hashFiles?: boolean;
  /** Skip payload inspection (for benchmarks that isolate costs). */
  noInspect?: boolean;
  /**
   * Keep the audit's lean columns of the flows written (IngestResult.kept), for an audit right
   * after the read: it then need not read them back from the database (store/kept-flows.ts).
   */
  keepFlows?: boolean;
  /**
   * Which inspector reads a new flow. Default: every inspector on its well-known ports and on
   * the ports the catalog marks (inspectorPortsOf). Tests set it to compare payload readers.
   */
  inspectors?: InspectorRegistry;
  /**
   * How many flows are classified on this thread before the rest is left to the writer thread
   * (default CLASSIFY_HERE_FIRST; tests set 0 to exercise the writer's classifier).
   */
  classifyHereFirst?: number;
  onFlow?: (f: FlowRecord) => void;
  /** Live capture: sees every batch before it is decoded (a raw-packet writer, byte counters). */
  onPackets?: (batch: PacketBatch) => void;
  /**
   * Live capture: housekeeping every this many seconds of wall time, even when no packet
   * arrives: on a quiet link idle flows expire on the capture clock (the last packet's kernel
   * timestamp plus the wall time since it arrived, less 1 s of slack), buffered flows are
   * written when flushEverySeconds is due, then onTick is called.
   */
  tickSeconds?: number;
  onTick?: (p: IngestProgress) => void;
  /** Hears what the run waits for (a capture another flowaudit is reading into the same database). */
  onNotice?: (message: string) => void;
  /**
   * Why the run must stop before its end (a signal: 'SIGINT'), or null. Unlike shouldStop, which
   * ends a live capture normally, the run's captures are then left 'partial' and ingest()
   * throws an InterruptedError.
   */
  interrupted?: () => string | null;
  /**
   * One worker of a parallel ingest (ingest-parallel.ts): this run reads every packet but keeps
   * only the flows of its share of host pairs; the captures were opened by the caller (ids in
   * input order, inputs already in time order) and are closed by it, with the ends returned.
   */
  partition?: IngestPartition;
}

export interface IngestPartition {
  index: number;
  count: number;
  captureIds: number[];
}

/**
 * Which share of a parallel ingest a packet's flow belongs to: a hash of the two addresses,
 * symmetric in them, so that both directions of a flow and every flow between the same two
 * hosts (a control channel and the data connections it announces) land in the same share (as
 * Zeek's cluster load balancing keeps host pairs together).
 */
export function hostPairShare(p: DecodedPacket, count: number): number {
  let h = p.a0 ^ p.b0;
  if (p.ipVersion === 6) h ^= p.a1 ^ p.b1 ^ p.a2 ^ p.b2 ^ p.a3 ^ p.b3;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % count;
}

export interface IngestProgress {
  source: string;
  bytesDone: number;
  bytesTotal: number | null;
  packets: number;
  flows: number;
  activeFlows: number;
}

export interface CaptureOutcome {
  source: string;
  captureId: number | null;
  /** 'duplicate' when the same file was already stored complete. */
  skipped: 'duplicate' | null;
  summary: ReadSummary | null;
  status: 'complete' | 'partial' | 'skipped';
  error: string | null;
  decodeErrors: Record<string, number>;
  flows: number;
}

export interface IngestResult {
  captures: CaptureOutcome[];
  stats: FlowTableStats;
  flowsWritten: number;
  unusedExpectations: number;
  /** A partition's run: the capture ends it did not write (the caller closes the captures). */
  captureEnds?: Map<number, CaptureEnd>;
  /**
   * With keepFlows: the lean columns of every flow this run wrote, in the order written; null
   * when the copy was given up (a long capture) or the store cannot keep one.
   */
  kept?: KeptFlows | null;
}

export async function ingest(inputsAsGiven: CaptureInput[], opts: IngestOptions): Promise<IngestResult> {
  // Several files are one stream: read them in the order of their first packet, so flows and
  // timeouts run forward in time across file boundaries (a flow spanning two files stays one).
  const part = opts.partition ?? null;
  const inputs = part ? inputsAsGiven : await inTimeOrder(inputsAsGiven);
  const store = opts.store;
  const batchFlows = opts.batchFlows ?? 8192;
  const classifier = opts.classifier ?? null;
  const late = classifier && opts.site && opts.catalog ? { classifier, catalog: opts.catalog, site: opts.site } : null;
  const pending: FlowRecord[] = [];
  let flowsWritten = 0;
  const perCaptureFlows = new Map<number, number>();

  const expectations = new ExpectationTable();
  const inspectors = opts.inspectors ?? createInspectorRegistry(inspectorPortsOf(opts.catalog ?? null));
  const followOns = new FollowOnIndex(opts.catalog ?? null);

  // Lapsed expectations are dropped once a minute of capture time (bounded memory; a lapsed
  // announcement nobody used becomes an informational finding).
  let nextExpectationSweep = 0;
  const table: FlowTable = new FlowTable({
    onStart(flow, slot, t) {
      ids.next = flow.id + 1;
      if (ids.next === ids.end) reserveFlowIds();
      if (flow.start >= nextExpectationSweep) {
        if (expectations.size > 0) expectations.expire(flow.start);
        nextExpectationSweep = flow.start + 60;
      }
      if (expectations.size > 0) {
        const m = expectations.match(flow, flow.start);
        if (m) {
          if (m.reversed) t.flipOriginator(slot);
          flow.expectation = { kind: m.e.kind, parentFlowId: m.e.parentFlowId, rule: m.e.rule, evidence: m.e.evidence };
        }
      }
      const inspector = opts.noInspect ? null : inspectors.inspectorFor(flow);
      // Classified now: flows an expectation claimed, flows an inspector reads (announcements
      // name the parent's rule) and flows that may open follow-on windows. The rest, most
      // flows, is classified after it ends (classifyLeftOvers, then the store stage).
      if (classifier && (!late || flow.expectation !== null || inspector !== null || classifier.needsEarly(flow))) {
        const cls = classifier.classifyShared(flow, flow.expectation);
        flow.classification = cls;
        registerFollowOnWindows(expectations, classifier.followOnPlans(flow, cls), flow);
      }
      return inspector ?? undefined;
    },
    onPayload(flow, attachment, dir, buf, off, len, ts) {
      const insp = attachment as Inspector;
      const done = insp.onPayload(flow, dir, buf, off, len, (a: Announcement) => {
        const parentRule = flow.classification?.rule ?? null;
        const e: Expectation = {
          kind: a.kind, proto: a.proto, client: a.client, clientPort: a.clientPort, server: a.server,
          portLo: a.portLo, portHi: a.portHi, expires: ts + a.within, created: ts,
          parentFlowId: flow.id, captureId: flow.captureId,
          rule: followOns.ruleFor(parentRule, a.kind, a.client === flow.src),
          evidence: a.evidence, uses: 0,
        };
        expectations.add(e);
        // The reply was read: the follow-on's fallback window between these two hosts has done its part.
        if (e.rule !== null) expectations.closeWindows(flow.src, flow.dst, e.rule, ts);
        if (a.suspicious) suspicious.push({ ...e, evidence: a.suspicious });
      });
      return done;
    },
    onEnd(flow) {
      // A time window's claim is judged on the connection's outcome, known only now.
      if (flow.expectation !== null && classifier !== null) settleWindowHit(classifier, flow);
      opts.onFlow?.(flow);
      pending.push(flow);
      perCaptureFlows.set(flow.captureId, (perCaptureFlows.get(flow.captureId) ?? 0) + 1);
      if (pending.length >= batchFlows) flushFlows();
    },
  }, opts.timeouts);
  const suspicious: Expectation[] = [];
  // Flow ids come in ranges reserved in the database (reserveFlowIds), the first when the first
  // capture is opened, the next as the one before runs out: other runs writing to the same
  // database at the same time (another flowaudit, a parallel ingest's other workers) number
  // theirs from other ranges, and an expectation's parentFlowId names one flow for good.
  const ids = { end: 0, next: 0 };
  function reserveFlowIds(): void {
    const first = store.reserveFlowIds(FLOW_ID_RANGE);
    ids.end = first + FLOW_ID_RANGE;
    ids.next = first;
    table.setNextId(first);
  }

  const writer = createFlowWriter(store, late, !part && opts.keepFlows === true);
  // The writer thread classifies with a classifier of its own, which costs it ~0.1 s of CPU to
  // build and for V8 to compile a second time (in that isolate): worth it only on a long
  // capture. The first flows are classified here; later batches go to the writer unclassified.
  const classifyHereFirst = opts.classifyHereFirst ?? CLASSIFY_HERE_FIRST;
  function classifyLeftOvers(): void {
    if (late && flowsWritten < classifyHereFirst) classifyLate(late.classifier, pending);
  }
  function flushFlows(): void {
    if (!pending.length) return;
    classifyLeftOvers();
    // Packets read so far go with each batch, so a capture cut off says how far it got.
    writer.write(pending, { captureId: table.captureId, packets: capturePackets });
    flowsWritten += pending.length;
    pending.length = 0;
  }

  const pkt = new DecodedPacket();
  const reasonCounts = new Float64Array(REASONS.length);
  // Inner packets of tunnels that failed to decode, apart: the outer packet was decoded.
  const innerReasonCounts = new Float64Array(REASONS.length);
  let nonIp = 0;
  let tunnelled = 0;
  let lastFlush = Date.now();
  const flushEvery = (opts.flushEverySeconds ?? 0) * 1000;

  // The capture clock for live housekeeping: the newest packet time and when it arrived.
  let clockTs = -1;
  let clockWall = 0;
  let bytesDone = 0;

  let capturePackets = 0;
  const onBatch = (batch: PacketBatch): void => {
    const data = batch.data;
    const n = batch.count;
    capturePackets += n;
    if (opts.onPackets) opts.onPackets(batch);
    if (n > 0 && batch.ts[n - 1]! > clockTs) {
      clockTs = batch.ts[n - 1]!;
      clockWall = performance.now();
    }
    for (let i = 0; i < n; i++) {
      const wl = batch.wirelen[i]!;
      decodePacket(pkt, data, batch.offset[i]!, batch.caplen[i]!, batch.linkType[i]!);
      if (pkt.kind === KIND_ERROR) { reasonCounts[pkt.reason]!++; continue; }
      if (pkt.kind === KIND_NON_IP) { nonIp++; continue; }
      if (part === null || hostPairShare(pkt, part.count) === part.index) table.add(pkt, wl, batch.ts, i, data);
      else table.tick(batch.ts[i]!);
      // Tunnels: the inner packet is a flow of its own (the outer UDP of VXLAN stays one too).
      for (let depth = 0; depth < 4 && pkt.innerKind !== 0; depth++) {
        decodeInner(pkt, data);
        tunnelled++;
        if (pkt.kind === KIND_ERROR) { innerReasonCounts[pkt.reason]!++; break; }
        if (pkt.kind === KIND_NON_IP) break;
        if (part === null || hostPairShare(pkt, part.count) === part.index) table.add(pkt, wl, batch.ts, i, data);
      }
    }
    if (flushEvery > 0 && Date.now() - lastFlush >= flushEvery) {
      flushFlows();
      lastFlush = Date.now();
    }
  };

  const outcomes: CaptureOutcome[] = [];
  const registry = new CaptureRegistry(store, opts.tapSide ?? null, opts.sensor ?? null);
  const ends = new Map<number, CaptureEnd>();
  const interrupted = opts.interrupted;
  const hashes: Promise<void>[] = [];
  const shas = new Map<number, string>();
  let dropped: DroppedCaptures = new Map();
  /** The captures this run opened: 'partial' until the transaction that writes the last flows. */
  const opened: OpenedCapture[] = [];

  try {
  for (const [inputIndex, input] of inputs.entries()) {
    const isFile = isFileInput(input);
    const src = input.open ? await input.open() : await openByteSource(input.name);
    let captureId: number;
    if (part) {
      captureId = part.captureIds[inputIndex]!;
    } else {
      let claim: Awaited<ReturnType<CaptureRegistry['claim']>>;
      try {
        claim = await registry.claim(input, opts.onNotice, interrupted);
      } catch (e) {
        src.close();
        throw e;
      }
      if ('skipped' in claim) {
        src.close();
        outcomes.push(claim.skipped);
        continue;
      }
      captureId = claim.captureId;
    }
    opened.push({ captureId, source: input.name, rereadable: isFile });
    if (ids.end === 0) reserveFlowIds();
    table.captureId = captureId;
    // The sha256 of a plain file is computed from the very buffers the reader fills (one read,
    // hashed on another core); a gzip file is hashed as stored, by a worker reading it apart. A
    // stream (stdin, a pipe) is hashed as read (after gunzip). At the end, a capture whose sha256
    // is stored already (a stream read before, a file first read from stdin) is dropped
    // (CaptureEnd.dropIfStored).
    let hasher: StreamingSha256 | undefined;
    const stream = isStreamInput(input);
    if ((isFile || stream) && opts.hashFiles !== false) {
      if (isFile && src.gzip) hashes.push(sha256FileInWorker(input.name).then((h) => { shas.set(captureId, h); }));
      else hasher = new StreamingSha256(READ_SLOT_BYTES);
    }
    capturePackets = 0;
    reasonCounts.fill(0);
    innerReasonCounts.fill(0);
    nonIp = 0;
    let summary: ReadSummary;
    const progressOf = (done: number, total: number | null): IngestProgress => ({
      source: input.name, bytesDone: done, bytesTotal: total, packets: table.stats.packets,
      flows: table.stats.flowsStarted, activeFlows: table.activeFlows,
    });
    bytesDone = 0;
    const ticker = opts.tickSeconds && opts.tickSeconds > 0
      ? setInterval(() => {
          // One second of slack: a packet may sit that long in the engine before it reaches us.
          const quiet = (performance.now() - clockWall) / 1000;
          if (clockTs >= 0 && quiet >= 2) table.expire(clockTs + quiet - 1);
          if (flushEvery > 0 && Date.now() - lastFlush >= flushEvery) {
            flushFlows();
            lastFlush = Date.now();
            // Counters too, so a capture cut off by a crash still says how much it saw and lost.
            const d = input.drops?.();
            store.updateCaptureProgress(captureId, { packets: table.stats.packets, drops: d?.drops ?? null, ifDrops: d?.ifDrops ?? null });
          }
          opts.onTick?.(progressOf(bytesDone, null));
        }, opts.tickSeconds * 1000)
      : null;
    try {
      summary = await readCaptureSource(input.name, src, onBatch, {
        shouldStop: interrupted ? () => interrupted() !== null || (opts.shouldStop?.() ?? false) : opts.shouldStop,
        hasher,
        // The capture row says what it is, and that it is not finished, before any flow is stored.
        onFormat: part === null || part.index === 0
          ? (format) => store.updateCaptureProgress(captureId, { packets: 0, drops: null, ifDrops: null, format: input.format ?? format, error: NOT_FINISHED })
          : undefined,
        onProgress: opts.onProgress || ticker
          ? (done, total) => {
              bytesDone = done;
              opts.onProgress?.(progressOf(done, total));
            }
          : undefined,
      });
    } catch (e) {
      hasher?.abort();
      throw e;
    } finally {
      if (ticker) clearInterval(ticker);
      src.close();
    }
    const signal = interrupted?.() ?? null;
    if (signal !== null) {
      hasher?.abort();
      throw new InterruptedError(`interrupted by ${signal}`, signal);
    }
    if (hasher) {
      const h = hasher;
      hashes.push(h.digest().then((hex) => { shas.set(captureId, hex); }));
    }
    const decodeErrors: Record<string, number> = {};
    REASONS.forEach((r, i) => { if (reasonCounts[i]) decodeErrors[r] = reasonCounts[i]!; });
    REASONS.forEach((r, i) => { if (innerReasonCounts[i]) decodeErrors[`${TUNNELLED_INNER_PREFIX}${r}`] = innerReasonCounts[i]!; });
    if (summary.timeOutOfRange) decodeErrors[TIME_OUT_OF_RANGE] = summary.timeOutOfRange;
    if (summary.timeBackwards) decodeErrors[TIME_BACKWARDS] = summary.timeBackwards;
    if (nonIp) decodeErrors['non-ip'] = nonIp;
    if (tunnelled) decodeErrors['tunnelled-inner'] = tunnelled;
    tunnelled = 0;
    const live = input.drops?.() ?? null;
    if (live?.error && !summary.error) summary.error = live.error;
    const end: CaptureEnd = {
      format: input.format ?? summary.format, linkTypes: summary.linkTypes, firstTs: summary.firstTs, lastTs: summary.lastTs,
      packets: summary.packets, bytes: summary.bytes, drops: live ? live.drops : null,
      ifDrops: live ? live.ifDrops : summary.drops, sha256: null,
      status: summary.error ? 'partial' : 'complete', error: summary.error, decodeErrors, dropIfStored: isFile || stream,
    };
    ends.set(captureId, end); // its sha256 arrives from the hashing worker
    outcomes.push({ source: input.name, captureId, skipped: null, summary, status: end.status, error: summary.error, decodeErrors, flows: 0 });
    flushFlows();
  }

  // End of input: every open flow ends, expectations lapse, and the captures are closed in
  // the same transaction as the last flows.
  table.flush('eoc');
  expectations.drain();
  await Promise.all(hashes);
  const stoppedBy = interrupted?.() ?? null;
  if (stoppedBy !== null) throw new InterruptedError(`interrupted by ${stoppedBy}`, stoppedBy);
  for (const [id, h] of shas) ends.get(id)!.sha256 = h;
  classifyLeftOvers();
  dropped = await writer.finish(pending, part ? new Map() : ends);
  if (ids.end !== 0) {
    try {
      store.releaseFlowIds(ids.end, ids.next);
    } catch {
      // Only numbering: the next run starts after the whole range.
    }
  }
  } catch (e) {
    writer.abort(); // batches already committed stay; their captures remain 'partial'
    if (e instanceof StoreError || e instanceof InterruptedError) throw leftPartial(e, store, opened);
    throw e;
  }
  flowsWritten += pending.length;
  pending.length = 0;
  asDuplicates(outcomes, dropped);
  const unused: UnusedExpectation[] = [...expectations.unused, ...suspicious].filter((e) => !dropped.has(e.captureId)).map((e) => ({
    kind: e.kind, client: e.client, server: e.server, proto: e.proto,
    ports: e.portLo === e.portHi ? String(e.portLo) : `${e.portLo}-${e.portHi}`,
    parentFlowId: e.parentFlowId, captureId: e.captureId, rule: e.rule, evidence: e.evidence, ts: e.created,
  }));
  if (unused.length) store.writeUnusedExpectations(unused);
  for (const o of outcomes) if (o.captureId !== null && !o.skipped) o.flows = perCaptureFlows.get(o.captureId) ?? 0;
  return {
    captures: outcomes, stats: table.stats, flowsWritten, unusedExpectations: unused.length, captureEnds: part ? ends : undefined,
    ...(opts.keepFlows ? { kept: writer.kept() } : {}),
  };
}

/**
 * The run stopped while its captures were open — the database failed (a full disk, most often),
 * or a signal interrupted it: they stay 'partial' with the flows committed so far, and their
 * error says why, so that the next run reads them again whole. The error returned says what
 * happened to which captures and what to do.
 */
export function leftPartial<E extends StoreError | InterruptedError>(e: E, store: FlowStore, opened: readonly OpenedCapture[]): E {
  if (opened.length === 0) return e;
  const why = e instanceof InterruptedError ? e.message : `not all flows could be stored: ${e.message}`;
  try {
    store.recordCaptureError(opened.map((o) => o.captureId), why);
  } catch {
    // The disk may still be full: the rows say 'partial' all the same.
  }
  const them = opened.length === 1 ? 'it' : 'them';
  const room = e instanceof StoreError && isDiskFull(e) ? 'make room (or move the database to a larger disk)' : null;
  // Files can be read again; a stream or a live capture is gone once read.
  const next = !opened.every((o) => o.rereadable)
    ? `the flows stored so far are kept${room ? `; ${room}` : ''}`
    : room ? `${room} and run the same command again to complete ${them}`
    : e instanceof StoreError ? `run the same command again, once that is fixed, to complete ${them}` : `run the same command again to complete ${them}`;
  const message = `${e.message}: ${opened.map((o) => o.source).join(', ')} left partial; ${next}`;
  return (e instanceof StoreError ? new StoreError(message, e.code) : new InterruptedError(message, e.signal)) as E;
}

/** A capture a run opened, and whether a later run can read it again (a file) or not (a stream, a live capture). */
export interface OpenedCapture {
  captureId: number;
  source: string;
  rereadable: boolean;
}

/** A capture found stored already once read (its sha256) was deleted with its flows: it reads as a skipped duplicate. */
export function asDuplicates(outcomes: CaptureOutcome[], dropped: DroppedCaptures): void {
  for (const [i, o] of outcomes.entries()) {
    const copy = o.captureId === null ? undefined : dropped.get(o.captureId);
    if (copy !== undefined) outcomes[i] = { ...o, captureId: copy, skipped: 'duplicate', status: 'skipped', flows: 0 };
  }
}

/** Standard input or a pipe: read once, identified by its sha256 only at its end. */
export function isStreamInput(input: CaptureInput): boolean {
  return input.open === undefined && !isFileInput(input);
}

/** A regular file (fingerprinted and hashed), not stdin, a pipe or a live source. */
export function isFileInput(input: CaptureInput): boolean {
  return input.isFile ?? (input.open === undefined && input.name !== '-' && isRegularFile(input.name));
}

/** How long a run waits before it looks again at a capture another flowaudit is reading. */
const CLAIM_RETRY_MS = 250;

/**
 * The captures of one run: which inputs are stored already, and the capture rows opened for
 * the others. Shared by the single pipeline and the parallel one, so both skip and redo alike.
 */
export class CaptureRegistry {
  /** Files opened in this run, by fingerprint. */
  private readonly inThisRun = new Map<string, { name: string; captureId: number }>();

  constructor(private readonly store: FlowStore, private readonly tapSide: 'lan' | 'wan' | null, private readonly sensor: string | null = null) {}

  /**
   * Opens the capture row of `input` ('partial' until its last flows are written), or says it
   * is stored already. Re-reading: a file already stored complete (same fingerprint, and same
   * sha256 when one was stored) is skipped; an interrupted earlier run of it (partial, its
   * reader gone) is deleted, to be read again. A file another flowaudit is reading into the same
   * database right now is waited for (`notice` hears it once), then skipped as stored — or read
   * again, when that run died. Looking and opening are one transaction (openCapture), so two
   * runs never both read one file.
   */
  async claim(
    input: CaptureInput, notice?: (message: string) => void, interrupted?: () => string | null,
  ): Promise<{ skipped: CaptureOutcome } | { captureId: number }> {
    const duplicateOf = (captureId: number) => ({ skipped: { source: input.name, captureId, skipped: 'duplicate' as const, summary: null,
      status: 'skipped' as const, error: null, decodeErrors: {}, flows: 0 } });
    if (!isFileInput(input)) return { captureId: this.open(input, { fingerprint: null, size: null }, null)! };
    const { fingerprint, size } = fileFingerprint(input.name);
    // The same file named twice in one command (or a copy of it): read once. Its capture is
    // still open, so it must not be taken for an interrupted earlier run.
    const earlier = this.inThisRun.get(fingerprint);
    if (earlier && (earlier.name === input.name || sha256File(earlier.name) === sha256File(input.name))) return duplicateOf(earlier.captureId);
    let sha: string | undefined;
    let waiting = false;
    for (;;) {
      const prior = this.store.findCapture({ fingerprint });
      if (prior?.status === 'complete') {
        // Stored without a hash: the fingerprint alone decides.
        if (prior.sha256 === null || prior.sha256 === (sha ??= sha256File(input.name))) return duplicateOf(prior.id);
      } else if (prior) {
        const reader = this.store.captureReader(prior.id);
        if (reader !== null && reader !== thisReader() && readerAlive(reader)) {
          if (!waiting) notice?.(`${input.name} is being read into ${this.store.location} by another flowaudit (pid ${readerPid(reader)}); waiting for it to finish`);
          waiting = true;
          await new Promise((r) => setTimeout(r, CLAIM_RETRY_MS));
          const signal = interrupted?.() ?? null;
          if (signal !== null) throw new InterruptedError(`interrupted by ${signal} while waiting for another flowaudit to read ${input.name}`, signal);
          continue;
        }
      }
      const captureId = this.open(input, { fingerprint, size }, prior ? { id: prior.id, status: prior.status } : null);
      if (captureId !== null) return { captureId };
    }
  }

  private open(input: CaptureInput, identity: InputIdentity, replaces: { id: number; status: CaptureStatus } | null): number | null {
    const captureId = this.store.openCapture({
      source: input.name, format: input.format ?? 'unknown', sha256: null, ...identity, tapSide: this.tapSide, reader: thisReader(), sensor: this.sensor,
    }, replaces);
    if (captureId !== null && identity.fingerprint !== null) this.inThisRun.set(identity.fingerprint, { name: input.name, captureId });
    return captureId;
  }
}

/** What identifies an input file before it is read (null for streams). */
export interface InputIdentity {
  fingerprint: string | null;
  size: number | null;
}

export async function inTimeOrder(inputs: CaptureInput[]): Promise<CaptureInput[]> {
  if (inputs.length < 2 || inputs.some((i) => !isFileInput(i))) return inputs;
  const firsts = await Promise.all(inputs.map((i) => firstPacketTime(i.name)));
  return inputs
    .map((input, k) => ({ input, k, t: firsts[k] ?? Infinity }))
    .sort((a, b) => a.t - b.t || a.k - b.k)
    .map((x) => x.input);
}

/**
 * Ports a catalog marks for the inspectors: the single ports of a rule whose follow-on is
 * learned from an inspector (`via: ftp`, `epm`, `ssrp`, `tftp`), when the rule is over that
 * inspector's protocol.
 */
export function inspectorPortsOf(catalog: Catalog | null): InspectorPorts {
  const out: { [K in InspectorKind]?: number[] } = {};
  if (!catalog) return out;
  for (const r of catalog.rules) {
    const proto = r.proto === 'tcp' ? PROTO_TCP : r.proto === 'udp' ? PROTO_UDP : -1;
    for (const t of r.then) {
      if (t.via === 'window' || INSPECTORS[t.via].proto !== proto) continue;
      for (const p of r.ports) if (p.lo === p.hi) (out[t.via] ??= []).push(p.lo);
    }
  }
  return out;
}
