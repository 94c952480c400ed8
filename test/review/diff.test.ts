/**
 * The diff of two audits on real fixture captures, with known differences: a product's clean
 * capture against its violations capture under the same site, and site files changed so that a
 * service goes missing or the WAN sites go away. The sets of new / resolved / persisting
 * findings, missing-service and WAN-cache changes are asserted exactly; every JSON diff
 * validates against schema/diff.schema.json.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditResult, FindingGroup } from '../../src/audit/types.js';
import { diffFails, diffReports, type DiffableReport, type ReportDiff } from '../../src/review/diff.js';
import { asReport } from '../../src/review/read-report.js';
import { renderDiff, renderDiffJson } from '../../src/report/diff/index.js';
import { renderJson } from '../../src/report/json.js';
import { renderReport } from '../../src/report/index.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { loadExpected, runPipeline } from '../helpers/run-pipeline.js';

const ajv = new Ajv({ allErrors: true, strict: true });
const validateDiff = ajv.compile(JSON.parse(readFileSync(join(PROJECT_ROOT, 'schema/diff.schema.json'), 'utf8')));

function expectValidDiff(d: ReportDiff): void {
  const ok = validateDiff(JSON.parse(renderDiffJson(d)));
  if (!ok) expect(validateDiff.errors?.slice(0, 5)).toEqual([]);
  expect(ok).toBe(true);
}

const SCCM = join(PROJECT_ROOT, 'fixtures/products/sccm-2007');
const EXAMPLE = join(PROJECT_ROOT, 'fixtures/example');
const scratch = mkdtempSync(join(tmpdir(), 'fa-diff-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of a fixture's site file with `edit` applied, in the scratch folder. */
function siteVariant(dir: string, name: string, edit: (text: string) => string): string {
  const path = join(scratch, name);
  writeFileSync(path, edit(readFileSync(join(dir, 'site.yaml'), 'utf8')));
  return path;
}

/** The JSON report read back, as `flowaudit diff` reads a report file. */
const viaJson = (r: AuditResult): DiffableReport => asReport(JSON.parse(renderJson(r)), 'report.json');
const findingKeys = (list: { kind: string; service: string; srcLabel: string; dstLabel: string; rule: string | null }[]) =>
  list.map((f) => `${f.kind} ${f.service} ${f.srcLabel} -> ${f.dstLabel} ${f.rule ?? '-'}`).sort();
const missingKeys = (list: { kind: string; rule: string | null; dst: string }[]) => list.map((m) => `${m.kind} ${m.rule ?? '-'} ${m.dst}`).sort();

/** The four unexpected flows of sccm-2007/violations.pcap, as finding groups. */
const SCCM_VIOLATIONS = [
  'no-rule tcp/49667 sccm.client -> sccm.domain-controller -',
  'role-mismatch tcp/1433 (mssql) sccm.client -> sccm.sql-server sccm.pxe-sql',
  'role-mismatch tcp/3389 (rdp) sccm.client -> sccm.distribution-point+sccm.pxe-service-point sccm.console-to-client-rdp',
  'role-mismatch udp/1434 (mssql-browser) sccm.client -> sccm.sql-server sccm.pxe-sql-browser',
];
/** What violations.pcap leaves unreached: WSUS, and three declared hosts. */
const SCCM_MISSING = [
  'missing sccm.client-to-sup 10.0.0.23', 'silent-host - 10.0.0.20', 'silent-host - 10.0.0.23', 'silent-host - 10.20.0.5',
];

