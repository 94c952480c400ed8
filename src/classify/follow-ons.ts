/**
 * Catalog follow-on channels, shared by ingest and by re-classification of stored flows:
 * which follow-on rule an announcement belongs to, the time windows a classified flow opens
 * (planned by the classifier, registered per flow), which flows must be classified as they
 * start because they may open some, and whether a window keeps the flow it claimed.
 */
import type { Catalog, ExpectationRequest, FlowClassifier, FlowIdentity, FollowOn, FollowOnPlan, PortRange, Rule } from '../catalog/types.js';
import type { ExpectationTable } from '../flow/expectations.js';
import type { Classification, ExpectationHit, FlowRecord } from '../flow/flow-record.js';
import type { AddressClasses, AddrInfo } from './address-classes.js';
import type { Explanation } from './explain.js';
import { protoNumber } from '../util/proto.js';
import { roleMatch, servicePort, turnable, type Match, type RuleMatcher } from './rule-match.js';

/** parent rule + how the port is learned (+ direction) -> follow-on rule id. */
export class FollowOnIndex {
  private byDirection = new Map<string, string>();
  private byVia = new Map<string, string>();

  constructor(catalog: Catalog | null) {
    for (const r of catalog?.rules ?? []) {
      for (const t of r.then) {
        this.byDirection.set(`${r.id}|${t.via}|${t.direction}`, t.id);
        // Without a direction, the first follow-on listed for that mechanism.
        if (!this.byVia.has(`${r.id}|${t.via}`)) this.byVia.set(`${r.id}|${t.via}`, t.id);
      }
    }
  }

  /**
   * @param sameOriginator whether the announced connection is opened by the announcing flow's
   *   originator (FTP PASV: yes, 'same'; FTP PORT: the server connects back, 'reverse')
   */
  ruleFor(parentRule: string | null, via: string, sameOriginator: boolean): string | null {
    if (!parentRule) return null;
    return this.byDirection.get(`${parentRule}|${via}|${sameOriginator ? 'same' : 'reverse'}`)
      ?? this.byVia.get(`${parentRule}|${via}`) ?? null;
  }
}

/** The parent flow's originator and responder as a plan sees them (turned round or not). */
const originatorOf = (p: FollowOnPlan, flow: FlowRecord | FlowIdentity) => (p.turned ? flow.dst : flow.src);
const responderOf = (p: FollowOnPlan, flow: FlowRecord | FlowIdentity) => (p.turned ? flow.src : flow.dst);
const clientOf = (p: FollowOnPlan, flow: FlowRecord | FlowIdentity) => (p.originatorIsClient ? originatorOf(p, flow) : responderOf(p, flow));
const serverOf = (p: FollowOnPlan, flow: FlowRecord | FlowIdentity) => (p.originatorIsClient ? responderOf(p, flow) : originatorOf(p, flow));
const evidenceOf = (p: FollowOnPlan, flow: FlowRecord | FlowIdentity) => p.evidenceHead + originatorOf(p, flow) + ' -> ' + responderOf(p, flow) + p.evidenceTail;

/**
 * Registers the time windows the classifier planned after `flow` started. A window the same
 * two hosts already have is only extended, as add() would, without building an expectation
 * and its evidence text first. (On the 10M bench that is rare: of 29.2k registrations 28.6k
 * open a new window, the earlier one having lapsed or the pair being new; a site whose
 * clients reconnect within a window's time saves more.)
 */
export function registerFollowOnWindows(expectations: ExpectationTable, plans: readonly FollowOnPlan[], flow: FlowRecord): void {
  for (const p of plans) {
    const client = clientOf(p, flow);
    const server = serverOf(p, flow);
    const expires = flow.start + p.within;
    for (const pr of p.ports) {
      if (!expectations.extendWindow(p.proto, client, server, pr.lo, pr.hi, expires)) openWindow(expectations, p, pr, flow);
    }
  }
}

