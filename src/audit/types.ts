/**
 * Result of an audit: the JSON report contract (docs/contracts.md, "JSON report")
 * `{ summary, unexpected, missing, wanCache }` plus the extra sections the human
 * formats need (groups, informational findings, role matrix, timeline, rules checked).
 *
 * Contract fields (do not rename): every unexpected and wanCache item has `proto`,
 * `src`, `sport`, `dst`, `dport` (originator → responder) and `reason`; wanCache items
 * also `rule` and `evidence` (array, empty when none); missing items have `rule`, `dst`,
 * `proto`, `ports`. Items carry `group`, the id of their FindingGroup.
 */
import type { SourceRef } from '../catalog/types.js';

/** Epoch seconds, fractional (as in FlowRecord). */
export type EpochSeconds = number;

/** The five-tuple as the report contract names it; proto is a name ("tcp", "udp", "icmp", ...). */
export interface FlowRef {
  proto: string;
  src: string;
  sport: number;
  dst: string;
  dport: number;
}

/** A short reference to one flow, used as an example inside a group. */
export interface FlowExample extends FlowRef {
  start: EpochSeconds;
  state: string;
  flowId: number;
}

/** Why a flow is unexpected. */
export type UnexpectedKind =
  /** No rule, expectation or ignore entry covers the flow. */
  | 'no-rule'
  /** A catalog rule covers the protocol/port, but not between these roles. */
  | 'role-mismatch'
  /** Only a time window allows the flow, and the review is strict (announced ports only). */
  | 'window-only';

/** What every per-flow finding item says of its flow (audit/flow-facts.ts fills it). */
export interface FlowFacts {
  srcRoles: readonly string[];
  dstRoles: readonly string[];
  srcSite: string | null;
  dstSite: string | null;
  start: EpochSeconds;
  end: EpochSeconds;
  state: string;
  packets: number;
  bytes: number;
  flowId: number;
  captureId: number;
  capture: string;
  communityId: string;
  group: string;
  /**
   * The sensors that saw the flow (a conversation several sensors saw is one item naming them all;
   * null: a capture stored without a sensor name). Present only when the audited captures come
   * from several sensors.
   */
  sensors?: (string | null)[];
}

export interface UnexpectedItem extends FlowRef, FlowFacts {
  kind: UnexpectedKind;
  reason: string;
  /** The catalog rule on the same protocol/port that comes nearest (role mismatch), else null. */
  nearestRule: string | null;
}

export interface MissingItem {
  rule: string;
  ruleTitle: string;
  /** The destination host address, or for a CIDR/range role the role's address text. */
  dst: string;
  /** 'host': one single-address entry of the to-role; 'role': the role's ranges as a whole. */
  target: 'host' | 'role';
  dstRole: string;
  fromRoles: string[];
  proto: string;
  /** Ports as text: "8530,8531", "49152-65535". */
  ports: string;
  reason: string;
  /** Matching flows seen that were never answered (TCP only; 0 when nothing was tried). */
  attempts: number;
  window: { start: EpochSeconds; end: EpochSeconds } | null;
  /** True when a capture lost packets (drops > 0 or partial), which may explain the absence. */
  lossMayExplain: boolean;
  /** True when the captures decoded nothing or little (Summary.decodeNote), which may explain it. */
  decodeMayExplain: boolean;
  source: SourceRef;
  group: string;
}

/**
 * A host the site file declares for a role, which no flow reached on any rule it answers on
 * (audit/silent.ts says what counts). One item per host.
 */
export interface SilentHostItem {
  /**
   * 'missing': a missing finding (declaring the host says it is expected to be used);
   * 'optional': the site file lists every one of its rules under `optional:` (informational).
   */
  status: 'missing' | 'optional';
  /** The declared address. */
  host: string;
  /** Its declared roles that answer on a rule of this site. */
  roles: string[];
  /** Those roles' titles as a sentence reads them ("Deployment Server and PXE server"). */
  roleTitle: string;
  /** The rules it could have been reached on (catalog order). */
  rules: string[];
  /** Analysed flows with the host at one end that did not reach it on one of its rules. */
  otherFlows: number;
  reason: string;
  window: { start: EpochSeconds; end: EpochSeconds } | null;
  /** True when a capture lost packets (drops > 0 or partial), which may explain the silence. */
  lossMayExplain: boolean;
  /** True when the captures decoded nothing or little (summary.decodeNote), which may explain it too. */
  decodeMayExplain: boolean;
}

