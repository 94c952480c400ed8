/**
 * The inference of `site suggest` on small synthetic flow sets, against the shipped catalogs:
 * a distinctive port decides a role, an ambiguous one leaves the host undecided with its
 * candidates, a host with one unanswered flow is left out, a /24 of clients becomes one CIDR,
 * and the rendered draft is a site file that loads.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalogs } from '../../src/catalog/rules-loader.js';
import { loadSiteWithCatalogs } from '../../src/catalog/site-file.js';
import { observe, type ObservedFlow } from '../../src/review/observe.js';
import { renderSuggestion } from '../../src/review/render.js';
import { suggestSite } from '../../src/review/suggest.js';

const scratch = mkdtempSync(join(tmpdir(), 'fa-suggest-unit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function tcp(src: string, dst: string, dport: number, answered = true): ObservedFlow {
  return { proto: 6, src, sport: 50000, dst, dport, respPackets: answered ? 3 : 0, state: answered ? 'SF' : 'S0' };
}
function udp(src: string, dst: string, dport: number, answered = true): ObservedFlow {
  return { proto: 17, src, sport: 50000, dst, dport, respPackets: answered ? 1 : 0, state: answered ? 'SF' : 'S0' };
}

describe('suggestSite', () => {
  const altiris = loadCatalogs(['altiris-ds-5.5']);
  const multi = loadCatalogs(['sccm-2007', '1e-platform', 'dell-wdm']);

  it('a /24 of clients that all reach the Deployment Server on TCP 402 is one CIDR; the server is decided', () => {
    const flows = Array.from({ length: 6 }, (_, i) => tcp(`10.0.1.${10 + i}`, '10.0.0.50', 402));
    const s = suggestSite(observe(flows), altiris);
    expect(s.roles.get('altiris.deployment-server')!.map((e) => e.address)).toEqual(['10.0.0.50']);
    expect(s.roles.get('altiris.deployment-server')![0]!.confidence).toBe('medium');
    expect(s.roles.get('altiris.client')!.map((e) => e.address)).toEqual(['10.0.1.0/24']);
    expect(s.roles.get('altiris.client')![0]!.hosts).toHaveLength(6);
    expect(s.catalogs).toEqual(['altiris-ds-5.5']);
    expect(s.undecided).toEqual([]);
  });

  it('too few clients in a /24 are listed one by one', () => {
    const flows = Array.from({ length: 3 }, (_, i) => tcp(`10.0.1.${10 + i}`, '10.0.0.50', 402));
    const s = suggestSite(observe(flows), altiris);
    expect(s.roles.get('altiris.client')!.map((e) => e.address)).toEqual(['10.0.1.10', '10.0.1.11', '10.0.1.12']);
  });

  it('a host with one unanswered flow is left out, not guessed', () => {
    const s = suggestSite(observe([tcp('10.0.1.9', '10.0.0.50', 402, false)]), altiris);
    expect(s.roles.size).toBe(0);
    expect(s.leftOut.map((l) => l.host)).toEqual(['10.0.0.50', '10.0.1.9']);
    expect(s.leftOut[0]!.why).toBe('1 flow, none answered');
  });

  it('a SQL Server only seen answering 1433 from unknown hosts is undecided between the products, with candidates', () => {
    const s = suggestSite(observe([tcp('10.0.0.40', '10.0.0.42', 1433), tcp('10.0.0.41', '10.0.0.42', 1433)]), multi);
    const u = s.undecided.find((x) => x.host === '10.0.0.42');
    expect(u, JSON.stringify(s.undecided)).toBeDefined();
    expect(u!.candidates).toEqual(expect.arrayContaining(['1e.sql-server', 'sccm.sql-server', 'wdm.database']));
    expect([...s.roles.values()].flat().some((e) => e.hosts.includes('10.0.0.42'))).toBe(false);
  });

  it('a host answering 80 and 443 to a few 1E clients, which fits both a management point and a 1E Response Stack, is undecided with both', () => {
    const cat = loadCatalogs(['sccm-2007', '1e-platform']);
    const flows = [
      // Three 1E clients (the Switch port 4000 is 1E's alone); two of them also reach 10.0.0.21.
      ...['10.0.1.10', '10.0.1.11', '10.0.1.12'].map((c) => tcp(c, '10.0.0.41', 4000)),
      tcp('10.0.1.10', '10.0.0.21', 80), tcp('10.0.1.11', '10.0.0.21', 443),
      // 10.0.0.21 uses a SQL Server, as both a management point and a Response Stack would.
      tcp('10.0.0.21', '10.0.0.30', 1433), udp('10.0.0.21', '10.0.0.30', 1434),
    ];
    const s = suggestSite(observe(flows), cat);
    const assigned = (h: string) => [...s.roles].filter(([, es]) => es.some((e) => e.hosts.includes(h))).map(([r]) => r);
    expect(assigned('10.0.0.21')).toEqual([]);
    const u = s.undecided.find((x) => x.host === '10.0.0.21');
    expect(u, JSON.stringify(s.undecided)).toBeDefined();
    expect(u!.holds).toBeUndefined();
    expect(u!.candidates).toEqual(expect.arrayContaining(['1e.response-stack', 'sccm.management-point']));
    // Its SQL Server is not guessed either, and the Switch, decided on its own port, stays.
    expect(assigned('10.0.0.30')).toEqual([]);
    expect(assigned('10.0.0.41')).toEqual(['1e.switch']);
    // The client that used 80 on it keeps 1e.client and is listed: it may be an SCCM client too.
    expect(assigned('10.0.1.10')).toEqual(['1e.client']);
    const c = s.undecided.find((x) => x.host === '10.0.1.10');
    expect(c?.holds).toEqual(['1e.client']);
    expect(c!.candidates).toContain('sccm.client');
    const text = renderSuggestion(s, { captures: ['a.pcap'], fallbackCatalogs: cat.ids });
    expect(text).toMatch(/^ {2}# undecided 10\.0\.0\.21: one of .*1e\.response-stack.*sccm\.management-point/m);
    expect(text).toMatch(/^ {2}# undecided 10\.0\.1\.10: besides 1e\.client \(above\), perhaps also one of .*sccm\.client/m);
  });

  it('a port only one product uses decides: the host that answers 443, which SCCM rules fit too, and the 1E Switch port is 1E', () => {
    const cat = loadCatalogs(['sccm-2007', '1e-platform']);
    const flows = [
      ...['10.0.1.10', '10.0.1.11', '10.0.1.12'].map((c) => tcp(c, '10.0.0.41', 4000)),
      tcp('10.0.1.10', '10.0.0.41', 443), tcp('10.0.1.11', '10.0.0.41', 443),
    ];
    const s = suggestSite(observe(flows), cat);
    expect(s.roles.get('1e.switch')?.map((e) => e.address)).toEqual(['10.0.0.41']);
    expect([...s.roles.keys()].filter((r) => r.startsWith('sccm.'))).toEqual([]);
    expect(s.undecided).toEqual([]);
  });

  it('renders a site file that loads, deterministic, with evidence, candidates and proposed sites as comments', () => {
    const flows = [
      ...Array.from({ length: 5 }, (_, i) => tcp(`10.20.1.${10 + i}`, '10.0.0.50', 402)),
      tcp('10.0.0.40', '10.0.0.42', 1433), tcp('10.0.1.9', '10.0.0.50', 402, false),
    ];
    const cat = loadCatalogs(['altiris-ds-5.5', 'sccm-2007', '1e-platform']);
    const text = renderSuggestion(suggestSite(observe(flows), cat), { captures: ['a.pcap'], fallbackCatalogs: cat.ids });
    expect(renderSuggestion(suggestSite(observe([...flows].reverse()), cat), { captures: ['a.pcap'], fallbackCatalogs: cat.ids })).toBe(text);
    expect(text).toMatch(/^# DRAFT site file/);
    expect(text).toContain('# Captures: a.pcap');
    expect(text).toMatch(/^ {2}altiris\.client: \[10\.20\.1\.0\/24\] {3}# 5 hosts of this \/24 .*\((high|medium)\)$/m);
    expect(text).toMatch(/^ {2}# left out 10\.0\.0\.42: 1 flow: too little evidence for any role$/m);
    expect(text).toMatch(/^# {3}net-10-20: \[10\.20\.0\.0\/16\]/m);
    const f = join(scratch, 'draft.yaml');
    writeFileSync(f, text);
    const { site } = loadSiteWithCatalogs(f);
    expect(site.catalogs).toEqual(['altiris-ds-5.5']);
    expect(site.sites.size).toBe(0);
  });
});