describe('diff of two audits of the sccm-2007 fixture', () => {
  let clean: AuditResult;
  let violations: AuditResult;
  let violationsStricter: AuditResult;
  beforeAll(async () => {
    clean = (await runPipeline(join(SCCM, 'site.yaml'), [join(SCCM, 'clean.pcap')])).result;
    violations = (await runPipeline(join(SCCM, 'site.yaml'), [join(SCCM, 'violations.pcap')])).result;
    // The same capture, with a site that requires the management point's LDAP to the DC.
    const stricter = siteVariant(SCCM, 'sccm-require.yaml', (t) => `${t}\nrequire: [sccm.mp-to-dc-ldap]\n`);
    violationsStricter = (await runPipeline(stricter, [join(SCCM, 'violations.pcap')])).result;
  }, 60_000);

  it('clean → violations: the four unexpected flows are new, WSUS and three hosts newly missing, nothing resolved', () => {
    const d = diffReports(viaJson(clean), viaJson(violations));
    expect(findingKeys(d.findings.new)).toEqual(SCCM_VIOLATIONS);
    expect(d.findings.resolved).toEqual([]);
    expect(d.findings.persisting).toEqual([]);
    expect(missingKeys(d.missing.new)).toEqual(SCCM_MISSING);
    expect(d.missing.resolved).toEqual([]);
    expect(d.missing.persisting).toEqual([]);
    expect(d.wanCache).toEqual([]);
    expect(d.notes).toEqual([]);
    expect(d.findings.new.every((f) => f.oldCount === 0 && f.newCount === 1 && f.newGroups.length === 1)).toBe(true);
    expect(diffFails(d, ['new'])).toBe(true);
    expect(diffFails(d, ['resolved'])).toBe(false);
    expectValidDiff(d);
  });

  it('violations → clean: the same entries, resolved', () => {
    const d = diffReports(viaJson(violations), viaJson(clean));
    expect(findingKeys(d.findings.resolved)).toEqual(SCCM_VIOLATIONS);
    expect(missingKeys(d.missing.resolved)).toEqual(SCCM_MISSING);
    expect([...d.findings.new, ...d.findings.persisting, ...d.missing.new, ...d.missing.persisting]).toEqual([]);
    expect(diffFails(d, ['new'])).toBe(false);
    expect(diffFails(d, ['resolved'])).toBe(true);
    expectValidDiff(d);
  });

  it('a site change that makes a service go missing: that service is new, everything else persists', () => {
    const d = diffReports(viaJson(violations), viaJson(violationsStricter));
    expect(findingKeys(d.findings.persisting)).toEqual(SCCM_VIOLATIONS);
    expect(d.findings.new).toEqual([]);
    expect(d.findings.resolved).toEqual([]);
    expect(missingKeys(d.missing.new)).toEqual(['missing sccm.mp-to-dc-ldap 10.0.0.10']);
    expect(missingKeys(d.missing.persisting)).toEqual(SCCM_MISSING);
    expect(d.missing.resolved).toEqual([]);
    expect(d.ruleFlows).toEqual([]);
    expect(d.notes).toEqual([expect.stringMatching(/^the site files differ /)]);
    expectValidDiff(d);
  });

  it('lists the rules whose flow count changed by the factor, and those going to or from 0', () => {
    const d = diffReports(viaJson(clean), viaJson(violations));
    const before = new Map(clean.rules.map((r) => [r.id, r.flows]));
    const after = new Map(violations.rules.map((r) => [r.id, r.flows]));
    const want = clean.rules.map((r) => r.id).filter((id) => {
      const [o, n] = [before.get(id)!, after.get(id)!];
      return o !== n && (o === 0 || n === 0 || Math.max(o, n) / Math.min(o, n) >= 2);
    });
    expect(d.ruleFlows.map((r) => r.rule).sort()).toEqual(want.sort());
    expect(d.ruleFlows.find((r) => r.rule === 'sccm.client-to-sup')).toEqual({ rule: 'sccm.client-to-sup', old: 2, new: 0, change: 'vanished', ratio: null });
    expect(d.ruleFlows.find((r) => r.rule === 'sccm.client-to-mp')).toMatchObject({ old: 2, new: 1, change: 'decreased' });
    // A larger factor keeps only the changes to or from 0.
    const d3 = diffReports(viaJson(clean), viaJson(violations), { factor: 3 });
    expect(d3.ruleFlows.every((r) => r.change === 'appeared' || r.change === 'vanished')).toBe(true);
    expect(d3.ruleFlows.length).toBe(d.ruleFlows.length - 2);
  });

  it('renders every format', () => {
    const d = diffReports(viaJson(clean), viaJson(violations), { oldLabel: 'clean.json', newLabel: 'violations.json' });
    expect(renderDiff(d, 'text')).toContain('New findings (4)');
    expect(renderDiff(d, 'md')).toContain('## Newly missing services (4)');
    const html = renderDiff(d, 'html');
    expect(html).toContain('<section id="changes">');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });
});

describe('diff of the example with and without WAN sites', () => {
  it('lists a status change for every WAN-cache path of the example, and nothing else changes', async () => {
    const expected = loadExpected(join(EXAMPLE, 'expected.json')).captures[0]!;
    const noSites = siteVariant(EXAMPLE, 'example-no-sites.yaml', (t) => t.replace(/^sites:\n(  .*\n)+/m, ''));
    const withSites = (await runPipeline(join(EXAMPLE, 'site.yaml'), [join(EXAMPLE, 'estate.pcap')])).result;
    const without = (await runPipeline(noSites, [join(EXAMPLE, 'estate.pcap')])).result;
    expect(without.wanCache).toEqual([]);
    const d = diffReports(viaJson(without), viaJson(withSites));
    // One change per path (rule, service, sites, server), with the worst status of its flows.
    const rank = ['violation', 'must-not-cache', 'cacheable'];
    const worst = new Map<string, string>();
    for (const w of expected.wanCache) {
      const path = `${w.rule} ${w.proto}/${w.dport} ${w.dst}`;
      const have = worst.get(path);
      if (!have || rank.indexOf(w.status) < rank.indexOf(have)) worst.set(path, w.status);
    }
    const paths = [...worst].map(([path, status]) => `${path} null→${status}`);
    expect(d.wanCache.map((w) => `${w.rule} ${w.proto}/${w.service.split(' ')[0]!.split('/')[1]} ${w.server} ${w.old}→${w.new}`).sort())
      .toEqual(paths.sort());
    // The WAN findings that need action are new findings too; the unexpected ones persist.
    expect(findingKeys(d.findings.new)).toEqual(findingKeys(withSites.groups.wanCache.filter((g) => g.kind !== 'cacheable')));
    expect(d.findings.resolved).toEqual([]);
    expectValidDiff(d);
  }, 60_000);
});

