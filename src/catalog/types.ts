/**
 * Contract between the catalog stage and everything after it (audit, report, CLI).
 * The YAML formats (rules/*.yaml and the site file) are parsed into these shapes.
 */
import type { Classification, ExpectationHit, FlowKey, FlowRecord } from '../flow/flow-record.js';

export type Proto = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'ip';
export type WanCache = 'never' | 'allowed';

/** Where a rule came from: a seed document and the table row / section it transcribes. */
export interface SourceRef {
  doc: string;      // seed file name, e.g. "001_89b7e3ac6d9abfc6.txt"
  ref: string;      // "Table 1: Client -> Management point, HTTP 80 [5]"
  /** The document's product title, from the catalog's `sources` ("Microsoft System Center Configuration Manager 2007"). */
  title?: string;
}

/** An inclusive port interval; single ports have lo === hi. */
export interface PortRange { lo: number; hi: number }

/** A follow-on channel: after the parent rule's flow, a connection between the same hosts. */
export interface FollowOn {
  /** Rule id given to flows matched through this follow-on (e.g. "sccm.mp-to-dc.rpc-dynamic"). */
  id: string;
  proto: Proto;
  /** Ports the follow-on may use when nothing announced them (e.g. 49152-65535). */
  ports: PortRange[];
  /** How the port becomes known: an inspector announcement, or only a time window. */
  via: 'epm' | 'ftp' | 'ssrp' | 'tftp' | 'window';
  /** Seconds after the parent flow within which the follow-on must start. */
  within: number;
  /** Follow-on direction relative to parent: same originator ("same") or reversed ("reverse"). */
  direction: 'same' | 'reverse';
  /** Port expression as written in the catalog ("49152-65535, 1025-5000"), for reports. */
  portsText?: string;
  /** Human-readable name ("RPC dynamic ports after the endpoint mapper"). */
  title?: string;
}

export interface Rule {
  id: string;                 // "product.thing", unique across all catalogs
  product: string;            // catalog id ("sccm-2007")
  title: string;              // "Client to management point, HTTP"
  from: string[];             // role ids (originator side)
  to: string[];               // role ids (responder side)
  proto: Proto;
  /**
   * Resolved ports (parameters substituted with site params or defaults). For proto icmp/icmpv6
   * these are the ICMP types of the originator's first message (FlowKey.sport for ICMP flows).
   * Empty when every port of the rule comes from a parameter set to 0 ("not in use").
   */
  ports: PortRange[];
  /** The unresolved port expression as written ("${switch_port}", "80|8530"), for reports. */
  portsText: string;
  /** "one-way": only from→to; "both": the row was "<->" and either side may originate. */
  direction: 'one-way' | 'both';
  required: boolean;
  wanCache: WanCache | null;
  then: FollowOn[];
  source: SourceRef;
  /** File and line the rule was read from (for `rules check` and reports). */
  file: string;
  line: number;
}

export interface RoleDef {
  id: string;       // "sccm.management-point"
  title: string;    // "management point" (written as it reads inside a sentence)
  product: string;
  /** Longer explanation for listings ("primary or secondary site server"). */
  doc?: string;
  /**
   * Addresses this role has when the site file maps no addresses to it: pseudo-role names
   * ("internet", "multicast", "broadcast", "internal") and/or address expressions
   * ("224.2.0.2-224.2.0.3"). Absent/empty: the role exists only where the site file puts it.
   */
  default?: string[];
}

export interface ParamDef {
  name: string;     // "1e.switch_port"
  /** Vendor default; 0 means "not in use" (ports that resolve to 0 are dropped). */
  default: number;
  doc: string;
  /** Further values accepted while the site file does not set this parameter ("80 or 8530"). */
  alternatives?: number[];
  /**
   * Value derived from another parameter when only that one is set in the site file
   * (WSUS: HTTPS port is 443 when the HTTP port is 80, else HTTP port + 1).
   */
  derive?: { from: string; map: Record<string, number>; add: number };
}

export interface Catalog {
  /** Catalog ids loaded ("sccm-2007", "1e-platform", ...). */
  ids: string[];
  /** Catalog id -> its title ("System Center Configuration Manager 2007"), for listings. */
  titles?: Map<string, string>;
  roles: Map<string, RoleDef>;
  params: Map<string, ParamDef>;
  rules: Rule[];
  /** sha256 over the loaded catalog files, so stored findings know what they were computed from. */
  hash: string;
}

/** One address matcher entry after parsing: numeric inclusive bounds per family. */
export interface AddressRange {
  family: 4 | 6;
  lo: bigint;
  hi: bigint;
  text: string;     // as written in the site file
}

export interface IgnoreEntry {
  from: AddressRange[] | null;  // null = any
  to: AddressRange[] | null;
  proto: Proto | null;
  ports: PortRange[] | null;
  line: number;
  text: string;
}

/**
 * A site-local approval (`allow:` in the site file): a flow the review would report (unexpected,
 * or allowed only by a time window) that the site has looked at and accepts. The same matcher as
 * an ignore entry (from / to / proto / port), and who accepted it, when and why. An approved flow
 * is expected, with the approval as its evidence; unlike an ignored one it stays visible.
 */
