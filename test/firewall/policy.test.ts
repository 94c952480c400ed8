/**
 * The allow list the renderers write: how roles, pseudo-roles, `both` rules, follow-ons,
 * observations from a real database and --only-observed come out, on the shipped catalogs
 * and fixture site files.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSiteWithCatalogs } from '../../src/catalog/site-file.js';
import { cidrText } from '../../src/firewall/addresses.js';
import { approvalAllowEntries, buildPolicy, catalogAllowEntries, type AllowEntry } from '../../src/firewall/policy.js';
import type { FirewallPolicy } from '../../src/firewall/types.js';
import { TempDir } from '../helpers/capture-files.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { auditInto, policyOf } from '../helpers/firewall-export.js';

const EXAMPLE = 'fixtures/example/site.yaml';
const tmp = new TempDir('fa-firewall-policy-');
let plain: FirewallPolicy;
let observed: FirewallPolicy;
let onlyObserved: FirewallPolicy;

beforeAll(async () => {
  process.chdir(PROJECT_ROOT);
  const db = tmp.name('example.db');
  await auditInto(db, EXAMPLE, 'fixtures/example/estate.pcap');
  plain = await policyOf(EXAMPLE);
  observed = await policyOf(EXAMPLE, { db });
  onlyObserved = await policyOf(EXAMPLE, { db, onlyObserved: true });
  return () => tmp.cleanup();
});

const rule = (p: FirewallPolicy, id: string) => {
  const r = p.rules.find((x) => x.id === id);
  if (!r) throw new Error(`${id} not exported`);
  return r;
};

describe('firewall policy', () => {
  it('a `both` rule becomes two rules, the second turned round', () => {
    const fwd = rule(plain, 'sccm.mp-ss-rpc');
    const rev = rule(plain, 'sccm.mp-ss-rpc:reverse');
    expect([fwd.src.key, fwd.dst.key]).toEqual(['sccm.management-point', 'sccm.site-server']);
    expect([rev.src.key, rev.dst.key]).toEqual(['sccm.site-server', 'sccm.management-point']);
    expect(rev.ruleId).toBe('sccm.mp-ss-rpc');
    expect(fwd.rpc).toBe('epmap');
    expect(rule(plain, 'sccm.mp-ss-rpc-dynamic:reverse').parentId).toBe('sccm.mp-ss-rpc:reverse');
  });

  it('internet is every public address: no private, special-use or multicast block, and the site subnets left out', () => {
    const cloud = rule(plain, '1e.master-to-cloud').dst;
    const v4 = cloud.v4.map(cidrText);
    expect(v4).toContain('1.0.0.0/8');
    expect(v4).toContain('11.0.0.0/8');
    for (const blocked of ['10.0.0.0/8', '192.168.0.0/16', '224.0.0.0/4', '127.0.0.0/8']) expect(v4.some((c) => c === blocked)).toBe(false);
    expect(v4.some((c) => c.startsWith('10.') || c.startsWith('192.168.') || /^2(2[4-9]|[3-5]\d)\./.test(c))).toBe(false);
    expect(cloud.v6.map(cidrText)).toEqual(['2000::/3']);
    expect(cloud.notes.join(' ')).toMatch(/catalog default internet/);
  });

  it('without a database: configured ranges, no observations; with one: counts and narrowed dynamic ports', () => {
    const dyn = rule(plain, 'sccm.ss-to-dc-rpc-dynamic');
    expect(dyn.observed).toBeNull();
    expect(dyn.narrowed).toBe(false);
    expect(dyn.ports).toEqual([{ lo: 1025, hi: 5000 }, { lo: 49152, hi: 65535 }]);
    const seen = rule(observed, 'sccm.ss-to-dc-rpc-dynamic');
    expect(seen.narrowed).toBe(true);
    expect(seen.ports).toEqual([{ lo: 49667, hi: 49667 }]);
    expect(seen.configuredPorts).toEqual(dyn.ports);
    expect(seen.notes.join(' ')).toMatch(/narrowed to the port the stored flows announced and used: 49667/);
    const sw = rule(observed, '1e.client-to-switch').observed!;
    expect(sw.flows).toBe(3);
    expect(sw.first).toBeLessThan(sw.last);
  });

  it('--only-observed keeps only rules that saw traffic, and says why the others are left out', () => {
    expect(onlyObserved.rules.length).toBeGreaterThan(0);
    expect(onlyObserved.rules.length).toBeLessThan(observed.rules.length);
    for (const r of onlyObserved.rules) expect(r.observed!.flows).toBeGreaterThan(0);
    expect(onlyObserved.skipped.find((s) => s.id === 'sccm.mp-ss-rpc')?.reason).toBe('no flow observed (--only-observed)');
  });

  it('FTP and TFTP follow-ons are left to conntrack helpers on their control rule', () => {
    const tftp = rule(plain, 'altiris.pxe-tftp-data');
    expect(tftp.kind).toBe('helper');
    expect(tftp.helper).toBe('tftp');
    expect(plain.helpers.map((h) => `${h.helper} ${h.rule.id} ${h.followOns.join(',')}`)).toEqual(['tftp altiris.pxe-mtftp altiris.pxe-tftp-data']);
  });

  it('the Altiris file transfers carry the seed\'s advice to set a static port (1.iv)', () => {
    for (const id of ['altiris.file-transfer', 'altiris.file-transfer-from-server']) {
      expect(rule(plain, id).notes.join(' ')).toMatch(/002_65c607c4a64136c4\.txt, 1\.iv a.*static TCP port for file transfers/);
    }
    expect(plain.skipped.find((s) => s.id === 'altiris.file-transfer-static')?.reason).toMatch(/not in use.*1\.iv a/);
  });

  it('a rule whose role has no addresses in the site is not exported, with the reason', () => {
    expect(plain.rules.some((r) => r.ruleId === 'sccm.ss-to-dp-smb')).toBe(false);
    expect(plain.skipped.find((s) => s.id === 'sccm.ss-to-dp-smb')?.reason).toBe('no addresses in this site for sccm.distribution-point');
  });

  it('ignore entries are not exported, and entries appended to the input list are', () => {
    const { site, catalog } = loadSiteWithCatalogs('fixtures/products/system-inmation/site.yaml');
    const withIgnore = { ...site, ignore: [{ from: null, to: null, proto: 'tcp' as const, ports: [{ lo: 9999, hi: 9999 }], line: 1, text: 'x' }] };
    const base = buildPolicy(catalogAllowEntries(catalog), catalog, withIgnore);
    expect(base.rules.map((r) => r.id)).toEqual(['inmation.connector-core', 'inmation.connector-core:reverse']);
    expect(base.notes.join('\n')).toMatch(/1 ignore entry is accepted flows, not approved ones: not exported/);
    const approved: AllowEntry = {
      id: 'approved.backup', title: 'backup', from: ['inmation.core'], to: ['10.9.9.9'], proto: 'tcp',
      ports: [{ lo: 9000, hi: 9000 }], portsText: '9000', direction: 'one-way', then: [], source: { doc: 'change 42', ref: 'approved' },
    };
    const more = buildPolicy([...catalogAllowEntries(catalog), approved], catalog, site);
    const r = more.rules.find((x) => x.id === 'approved.backup')!;
    expect(r.dst.v4.map(cidrText)).toEqual(['10.9.9.9/32']);
  });
});

describe('approvals', () => {
  it("the site file's allow: entries are exported with the catalog rules, any side or port left out meaning any", () => {
    const { site, catalog } = loadSiteWithCatalogs('fixtures/products/system-inmation/site.yaml');
    const allow = [
      { from: null, to: null, proto: 'tcp' as const, ports: [{ lo: 9000, hi: 9000 }], line: 40, text: 'x', reason: 'nightly backup', by: 'ann', date: '2026-12-01',
        rule: null, fromText: ['inmation.core'], toText: ['10.9.9.9'], portText: '9000' },
      { from: null, to: null, proto: 'udp' as const, ports: null, line: 41, text: 'y', reason: 'syslog', by: null, date: null,
        rule: null, fromText: null, toText: ['10.9.9.10'], portText: null },
    ];
    const p = buildPolicy([...catalogAllowEntries(catalog), ...approvalAllowEntries({ ...site, allow })], catalog, { ...site, allow });
    const backup = p.rules.find((r) => r.id === 'approved.line-40')!;
    expect(backup.title).toBe('approved by ann on 2026-12-01: nightly backup');
    expect(backup.dst.v4.map(cidrText)).toEqual(['10.9.9.9/32']);
    expect(backup.ports).toEqual([{ lo: 9000, hi: 9000 }]);
    expect(backup.source.ref).toBe('allow entry at line 40');
    const syslog = p.rules.find((r) => r.id === 'approved.line-41')!;
    expect(syslog.src.v4.map(cidrText)).toEqual(['0.0.0.0/0']);
    expect(syslog.ports).toEqual([{ lo: 0, hi: 65535 }]);
    // Sorted by id with the catalog's rules, as every export is (stable output for change tickets).
    expect(p.rules.map((r) => r.id)).toEqual(['approved.line-40', 'approved.line-41', 'inmation.connector-core', 'inmation.connector-core:reverse']);
    expect(p.notes).toContain('4 allow rules from 1 catalog rule and 2 approvals; every rule exported');
  });
});
