/**
 * Flows only a time window allows: follow-ons of a control flow (Altiris TCP 402, RPC 135
 * whose endpoint-mapper reply was not decoded) on a port no announcement named. The classifier
 * kept them because the connection was accepted on a port no other service owns
 * (classify/window-judge.ts); that is still weaker evidence than an announced port, so the
 * audit lists them apart, names the control flow that opened the window, and flags a match as
 * doubtful when the port behaves like a listening service — something only the whole capture
 * shows. A strict review turns each of them into an unexpected finding (audit.ts).
 */
import type { Catalog } from '../catalog/types.js';
import type { Classification } from '../flow/flow-record.js';
import type { AuditFlow, FindingFlow } from '../store/types.js';
import { protoName } from '../util/proto.js';
import { count } from './format.js';
import type { FlowExample, UnexpectedItem, WindowItem } from './types.js';
import { flowFacts } from './flow-facts.js';

/**
 * Distinct clients whose windows matched connections to the same server, protocol and port
 * before the port counts as a listening service rather than a per-transfer dynamic port. A
 * dynamic port is allocated for one transfer, so two unrelated clients meet on the same one
 * only by chance (a reused port on a busy server: it happens); a third makes chance an unlikely
 * explanation, and a service listening on that port (or a catch-all window hiding one) the
 * likely one.
 */
export const LISTENER_MIN_CLIENTS = 3;

/** Clients named in a doubt before "and N more". */
const DOUBT_CLIENTS_SHOWN = 3;

export class WindowTracker {
  /** Rules that open windows: their directly matched flows may be the control flow of an item. */
  private readonly opensWindows = new Set<string>();
  /** Follow-on id -> the rule it follows. */
  private readonly parentOf = new Map<string, string>();
  /** Flows of those rules, by flow id (only what an item's controlFlow needs). */
  private readonly controls = new Map<number, FlowExample>();
  /** server|proto|port -> distinct clients whose window matched a connection there. */
  private readonly clients = new Map<string, Set<string>>();

  constructor(catalog: Catalog) {
    for (const r of catalog.rules) {
      for (const f of r.then) {
        this.parentOf.set(f.id, r.id);
        // Windows are registered for `window` follow-ons, and for `epm` as a fallback.
        if (f.via === 'window' || f.via === 'epm') this.opensWindows.add(r.id);
      }
    }
  }

  /** Every classified flow: remembers the flows that may have opened a window. */
  observe(flow: AuditFlow, cls: Classification): void {
    if (cls.how === 'direct' && cls.rule !== null && this.opensWindows.has(cls.rule)) {
      this.controls.set(flow.id, {
        proto: protoName(flow.proto), src: flow.src, sport: flow.sport, dst: flow.dst, dport: flow.dport,
        start: flow.start, state: flow.state, flowId: flow.id,
      });
    }
  }

  /** True for a flow only a time window allows (how it was classified, with the hit it kept). */
  static windowOnly(flow: AuditFlow, cls: Classification): boolean {
    return cls.how === 'window' && cls.rule !== null && flow.expectation !== null && flow.expectation.kind === 'window';
  }

  /** An in-scope, not ignored flow that only a time window allows (see windowOnly): counts its client. */
  add(flow: AuditFlow): void {
    const key = `${flow.dst}|${protoName(flow.proto)}|${flow.dport}`;
    let set = this.clients.get(key);
    if (!set) this.clients.set(key, (set = new Set()));
    set.add(flow.src);
  }

  /**
   * The item of a flow add() counted, once every flow was seen: with its control flow and, when
   * the port behaves like a listening service, its doubt.
   */
  item(flow: FindingFlow, cls: Classification): WindowItem {
    const proto = protoName(flow.proto);
    const parentFlowId = flow.expectation!.parentFlowId;
    const it: WindowItem = {
      proto, src: flow.src, sport: flow.sport, dst: flow.dst, dport: flow.dport,
      match: 'window',
      rule: cls.rule!,
      parentRule: this.parentOf.get(cls.rule!) ?? null,
      parentFlowId,
      controlFlow: this.controls.get(parentFlowId) ?? null,
      reason: cls.evidence ?? flow.expectation!.evidence,
      doubtful: false,
      doubt: null,
      ...flowFacts(flow, cls),
    };
    const clients = this.clients.get(`${flow.dst}|${proto}|${flow.dport}`);
    if (clients && clients.size >= LISTENER_MIN_CLIENTS) {
      it.doubtful = true;
      it.doubt = doubtText(it, clients);
    }
    return it;
  }
}

function doubtText(it: WindowItem, clients: Set<string>): string {
  const all = [...clients].sort();
  const shown = all.slice(0, DOUBT_CLIENTS_SHOWN);
  const names = all.length > shown.length
    ? `${shown.join(', ')} and ${count(all.length - shown.length)} more`
    : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  return `${it.dst} accepted connections on ${it.proto.toUpperCase()} ${it.dport} from ${count(all.length)} clients, each in a window of its own ` +
    `(${names}): a port that many clients reach is a listening service, not a per-transfer dynamic port`;
}

/** A window-only flow as a strict review reports it: unexpected, with the window it relied on. */
export function strictFinding(it: WindowItem): UnexpectedItem {
  return {
    proto: it.proto, src: it.src, sport: it.sport, dst: it.dst, dport: it.dport,
    kind: 'window-only',
    reason: `only a time window allows this flow, and the review accepts announced ports only: ${it.reason}` + (it.doubt ? `; ${it.doubt}` : ''),
    nearestRule: it.rule,
    srcRoles: it.srcRoles, dstRoles: it.dstRoles, srcSite: it.srcSite, dstSite: it.dstSite,
    start: it.start, end: it.end, state: it.state, packets: it.packets, bytes: it.bytes,
    flowId: it.flowId, captureId: it.captureId, capture: it.capture, communityId: it.communityId,
    group: '',
  };
}
