/**
 * A finished (or flushed) bidirectional flow, as the flow table hands it on.
 * Everything downstream (classify, store, audit, report) works on this shape;
 * the flow table itself keeps flows in typed arrays and builds one of these
 * only when a flow ends, so it is allocated once per flow, never per packet.
 */

/** IP protocol numbers used throughout (the full table is util/proto.ts). */
export { PROTO_ICMP, PROTO_ICMPV6, PROTO_TCP, PROTO_UDP } from '../util/proto.js';

export type EndReason = 'idle' | 'active' | 'end' | 'eoc';

/** How a flow came to be attributed to a rule. */
export type MatchHow = 'direct' | 'expectation' | 'window' | 'none';

export interface FlowKey {
  /** IP protocol number (6 tcp, 17 udp, 1 icmp, 58 icmpv6, others as seen). */
  proto: number;
  /** Originator address (textual, canonical: dotted quad or RFC 5952 IPv6). */
  src: string;
  /** Originator port; ICMP: the type of the originator's first message (as Zeek). */
  sport: number;
  /** Responder address. */
  dst: string;
  /** Responder port; ICMP: the code (as Zeek). */
  dport: number;
}

/** What an expectation (inspector announcement or catalog follow-on window) said about a new flow. */
export interface ExpectationHit {
  kind: 'epm' | 'ftp' | 'ssrp' | 'tftp' | 'window';
  /** Flow id (within the same ingest run / capture) of the announcing flow. */
  parentFlowId: number;
  /** Rule id the follow-on channel belongs to, when the announcer knew it. */
  rule: string | null;
  /** Human-readable: "port 49668 announced by EPM reply in flow #1234". */
  evidence: string;
}

export interface Classification {
  /** Matched catalog rule id, or null. */
  rule: string | null;
  /**
   * When no rule matched but rules use the flow's port between other roles (a near miss): the
   * nearest of them, the rule the evidence names first. Null otherwise (a match, an expectation
   * hit, or a port no rule uses).
   */
  nearestRule: string | null;
  how: MatchHow;
  /** Why this rule (or why none): human-readable. */
  evidence: string | null;
  /** Roles of the originator and responder from the site file (may be several). */
  srcRoles: string[];
  dstRoles: string[];
  /** WAN site names of each end (null when in no site). */
  srcSite: string | null;
  dstSite: string | null;
  /** True when the site file's ignore list covers the flow. */
  ignored: boolean;
  /**
   * Set when a site-local approval (`allow:` in the site file) covers a flow the review would
   * otherwise report (unexpected, or allowed only by a time window): the site file line of that
   * entry. The flow is then expected and `evidence` says who approved it, when and why. Absent
   * otherwise.
   */
  approved?: number;
  /**
   * True when `evidence` names the flow's own addresses and ports as the placeholders of
   * EVIDENCE_VARS (renderEvidence() writes them out). Such a classification is shared by every
   * flow between the same kinds of ends on the same candidate rules (an unmatched flow on a
   * dynamic port, say), so the store keeps one row for them instead of one per flow. Only the
   * classifier's classifyShared() returns these; classify() returns the text written out.
   */
  evidenceVars?: boolean;
}

/** Placeholders of a shared classification's evidence, each the flow field it stands for. */
export const EVIDENCE_VARS = { src: '{{src}}', dst: '{{dst}}', sport: '{{sport}}', dport: '{{dport}}' } as const;

/** Evidence with its placeholders written out for one flow (the `flows` view does the same in SQL). */
export function renderEvidence(text: string, f: Pick<FlowKey, 'src' | 'sport' | 'dst' | 'dport'>): string {
  return text.replaceAll(EVIDENCE_VARS.src, f.src).replaceAll(EVIDENCE_VARS.dst, f.dst)
    .replaceAll(EVIDENCE_VARS.sport, String(f.sport)).replaceAll(EVIDENCE_VARS.dport, String(f.dport));
}

export interface FlowRecord extends FlowKey {
  /** Flow number: the flows table's row id once stored (evidence refers to it as "flow #id"). */
  id: number;
  /** The capture (captures.id) the flow started in; 0 when not stored. */
  captureId: number;
  ipVersion: 4 | 6;
  /** True when the originator was inferred (no SYN seen, or not TCP): lower/well-known port is the responder. */
  originatorGuessed: boolean;
  origPackets: number;
  respPackets: number;
  /** Wire/frame bytes (original frame length, link header included), as tshark counts. */
  origBytes: number;
  respBytes: number;
  /** IP bytes (IP total length / IPv6 header + payload). */
  origIpBytes: number;
  respIpBytes: number;
  /** Transport payload bytes. */
  origPayloadBytes: number;
  respPayloadBytes: number;
  /** Epoch seconds, fractional. */
  start: number;
  end: number;
  /** Zeek conn_state (S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR, OTH). */
  state: string;
  /** Zeek-style history string (ShADadFfRrTtWw...). */
  history: string;
  /** 802.1Q VLAN ids seen on the flow's packets (outermost first per tag stack). */
  vlans: number[];
  /** TCP option kinds seen on the SYN and on the SYN-ACK. */
  synOptions: number[];
  synAckOptions: number[];
  /** Community ID v1 ("1:base64"). */
  communityId: string;
  endReason: EndReason;
  /** Encapsulation the flow was found inside ("vxlan", "gre", "erspan", ...), or null. */
  tunnel: string | null;
  /** Expectation that claimed this flow when it started, if any. */
  expectation: ExpectationHit | null;
  /** Filled by the classify stage; null when no site/catalog was given. */
  classification: Classification | null;
}
