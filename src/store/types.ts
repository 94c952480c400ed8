/**
 * Contract of the store stage: what a capture and a stored flow look like when read back,
 * and the small interface the rest of the program uses so that a central database can be
 * added later without touching the stages around it.
 */
import type { FlowRecord } from '../flow/flow-record.js';

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
}

/** A flow as read back from the store: the flow record plus the capture it came from. */
export interface StoredFlow extends FlowRecord {
  /** captures.id of the capture the flow came from. */
  captureId: number;
  /** The capture's source (file name), as the flows JSON contract's `capture` field. */
  capture: string;
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