/** A window new to these two hosts (apart, so that V8 optimises the common path without it). */
function openWindow(expectations: ExpectationTable, p: FollowOnPlan, pr: PortRange, flow: FlowRecord): void {
  expectations.add({
    kind: 'window', proto: p.proto, client: clientOf(p, flow), clientPort: null, server: serverOf(p, flow),
    portLo: pr.lo, portHi: pr.hi, expires: flow.start + p.within, created: flow.start,
    parentFlowId: flow.id, captureId: flow.captureId, rule: p.rule, evidence: evidenceOf(p, flow), uses: 0,
  });
}

/**
 * A flow a time window claimed, judged once its outcome is known (FlowClassifier.windowObjection):
 * when the window cannot explain it, the hit is dropped and the flow classified without it.
 * Ingest calls this as such a flow ends, re-classification for each stored flow a window claims;
 * every other flow passes by untouched. True when the hit was dropped.
 */
export function settleWindowHit(classifier: FlowClassifier, flow: FlowRecord): boolean {
  const hit = flow.expectation;
  if (hit === null || hit.kind !== 'window') return false;
  const objection = classifier.windowObjection(flow, hit);
  if (objection === null) return false;
  flow.expectation = null;
  flow.classification = classifier.classifyDeclinedWindow(flow, hit, objection);
  return true;
}

/** The same windows written out for one flow (tests, diagnostics). */
export function windowRequests(plans: readonly FollowOnPlan[], flow: FlowIdentity): ExpectationRequest[] {
  return plans.map((p) => ({
    kind: 'window', client: clientOf(p, flow), server: serverOf(p, flow), proto: p.proto, ports: p.ports,
    rule: p.rule, within: p.within, evidence: evidenceOf(p, flow),
  }));
}

/** A follow-on channel with the rule that opens it. */
export interface FollowOnOf {
  parent: Rule;
  f: FollowOn;
}

const NO_PLANS: readonly FollowOnPlan[] = [];

/**
 * The classifier's side of follow-on channels: the follow-on an announcement without a rule id
 * belongs to, the windows a matched flow opens, and which flows may open any.
 */
export class FollowOnPlanner {
  /** Follow-on channels by inspector kind (for hits that carry no rule id). */
  private readonly byVia = new Map<FollowOn['via'], FollowOnOf[]>();
  private readonly ruleById: Map<string, Rule>;
  // Plans per shared classification: every flow a service-port classification covers matched
  // the same rule the same way on the same port (one is registered per parent flow: 135, 402...).
  private readonly plansByClassification = new WeakMap<Classification, readonly FollowOnPlan[]>();
  /** Per protocol number: 1 at the ports where some rule with follow-ons is (see needsEarly). */
  private readonly opensByProto: Uint8Array[];

  constructor(
    catalog: Catalog,
    private readonly addresses: AddressClasses,
    private readonly matcher: RuleMatcher,
    private readonly explain: Explanation,
  ) {
    for (const rule of catalog.rules) {
      for (const f of rule.then) {
        const l = this.byVia.get(f.via) ?? [];
        l.push({ parent: rule, f });
        this.byVia.set(f.via, l);
      }
    }
    this.ruleById = new Map(catalog.rules.map((r) => [r.id, r]));

    // Which flows must be classified the moment they start: those that may open follow-on
    // channels (their rule's `then`), because the windows they open claim later flows.
    // Everything else can be classified later, off the packet path (the store's writer thread
    // does it). This runs for every new flow, so the answer is a table per protocol, filled
    // once: 1 where some rule with follow-ons has the port. (Filling it lazily per port
    // allocated closures for every new ephemeral port of a guessed flow: 34 MB on the 10M
    // bench.) Indexed by protocol number (an array index, not a map probe); a protocol no rule
    // with follow-ons names shares the table of the rules of any protocol.
    const anyProtoOpens: Uint8Array = new Uint8Array(65_536);
    const ownTables: (Uint8Array | undefined)[] = new Array(256).fill(undefined);
    const opening = catalog.rules.filter((r) => r.then.length > 0);
    for (const r of opening) {
      const pn = protoNumber(r.proto);
      if (pn === null) continue;
      const byPort = (ownTables[pn] ??= new Uint8Array(65_536));
      for (const x of r.ports) byPort.fill(1, x.lo, x.hi + 1);
    }
    // A rule of any protocol marks its ports in every table (range fills: no per-port loop at start-up).
    for (const r of opening) {
      if (protoNumber(r.proto) !== null) continue;
      for (const byPort of [anyProtoOpens, ...ownTables]) if (byPort) for (const x of r.ports) byPort.fill(1, x.lo, x.hi + 1);
    }
    this.opensByProto = ownTables.map((t) => t ?? anyProtoOpens);
  }