/**
 * violation: a never-cache flow crossing sites with evidence a WAN optimizer touched it;
 * must-not-cache: a never-cache flow crossing sites (the admin must exclude it);
 * cacheable: an `allowed` flow crossing sites (listed for information).
 */
export type WanCacheStatus = 'violation' | 'must-not-cache' | 'cacheable';

export interface WanExclusion {
  /** Server (responder) address and port: what an optimizer pass-through rule names. */
  server: string;
  proto: string;
  port: number;
  text: string;
}

export interface WanCacheItem extends FlowRef {
  rule: string;
  reason: string;
  evidence: string[];
  status: WanCacheStatus;
  cacheable: boolean;
  srcSite: string;
  dstSite: string;
  /** The exclusion an optimizer admin needs; null for cacheable flows. */
  exclusion: WanExclusion | null;
  tapSide: 'lan' | 'wan' | null;
  /** What the tap position means for the evidence (options visible / stripped / unknown). */
  tapNote: string;
  start: EpochSeconds;
  end: EpochSeconds;
  flowId: number;
  captureId: number;
  capture: string;
  communityId: string;
  group: string;
  /** The sensors that saw the flow (see FlowFacts.sensors); only when the captures come from several sensors. */
  sensors?: (string | null)[];
}

/**
 * A flow only a time window allows: a follow-on of a control flow (Altiris TCP 402, RPC 135
 * without a decoded endpoint-mapper reply) on a port no announcement named. Weaker evidence
 * than an announced port: the human formats list these in a section of their own.
 */
export interface WindowItem extends FlowRef, FlowFacts {
  match: 'window';
  /** The follow-on rule the window belongs to. */
  rule: string;
  /** The rule of the control flow that opened the window. */
  parentRule: string | null;
  /** Flow id of the control flow that opened the window (and announced no port). */
  parentFlowId: number;
  /** That control flow, when it is among the flows audited; else null. */
  controlFlow: FlowExample | null;
  /** The window's evidence: follow-on, parent rule, the control flow's ends. */
  reason: string;
  /** True when the server accepted connections on this port from several clients (see WindowTracker). */
  doubtful: boolean;
  /** Why the match is doubtful, or null. */
  doubt: string | null;
}

/** Informational (not counted as missing): e.g. an EPM reply announcing a port nobody used. */
export interface InformationalItem {
  kind: 'unused-expectation';
  via: 'epm' | 'ftp' | 'ssrp' | 'tftp' | 'window';
  client: string | null;
  server: string;
  proto: string;
  ports: string;
  rule: string | null;
  reason: string;
  ts: EpochSeconds;
  captureId: number;
  parentFlowId: number;
}

export type Section = 'unexpected' | 'missing' | 'wanCache' | 'windowOnly';

/**
 * Repeated findings of one section with the same roles, service and port, aggregated so the
 * human formats print one line for a 10,000-port scan instead of 10,000.
 */
export interface FindingGroup {
  id: string;
  section: Section;
  /** unexpected: UnexpectedKind or 'port-scan'; missing: 'missing'; wanCache: WanCacheStatus; windowOnly: 'window' or 'doubtful'. */
  kind: string;
  proto: string;
  /** Human service label: "tcp/445 (smb)", "tcp, 10000 ports 1-10000". */
  service: string;
  /** Port text: "445", "1-10000", "8530,8531". */
  ports: string;
  portCount: number;
  /** Role (or site) label of each side: "sccm.client", "site:leeds (no role)". */
  srcLabel: string;
  dstLabel: string;
  rule: string | null;
  reason: string;
  count: number;
  firstSeen: EpochSeconds | null;
  lastSeen: EpochSeconds | null;
  /** Distinct hosts on each side (capped; `hostsCapped` says the real number is higher). */
  srcHosts: number;
  dstHosts: number;
  hostsCapped: boolean;
  /** Up to three flows (unexpected/wanCache) or destination hosts (missing) as examples. */
  examples: FlowExample[];
  exampleHosts: string[];
  /** wanCache: the pass-through exclusion for the whole group. */
  exclusion: string | null;
  /** wanCache: evidence lines of the group; windowOnly: the control flows that opened the windows (deduplicated, capped). */
  evidence: string[];
  /** The sensors that saw the group's flows (not for missing); only when the captures come from several sensors. */
  sensors?: (string | null)[];
}

