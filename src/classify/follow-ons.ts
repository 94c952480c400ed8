/**
 * Catalog follow-on channels, shared by ingest and by re-classification of stored flows:
 * which follow-on rule an announcement belongs to, and the time windows a classified flow opens.
 */
import type { Catalog, ExpectationRequest, FlowIdentity, FollowOnPlan, PortRange } from '../catalog/types.js';
import type { ExpectationTable } from '../flow/expectations.js';
import type { FlowRecord } from '../flow/flow-record.js';

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

/** The same windows written out for one flow (tests, diagnostics). */
export function windowRequests(plans: readonly FollowOnPlan[], flow: FlowIdentity): ExpectationRequest[] {
  return plans.map((p) => ({
    kind: 'window', client: clientOf(p, flow), server: serverOf(p, flow), proto: p.proto, ports: p.ports,
    rule: p.rule, within: p.within, evidence: evidenceOf(p, flow),
  }));
}