  /** The follow-on channel of the hit's kind whose parent rule fits the two ends' roles, or null. */
  attribute(hit: ExpectationHit, flow: FlowIdentity, src: AddrInfo, dst: AddrInfo): FollowOnOf | null {
    for (const c of this.byVia.get(hit.kind) ?? []) {
      if (protoNumber(c.f.proto) !== flow.proto) continue;
      // The parent flow's originator is this flow's originator for "same", its responder for "reverse".
      const [po, pr] = c.f.direction === 'same' ? [src, dst] : [dst, src];
      if (roleMatch(c.parent, po, pr) || (c.parent.direction === 'both' && roleMatch(c.parent, pr, po))) return c;
    }
    return null;
  }

  /** Follow-on windows a flow classified as `cls` opens as it starts (shared plans). */
  plansFor(flow: FlowIdentity, cls: Classification): readonly FollowOnPlan[] {
    if (!cls.rule || cls.how !== 'direct') return NO_PLANS;
    let plans = this.plansByClassification.get(cls);
    if (plans !== undefined) return plans;
    // Most rules open no follow-on channel: answer before matching the flow again.
    if (this.ruleById.get(cls.rule)?.then.length === 0) return NO_PLANS;
    const m = this.matcher.find(flow, this.addresses.info(flow.src), this.addresses.info(flow.dst), cls.rule);
    if (!m) return NO_PLANS;
    // Turned round, the port in the evidence is this flow's own: not shared.
    const turned = m.pass === 'guessed-reversed';
    plans = this.windowPlans(m, flow.proto, turned);
    if (!turned) this.plansByClassification.set(cls, plans);
    return plans;
  }

  /** The windows a match opens; the flow's two addresses are filled in when registered. */
  private windowPlans(m: Match, flowProto: number, turned: boolean): FollowOnPlan[] {
    const rule = m.entry.rule;
    const plans: FollowOnPlan[] = [];
    for (const f of rule.then) {
      // Windows are registered for "window" channels, and for "epm" as a fallback: if no
      // endpoint-mapper reply is decoded (encrypted, truncated, capture started late) the
      // dynamic port still gets attributed. The flow table prefers an exact inspector hit.
      if (f.via !== 'window' && f.via !== 'epm') continue;
      const proto = protoNumber(f.proto);
      if (f.ports.length === 0 || proto === null) continue;
      plans.push({
        kind: 'window', rule: f.id, proto, ports: f.ports, within: f.within, turned,
        originatorIsClient: f.direction === 'same',
        evidenceHead: this.explain.windowHead(f, rule, flowProto, m.port),
        evidenceTail: this.explain.windowTail(f),
      });
    }
    return plans;
  }

  /** True when the flow may open follow-on windows (FlowClassifier.needsEarly). */
  needsEarly(flow: FlowIdentity): boolean {
    const byPort = this.opensByProto[flow.proto & 0xff]!;
    if (byPort[servicePort(flow) & 0xffff] === 1) return true;
    return turnable(flow) && byPort[flow.sport & 0xffff] === 1;
  }
}
