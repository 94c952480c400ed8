/**
 * Whether a time window can explain the flow it claimed. A window ("any connection between
 * the two hosts on these ports within T seconds") is weaker evidence than an announced port,
 * so a flow it claimed is judged once its outcome is known, and the window is declined when:
 *
 *  - the connection was not accepted (tcpAccepted: S0, REJ, a reset before any data): an
 *    attempt nobody took up is no follow-on channel, whatever port it tried;
 *  - its port is the well-known port of another service (the service-name table the reports
 *    use: 3389 rdp, 1433 mssql, 8080 http-alt, 5900 vnc, ...), unless the follow-on's own
 *    ports name it: a single port or a range of at most WIDE ports, as the catalog writes it
 *    or a site parameter sets it. A catch-all range ("above 1024") does not name its ports.
 *
 * A declined flow is classified as if no window had claimed it: a rule that allows it
 * directly still does, and otherwise it is unexpected, with the window it did not fit named.
 */
import { parsePortExpr, resolvePortItems } from '../catalog/catalog-file.js';
import type { Catalog, FollowOn, PortRange, WindowJudged } from '../catalog/types.js';
import type { ExpectationHit } from '../flow/flow-record.js';
import { tcpAccepted } from '../flow/tcp-state.js';
import { PROTO_TCP, protoName, serviceName } from '../util/proto.js';
import type { Explanation } from './explain.js';
import { WIDE } from './port-tables.js';

const NONE: readonly PortRange[] = [];

export class WindowJudge {
  /** Per follow-on id: the ranges of its ports narrow enough to name each port (at most WIDE). */
  private readonly named = new Map<string, readonly PortRange[]>();

  /** `siteParams`: the site file's parameters (the catalog's ports are resolved with them). */
  constructor(catalog: Catalog, siteParams: ReadonlyMap<string, number>, private readonly explain: Explanation) {
    for (const r of catalog.rules) for (const f of r.then) this.named.set(f.id, namedRanges(f, catalog, siteParams));
  }

  /** Why the window cannot explain the flow, or null when it can (see the module comment). */
  objection(flow: WindowJudged, hit: ExpectationHit): string | null {
    const why: string[] = [];
    const service = serviceName(protoName(flow.proto), flow.dport);
    if (service !== undefined && !this.names(hit.rule, flow.dport)) why.push(this.explain.windowServicePort(flow.proto, flow.dport, service));
    if (flow.proto === PROTO_TCP && !tcpAccepted(flow)) why.push(this.explain.windowNotAccepted(flow));
    return why.length === 0 ? null : why.join('; ');
  }

  /** True when the follow-on `rule` names `port` (a narrow range of its own ports holds it). */
  private names(rule: string | null, port: number): boolean {
    for (const r of (rule === null ? undefined : this.named.get(rule)) ?? NONE) if (port >= r.lo && port <= r.hi) return true;
    return false;
  }
}

/**
 * The items of a follow-on's port expression that name their ports: each item resolved on its
 * own, since the follow-on's merged ports fold a named port into a catch-all range around it
 * ("3389, 1025-65535" is one range there).
 */
function namedRanges(f: FollowOn, catalog: Catalog, siteParams: ReadonlyMap<string, number>): PortRange[] {
  const items = f.portsText === undefined ? 'no text' : parsePortExpr(f.portsText, f.id.slice(0, Math.max(0, f.id.indexOf('.'))));
  const ranges = typeof items === 'string' ? f.ports : items.flatMap((it) => resolvePortItems([it], catalog.params, siteParams));
  return ranges.filter((p) => p.hi - p.lo + 1 <= WIDE);
}
