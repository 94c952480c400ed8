import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import { runAudit } from '../../src/audit/audit.js';
import { buildRichResult } from '../helpers/report-sample.js';
import { expectValidReport, validateReport } from '../helpers/report-validate.js';
import { capture, catalog, site } from '../helpers/audit-fixtures.js';

describe('json report', () => {
  it('keeps one item per flow with its group id, and validates against the schema', () => {
    const r = buildRichResult();
    const parsed = JSON.parse(renderReport(r, 'json'));
    expect(validateReport(parsed)).toBe(true);
    expect(Object.keys(parsed).slice(0, 4)).toEqual(['summary', 'unexpected', 'missing', 'wanCache']);
    expect(parsed.unexpected).toHaveLength(10002);
    expect(parsed.unexpected.filter((u: { group: string }) => u.group === 'U1')).toHaveLength(10000);
    expect(parsed.groups.unexpected).toHaveLength(3);
    expect(parsed.summary.counts).toMatchObject({ unexpected: 10002, unexpectedGroups: 3, missing: 2, wanCacheViolations: 1, wanCacheMustNotCache: 3, wanCacheCacheable: 1 });
    expect(parsed.wanCache[0]).toMatchObject({ rule: 'sccm.client-to-dp.smb', evidence: ['TCP option 76 (Riverbed auto-discovery probe) on SYN'], status: 'violation' });
    expect(parsed.missing[0]).toMatchObject({ rule: 'sccm.client-to-sup.wsus', dst: '10.0.0.12', proto: 'tcp', ports: '8530-8531', lossMayExplain: true });
  });

  it('prints one line when not pretty', () => {
    const r = buildRichResult({ scanPorts: 3 });
    const out = renderReport(r, 'json', { pretty: false });
    expect(out.trimEnd().split('\n')).toHaveLength(1);
    expectValidReport(r);
  });

  it('validates an empty audit (no flows, no captures)', () => {
    const r = runAudit({ flows: [], captures: [], catalog: catalog(), site: site(), now: new Date(0) });
    const parsed = expectValidReport(r);
    expect(parsed.summary.window).toBeNull();
    expect(parsed.missing.length).toBeGreaterThan(0);
    expect(parsed.missing[0].reason).toContain('in the analysed traffic');
  });

  it('rejects reports that break the contract', () => {
    const r = JSON.parse(renderReport(runAudit({ flows: [], captures: [capture()], catalog: catalog(), site: site() }), 'json'));
    const noReason = structuredClone(r);
    delete noReason.missing[0].reason;
    expect(validateReport(noReason)).toBe(false);
    const badWan = structuredClone(r);
    badWan.wanCache.push({ proto: 'tcp', src: 'a', sport: 1, dst: 'b', dport: 2, reason: 'x', rule: 'r' });
    expect(validateReport(badWan)).toBe(false);
    const noSummary = structuredClone(r);
    delete noSummary.summary;
    expect(validateReport(noSummary)).toBe(false);
    // No flows: every declared host is silent; the DP's rules are optional in this site.
    expect(r.silentHosts.map((h: { host: string; status: string }) => [h.host, h.status])).toEqual([
      ['10.0.0.10', 'missing'], ['10.0.0.12', 'missing'], ['10.0.0.13', 'missing'], ['10.0.0.20', 'missing'], ['10.20.0.5', 'optional'],
    ]);
    const badSilent = structuredClone(r);
    badSilent.silentHosts[0].status = 'quiet';
    expect(validateReport(badSilent)).toBe(false);
    const noRules = structuredClone(r);
    noRules.silentHosts[0].rules = [];
    expect(validateReport(noRules)).toBe(false);
  });
});