/** What became of the captured packets: decoded into flows, non-IP, or not decoded (by reason). */
export interface DecodeCoverage {
  packets: number;
  /** Packets decoded to IP with a flow key. */
  decoded: number;
  /** Non-IP frames (ARP, LLDP, STP, ...): no flow by design. */
  nonIp: number;
  notDecoded: number;
  /** notDecoded by reason ("unsupported-linktype", "truncated-ip", ...). */
  reasons: Record<string, number>;
  /** Link types of the captures that flowaudit does not decode. */
  unsupportedLinkTypes: number[];
}

export interface CaptureSummary {
  id: number;
  source: string;
  format: string;
  firstTs: EpochSeconds | null;
  lastTs: EpochSeconds | null;
  window: string;
  packets: number;
  bytes: number;
  drops: number | null;
  ifDrops: number | null;
  status: 'complete' | 'partial';
  error: string | null;
  tapSide: 'lan' | 'wan' | null;
  decode: DecodeCoverage;
}

export interface SummaryCounts {
  unexpected: number;
  unexpectedGroups: number;
  missing: number;
  missingGroups: number;
  wanCache: number;
  wanCacheViolations: number;
  wanCacheMustNotCache: number;
  wanCacheCacheable: number;
  wanCacheGroups: number;
  informational: number;
  /** Silent declared hosts counted as missing findings, and those the site made optional. */
  silentHosts: number;
  silentHostsOptional: number;
  /** Flows only a time window allows (their own section; 0 in a strict review, where they are unexpected). */
  windowOnly: number;
  windowOnlyGroups: number;
  /** Of those, the doubtful ones (a port several clients used). */
  windowOnlyDoubtful: number;
}

export interface FlowCounts {
  /** Every flow read from the input. */
  analysed: number;
  /** Flows touching a role or site address (the audit's scope). */
  inScope: number;
  /** In scope and covered by a rule or expectation. */
  expected: number;
  unexpected: number;
  /** Covered by the site's ignore list. */
  ignored: number;
  /** Touching no role and no site address. */
  outOfScope: number;
  /** Flows without classification (no site was applied when stored); treated as out of scope. */
  unclassified: number;
  /**
   * Of the expected flows, those only a site-local approval (`allow:`) made expected. Present
   * when the site file has allow entries.
   */
  approved?: number;
  /**
   * Flows stored by one sensor of a conversation another sensor saw too (same Community ID,
   * overlapping in time, store/conversation-sql.ts): not counted above, the conversation counts
   * once as its lowest flow id. Present when the audited captures come from several sensors.
   */
  duplicates?: number;
}

/** A site-local approval in force (`allow:` in the site file) and the flows it covered. */
export interface ApprovalItem {
  /** The entry's line in the site file. */
  line: number;
  /** `from` / `to` as written (role ids, addresses, CIDRs, ranges); null = any. */
  from: string[] | null;
  to: string[] | null;
  /** tcp, udp, icmp, icmpv6; null = any. */
  proto: string | null;
  /** Ports as written ("445", "8000-8010", "80, 443"); null = any. */
  ports: string | null;
  reason: string;
  by: string | null;
  /** YYYY-MM-DD. */
  date: string | null;
  /** The catalog rule it was approved against, when the entry names one. */
  rule: string | null;
  /** The entry as written in the site file. */
  text: string;
  /** In-scope flows of this audit it made expected. */
  flows: number;
}

export interface Summary {
  /** One line: "clean: ..." or "findings: ...". */
  verdict: string;
  clean: boolean;
  counts: SummaryCounts;
  flows: FlowCounts;
  window: { start: EpochSeconds; end: EpochSeconds; text: string } | null;
  captures: CaptureSummary[];
  packets: number;
  drops: number;
  /** Set when packets were lost or a capture is partial; repeated on missing items. */
  lossNote: string | null;
  /** Decode coverage of all captures together (each capture has its own in `captures`). */
  decode: DecodeCoverage;
  /** Set when the captures decoded nothing or little (see audit/coverage.ts); repeated on missing items. */
  decodeNote: string | null;
  catalogs: string[];
  catalogHash: string;
  siteFile: string;
  siteHash: string;
  rulesChecked: number;
  generatedAt: string;
  /** A strict review: flows only a time window allows are unexpected (`--strict`, or `strict: true` in the site file). */
  strict: boolean;
}

/** Observed traffic between role labels (in-scope flows only). */
export interface MatrixCell {
  from: string;
  to: string;
  expected: number;
  unexpected: number;
  ignored: number;
}

export interface RoleMatrix {
  labels: string[];
  cells: MatrixCell[];
}

export interface TimelineBucket {
  /** Bucket start, epoch seconds. */
  t: EpochSeconds;
  expected: number;
  unexpected: number;
  /** Ignored, out of scope or unclassified. */
  other: number;
}