describe('matching by group key', () => {
  const group = (over: Partial<FindingGroup>): FindingGroup => ({
    id: 'U1', section: 'unexpected', kind: 'no-rule', proto: 'tcp', service: 'tcp/4444', ports: '4444', portCount: 1,
    srcLabel: 'sccm.client', dstLabel: 'sccm.management-point', rule: null, reason: 'r', count: 1, firstSeen: 1, lastSeen: 2,
    srcHosts: 1, dstHosts: 1, hostsCapped: false,
    examples: [{ proto: 'tcp', src: '10.0.1.5', sport: 50001, dst: '10.0.0.21', dport: 4444, start: 1, state: 'SF', flowId: 7 }],
    exampleHosts: [], exclusion: null, evidence: [], ...over,
  });
  const report = (groups: FindingGroup[], rules: [string, number][] = []): DiffableReport => ({
    summary: { verdict: 'v', clean: false, generatedAt: 'g', siteHash: 's', catalogHash: 'c', siteFile: 'site.yaml', catalogs: ['sccm-2007'], window: null },
    missing: [], silentHosts: [], groups: { unexpected: groups, wanCache: [] }, rules: rules.map(([id, flows]) => ({ id, flows })),
  });

  it('matches a finding across flow ids, client addresses and ephemeral ports; another port or role pair is another finding', () => {
    const old = report([group({ id: 'U3', count: 2 })]);
    const other = group({ id: 'U1', count: 5, examples: [{ proto: 'tcp', src: '10.20.1.9', sport: 61000, dst: '10.0.0.21', dport: 4444, start: 9, state: 'S0', flowId: 99 }] });
    const d = diffReports(old, report([other, group({ id: 'U2', service: 'tcp/4445', ports: '4445' }), group({ id: 'U4', srcLabel: 'sccm.site-server' })]));
    expect(d.findings.persisting).toMatchObject([{ oldCount: 2, newCount: 5, oldGroups: ['U3'], newGroups: ['U1'] }]);
    expect(d.findings.new.map((f) => f.newGroups[0])).toEqual(['U2', 'U4']);
  });

  it('matches a port scan as a whole, whatever ports it touched', () => {
    const scan = (ports: string) => group({ kind: 'port-scan', service: `tcp, ${ports.length} ports`, ports });
    const d = diffReports(report([scan('1-100')]), report([scan('1-2000')]));
    expect(d.findings.persisting).toHaveLength(1);
  });

  it('lists rules from 0 to some flows and back, and factors at or above --factor', () => {
    const d = diffReports(report([], [['a', 0], ['b', 3], ['c', 1], ['d', 2], ['e', 10]]), report([], [['a', 1], ['b', 0], ['c', 2], ['d', 3], ['e', 4]]));
    expect(d.ruleFlows.map((r) => `${r.rule} ${r.change}`)).toEqual(['a appeared', 'b vanished', 'c increased', 'e decreased']);
    expect(() => diffReports(report([]), report([]), { factor: 1 })).toThrow(RangeError);
  });
});

describe('the HTML report with a baseline', () => {
  it('has a "Changes since" section with the counts of the diff', async () => {
    const clean = (await runPipeline(join(SCCM, 'site.yaml'), [join(SCCM, 'clean.pcap')])).result;
    const violations = (await runPipeline(join(SCCM, 'site.yaml'), [join(SCCM, 'violations.pcap')])).result;
    const changes = diffReports(viaJson(clean), violations, { oldLabel: 'clean.json' });
    const html = renderReport(violations, 'html', { changes });
    expect(html).toContain('<a href="#changes">Changes</a>');
    expect(html).toMatch(/<section id="changes"><h2>Changes since [^<]+ <span class="count">clean\.json<\/span><\/h2>/);
    expect(html).toContain('<p id="changes-counts">4 new, 0 resolved, 0 persisting findings; missing services: 4 new, 0 resolved, 0 persisting;');
    expect(html).toMatch(/<h3 id="changes-new">New findings <span class="badge bad">4<\/span><\/h3>/);
    expect(renderReport(violations, 'html')).not.toContain('id="changes"');
  }, 60_000);
});
