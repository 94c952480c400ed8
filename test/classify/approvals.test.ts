/**
 * Site-local approvals (`allow:`) in the classifier: a flow the review would report — no rule,
 * or only a time window — that an allow entry covers is expected with the approval as its
 * evidence and marked `approved`; flows a rule, an announcement or an ignore entry explains are
 * left as they were, and a site without allow entries classifies exactly as before.
 */
import { describe, expect, it } from 'vitest';
import { createClassifier } from '../../src/classify/classifier.js';
import { loadCatalogs } from '../../src/catalog/rules-loader.js';
import { parseSite } from '../../src/catalog/site-file.js';
import type { FlowIdentity, WindowJudged } from '../../src/catalog/types.js';
import type { ExpectationHit } from '../../src/flow/flow-record.js';

const TCP = 6;
const BASE = `catalogs: [sccm-2007, altiris-ds-5.5]
roles:
  sccm.client: [10.1.0.0/16]
  altiris.client: [10.1.0.0/16]
  sccm.management-point: [10.0.0.10]
  sccm.sql-server: [10.0.0.20]
  altiris.deployment-server: [10.0.0.70]
ignore:
  - { to: 10.0.0.98 }
`;
const ALLOW = `allow:
  - from: sccm.client
    to: sccm.sql-server
    proto: tcp
    port: 1433
    reason: inventory script
    by: alice
    date: 2026-03-01
    rule: sccm.mp-sql
  - { from: altiris.client, to: 10.0.0.70, port: 40000-40010, reason: "pinned transfer port" }
  - { to: 10.0.0.98, reason: "never used: the ignore entry wins" }
  - { from: 10.1.0.0/16, to: 10.0.0.10, port: 80, reason: a rule already allows it }
`;

const catalog = loadCatalogs(['sccm-2007', 'altiris-ds-5.5']);
const plain = createClassifier(catalog, parseSite(BASE, 'site.yaml'));
const approving = createClassifier(catalog, parseSite(BASE + ALLOW, 'site.yaml'));
const flow = (src: string, dst: string, dport: number, sport = 50000): FlowIdentity => ({ proto: TCP, src, sport, dst, dport, start: 1_700_000_000 });
const WINDOW: ExpectationHit = { kind: 'window', parentFlowId: 4, rule: 'altiris.file-transfer', evidence: 'within 3600 s after altiris.aclient-to-server' };

describe('classify: allow entries', () => {
  it('a role mismatch an entry covers is approved: same rule fields, the approval as evidence, the entry\'s line', () => {
    const f = flow('10.1.2.3', '10.0.0.20', 1433);
    const before = plain.classify(f, null);
    expect(before).toMatchObject({ rule: null, nearestRule: 'sccm.pxe-sql', how: 'none' });
    expect(before.approved).toBeUndefined();
    expect(approving.classify(f, null)).toEqual({
      ...before, evidence: 'approved by alice on 2026-03-01: inventory script (rule sccm.mp-sql; site file line 11)', approved: 11,
    });
    // Shared path too (what the store writes).
    expect(approving.classifyShared(f, null)).toMatchObject({ approved: 11 });
    expect(approving.classifyShared(f, null).evidenceVars).toBeUndefined();
  });

  it('a flow only a time window allows is approved, and a declined window falls back to the approval', () => {
    const f = flow('10.1.2.3', '10.0.0.70', 40005);
    expect(approving.classify(f, WINDOW)).toMatchObject({
      rule: 'altiris.file-transfer', how: 'window', approved: 19, evidence: 'approved: pinned transfer port (site file line 19)',
    });
    const judged: WindowJudged = { ...f, state: 'S0', respPackets: 0 } as WindowJudged;
    const objection = approving.windowObjection(judged, WINDOW);
    expect(objection).not.toBeNull();
    expect(approving.classifyDeclinedWindow(f, WINDOW, objection!)).toMatchObject({ rule: null, approved: 19, evidence: 'approved: pinned transfer port (site file line 19)' });
  });

  it('leaves alone what a rule allows, what an ignore entry covers and what an entry does not cover', () => {
    for (const [f, hit] of [
      [flow('10.1.2.3', '10.0.0.10', 80), null],
      [flow('10.1.2.3', '10.0.0.98', 1433), null],
      [flow('10.1.2.3', '10.0.0.20', 1434), null],
      [flow('10.1.2.3', '10.0.0.70', 40011), WINDOW],
    ] as [FlowIdentity, ExpectationHit | null][]) {
      const c = approving.classify(f, hit);
      expect(c.approved, `${f.dst}:${f.dport}`).toBeUndefined();
      expect(c).toEqual(plain.classify(f, hit));
    }
  });

  it('without allow entries the shared classifications are the same objects as before (nothing allocated per flow)', () => {
    const f = flow('10.1.2.3', '10.0.0.20', 1433);
    expect(plain.classifyShared(f, null)).toBe(plain.classifyShared(flow('10.1.9.9', '10.0.0.20', 1433, 51234), null));
  });
});
