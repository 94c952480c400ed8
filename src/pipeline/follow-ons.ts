/**
 * Catalog follow-on channels, shared by ingest and by re-classification of stored flows:
 * which follow-on rule an announcement belongs to, and the time windows a classified flow opens.
 */
import type { Catalog, ExpectationRequest } from '../catalog/types.js';
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

/** Registers the time-window expectations the classifier asked for after `flow` started. */
export function registerFollowOnWindows(expectations: ExpectationTable, requests: readonly ExpectationRequest[], flow: FlowRecord): void {
  for (const r of requests) {
    for (const pr of r.ports) {
      expectations.add({
        kind: 'window', proto: r.proto, client: r.client, clientPort: null, server: r.server,
        portLo: pr.lo, portHi: pr.hi, expires: flow.start + r.within, created: flow.start,
        parentFlowId: flow.id, captureId: flow.captureId, rule: r.rule, evidence: r.evidence, uses: 0,
      });
    }
  }
}