export interface AllowEntry extends IgnoreEntry {
  /** Why the flow is accepted (required). */
  reason: string;
  /** Who approved it, when given. */
  by: string | null;
  /** When, as YYYY-MM-DD, when given. */
  date: string | null;
  /** The catalog rule id it was approved against (the flows' nearest rule), when given. */
  rule: string | null;
  /** `from` / `to` as written (role ids of this file, addresses, CIDRs, ranges); null = any. */
  fromText: string[] | null;
  toText: string[] | null;
  /** `port` as written ("445", "8000-8010", "80, 443"); null = any. */
  portText: string | null;
}

export interface Site {
  file: string;
  catalogs: string[];
  roles: Map<string, AddressRange[]>;
  sites: Map<string, AddressRange[]>;
  params: Map<string, number>;
  ignore: IgnoreEntry[];
  /** `allow:` entries (site-local approvals); absent when the site file has none. */
  allow?: AllowEntry[];
  /** sha256 of the site file's bytes. */
  hash: string;
  /** `strict: true`: flows only a time window allows are unexpected (see site-file.ts, review options). */
  strict?: boolean;
  /** Lines of the site file's keys, so later checks against the catalog can name them. */
  lines?: {
    catalogs: number; roles: Map<string, number>; params: Map<string, number>;
    /** Line and field of each entry of `catalogs`, in the same order. */
    catalogItems?: { line: number; field: string }[];
  };
  /** Things accepted but probably not meant ("FILE:LINE: FIELD: message"), for the CLI to print. */
  warnings?: string[];
  /**
   * `require:` and `optional:`: rule ids whose `required` this site overrides (the site file
   * says which paths its deployment must show; see catalog/requirement.ts). Absent: the
   * catalogs decide alone.
   */
  require?: SiteRuleRef[];
  optional?: SiteRuleRef[];
}

/** A rule id as the site file lists it, with where, so a check against the catalog can name it. */
export interface SiteRuleRef {
  id: string;
  line: number;
  /** "require[2]", or "require" for a single id without a list. */
  field: string;
}

/** A flow's identity as the classifier needs it (the flow table knows this at the first packet). */
export interface FlowIdentity extends FlowKey {
  /** Epoch seconds of the first packet. */
  start: number;
  /**
   * True when the flow table inferred the originator (no SYN seen, or UDP). When absent the
   * classifier assumes "guessed" for everything but TCP. Lets a one-way rule match the
   * reversed orientation (see classifier.ts).
   */
  originatorGuessed?: boolean;
}

/**
 * A time window a classified flow opens (a catalog follow-on), in terms of the flow's two ends:
 * one object per kind of parent flow, shared. registerFollowOnWindows() (classify/follow-ons)
 * turns it into expectations for one flow, building them only for windows not yet open.
 */
export interface FollowOnPlan {
  kind: 'window';
  rule: string;            // follow-on rule id
  proto: number;           // IP protocol number
  ports: PortRange[];
  within: number;          // seconds
  /** The parent was matched turned round: its originator is the flow's responder. */
  turned: boolean;
  /** The window's client is the parent's originator (else its responder). */
  originatorIsClient: boolean;
  /** Evidence is evidenceHead + originator + " -> " + responder + evidenceTail. */
  evidenceHead: string;
  evidenceTail: string;
}

/** A follow-on window for one flow, written out (windowRequests() in classify/follow-ons). */
export interface ExpectationRequest {
  kind: 'window';
  client: string;          // address expected to originate the follow-on
  server: string;          // address expected to answer
  proto: number;           // IP protocol number
  ports: PortRange[];
  rule: string;            // follow-on rule id
  within: number;          // seconds
  evidence: string;
}

/**
 * Classifier: pure function of (catalog, site, flow identity, expectation hit).
 * Called once per new flow during ingest and again when re-classifying a stored database.
 */
export interface FlowClassifier {
  classify(flow: FlowIdentity, hit: ExpectationHit | null): Classification;
  /**
   * The same classification as the store keeps it: an object shared by many flows, whose
   * evidence may name the flow's own fields by placeholder (Classification.evidenceVars).
   * Cheaper than classify() (no text per flow); for the paths that store what they classify.
   */
  classifyShared(flow: FlowIdentity, hit: ExpectationHit | null): Classification;
  /** Follow-on windows a flow classified as `cls` opens as it starts (shared plans). */
  followOnPlans(flow: FlowIdentity, cls: Classification): readonly FollowOnPlan[];
  /**
   * True when the flow may open follow-on windows and must be classified as it starts; other
   * flows (without an expectation hit) classify the same at any time, e.g. when stored.
   */
  needsEarly(flow: FlowIdentity): boolean;
  /**
   * A flow a time window claimed, judged once its outcome is known (when it ends, or stored):
   * why the window cannot explain it — the connection was not accepted, or its port is the
   * well-known port of another service that the follow-on does not name — or null when it can.
   */
  windowObjection(flow: WindowJudged, hit: ExpectationHit): string | null;
  /**
   * The classification of a flow whose window hit was declined (windowObjection): what it is
   * without the window, and, when no rule covers it either, why the window did not.
   */
  classifyDeclinedWindow(flow: FlowIdentity, hit: ExpectationHit, objection: string): Classification;
}

/** What judging a window hit needs of a flow: its identity and its outcome. */
export type WindowJudged = FlowIdentity & Pick<FlowRecord, 'state' | 'respPackets' | 'origPayloadBytes' | 'respPayloadBytes'>;