export interface Timeline {
  bucketSeconds: number;
  buckets: TimelineBucket[];
}

/** A catalog rule as checked, with its source citation and how many flows it matched. */
export interface RuleCheck {
  id: string;
  product: string;
  title: string;
  from: string[];
  to: string[];
  proto: string;
  ports: string;
  portsText: string;
  direction: 'one-way' | 'both';
  /** As this site requires it: the site file's `require:` / `optional:` override the catalog. */
  required: boolean;
  wanCache: 'never' | 'allowed' | null;
  source: SourceRef;
  file: string;
  line: number;
  flows: number;
}

/**
 * The per-flow items of one finding section. The audit holds only their number: iterating
 * builds the items again from their flows, read by id (from the store the audit read, which
 * must still be open), so a report of a million findings is written item by item. An array
 * is one too (a result built in memory).
 */
export interface ItemList<T> extends Iterable<T> {
  readonly length: number;
}

/** A pass-through rule a WAN-optimizer admin configures: one per server, protocol and port. */
export interface ExclusionRow {
  server: string;
  proto: string;
  port: number;
  /** The sites whose optimizers need it. */
  sites: string[];
  rule: string;
  flows: number;
}

/**
 * A catalog rule this site could have used (one of its from-roles and one of its to-roles have
 * addresses) that no flow matched, itself or through a follow-on channel, and that is not
 * reported missing: a permitted path nobody used (audit/unused-rules.ts).
 */
export interface UnusedRuleItem {
  rule: string;
  product: string;
  title: string;
  /** Its from-roles and to-roles that have addresses in this site. */
  from: string[];
  to: string[];
  proto: string;
  ports: string;
  direction: 'one-way' | 'both';
  /** As this site requires it (a required rule is listed here only when it could not be reported missing). */
  required: boolean;
  reason: string;
  source: SourceRef;
}

export interface AuditResult {
  summary: Summary;
  unexpected: ItemList<UnexpectedItem>;
  missing: MissingItem[];
  /** Declared hosts nobody reached: shown in the missing section, one line per host. */
  silentHosts: SilentHostItem[];
  wanCache: ItemList<WanCacheItem>;
  /** Flows only a time window allows (empty in a strict review). */
  windowOnly: ItemList<WindowItem>;
  /**
   * What the WAN-cache items ask of an optimizer admin: the distinct exclusions, and what the
   * tap position of the captures with must-not-cache flows means for the evidence.
   */
  wanAdvice: { exclusions: ExclusionRow[]; tapNotes: string[] };
  informational: InformationalItem[];
  groups: {
    unexpected: FindingGroup[];
    missing: FindingGroup[];
    wanCache: FindingGroup[];
    windowOnly: FindingGroup[];
  };
  /** Role id -> title, so reports can print "Management point" for "sccm.management-point". */
  roleTitles: Record<string, string>;
  matrix: RoleMatrix;
  timeline: Timeline;
  rules: RuleCheck[];
  /** Rules with hosts on both sides and no flow in the window (not those reported missing). */
  unusedRules?: UnusedRuleItem[];
  /** The site file's approvals (`allow:`) with their flow counts; absent when it has none. */
  approvals?: ApprovalItem[];
  /** What each sensor captured (audit/sensors.ts); present when the audited captures come from several sensors. */
  sensors?: SensorCoverage[];
  /** Spans inside the audit window no capture covers; present with `sensors`. */
  coverageGaps?: CoverageGap[];
}

/** One sensor's share of the audited captures. */
export interface SensorCoverage {
  /** The sensor's name; null for captures stored without one (older databases): "(unnamed)". */
  sensor: string | null;
  /** Its captures' ids. */
  captures: number[];
  /** First and last packet of its captures (null when they hold none). */
  firstTs: EpochSeconds | null;
  lastTs: EpochSeconds | null;
  window: string;
  packets: number;
  bytes: number;
  /** Kernel and interface drops of its live captures; null when none of them knows. */
  drops: number | null;
  ifDrops: number | null;
  /** Its captures that are partial (damaged file, interrupted read). */
  partial: number;
  /** Flows stored from its captures. */
  flows: number;
  /** Of those, flows of a conversation another sensor saw too. */
  sharedFlows: number;
}

/** A span inside the audit window that no audited capture covers. */
export interface CoverageGap {
  start: EpochSeconds;
  end: EpochSeconds;
  text: string;
}

export type FailKind = 'unexpected' | 'missing' | 'wan-cache';
