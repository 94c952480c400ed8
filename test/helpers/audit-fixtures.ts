/**
 * Hand-built catalog, site, captures and flows for the audit and report tests. The catalog
 * loader and classifier are written elsewhere; these objects follow their contracts
 * (src/catalog/types.ts, src/store/types.ts) so the audit is tested on its own.
 */
import type { AddressRange, Catalog, Rule, Site, RoleDef } from '../../src/catalog/types.js';
import type { CaptureInfo, StoredFlow } from '../../src/store/types.js';
import type { Classification } from '../../src/flow/flow-record.js';
import { parseAddressExpr } from '../../src/catalog/address-index.js';

/** "10.0.0.5", "10.1.0.0/16" or "10.2.0.10-10.2.0.99" as an AddressRange, read as a site file's are. */
export function range(text: string): AddressRange {
  return parseAddressExpr(text);
}

export const ROLE_TITLES: Record<string, string> = {
  'sccm.client': 'Client',
  'sccm.management-point': 'Management point',
  'sccm.sup': 'Software update point',
  'sccm.sql': 'Site database server',
  'sccm.dp': 'Distribution point',
  'sccm.site-server': 'Site server',
};

export function rule(p: Partial<Rule> & Pick<Rule, 'id' | 'from' | 'to'>): Rule {
  return {
    product: 'sccm-2007',
    title: p.id,
    proto: 'tcp',
    ports: [],
    portsText: '',
    direction: 'one-way',
    required: false,
    wanCache: null,
    then: [],
    source: { doc: '001_seed.txt', ref: 'Table 1: row' },
    file: 'rules/sccm-2007.yaml',
    line: 1,
    ...p,
  };
}

export const RULES: Rule[] = [
  rule({ id: 'sccm.client-to-mp.http', title: 'Client to management point, HTTP', from: ['sccm.client'], to: ['sccm.management-point'],
    ports: [{ lo: 80, hi: 80 }], portsText: '80', required: true, source: { doc: '001_seed.txt', ref: 'Table 1: Client -> Management point, HTTP 80 [5]' }, line: 10 }),
  rule({ id: 'sccm.client-to-sup.wsus', title: 'Client to software update point, WSUS', from: ['sccm.client'], to: ['sccm.sup'],
    ports: [{ lo: 8530, hi: 8531 }], portsText: '8530|8531', required: true, line: 20 }),
  rule({ id: 'sccm.mp-to-sql', title: 'Management point to site database', from: ['sccm.management-point'], to: ['sccm.sql'],
    ports: [{ lo: 1433, hi: 1433 }], portsText: '1433', required: true, line: 30 }),
  rule({ id: 'sccm.mp-to-client.notify', title: 'Management point to client, notification', from: ['sccm.management-point'], to: ['sccm.client'],
    ports: [{ lo: 10123, hi: 10123 }], portsText: '10123', required: true, line: 40 }),
  rule({ id: 'sccm.client-to-dp.smb', title: 'Client to distribution point, SMB', from: ['sccm.client'], to: ['sccm.dp'],
    ports: [{ lo: 445, hi: 445 }], portsText: '445', wanCache: 'never', line: 50 }),
  rule({ id: 'sccm.client-to-dp.http', title: 'Client to distribution point, HTTP', from: ['sccm.client'], to: ['sccm.dp'],
    ports: [{ lo: 80, hi: 80 }], portsText: '80', wanCache: 'allowed', line: 60 }),
  // Required, but its from-role has no hosts in the site: never reported missing.
  rule({ id: 'sccm.siteserver-to-dp.smb', title: 'Site server to distribution point', from: ['sccm.site-server'], to: ['sccm.dp'],
    ports: [{ lo: 445, hi: 445 }], portsText: '445', required: true, line: 70 }),
];

export function catalog(rules: Rule[] = RULES): Catalog {
  const roles = new Map<string, RoleDef>();
  for (const [id, title] of Object.entries(ROLE_TITLES)) roles.set(id, { id, title, product: 'sccm-2007' });
  return { ids: ['sccm-2007'], roles, params: new Map(), rules, hash: 'c0ffee'.repeat(10) + 'abcd' };
}

/**
 * The site of these tests. Its `optional:` lists the distribution point's rules, so that a test
 * without DP traffic stays clean: the DP nobody reached is then an informational silent host.
 */
export function site(over: { roles?: Record<string, string[]>; sites?: Record<string, string[]>; require?: string[]; optional?: string[] } = {}): Site {
  const roles = over.roles ?? {
    'sccm.client': ['10.1.0.0/16'],
    'sccm.management-point': ['10.0.0.10'],
    'sccm.sup': ['10.0.0.12', '10.0.0.13'],
    'sccm.sql': ['10.0.0.20'],
    'sccm.dp': ['10.20.0.5'],
  };
  const sites = over.sites ?? { hq: ['10.0.0.0/16', '10.1.0.0/16'], 'branch-leeds': ['10.20.0.0/16'] };
  const toMap = (o: Record<string, string[]>) => new Map(Object.entries(o).map(([k, v]) => [k, v.map(range)]));
  const refs = (key: string, ids: string[]) => ids.map((id, i) => ({ id, line: 1, field: `${key}[${i}]` }));
  return {
    file: 'site.yaml', catalogs: ['sccm-2007'], roles: toMap(roles), sites: toMap(sites), params: new Map(), ignore: [],
    hash: 'feed'.repeat(16),
    require: refs('require', over.require ?? []),
    optional: refs('optional', over.optional ?? ['sccm.client-to-dp.smb', 'sccm.client-to-dp.http']),
  };
}

/** 2024-03-01 09:00:00 UTC */
export const T0 = Date.UTC(2024, 2, 1, 9, 0, 0) / 1000;

export function capture(over: Partial<CaptureInfo> = {}): CaptureInfo {
  return {
    id: 1, source: 'estate.pcap', format: 'pcap', linkTypes: [1], firstTs: T0, lastTs: T0 + 45 * 60,
    packets: 123456, bytes: 98765432, drops: null, ifDrops: null, sha256: 'ab'.repeat(32), status: 'complete',
    error: null, tapSide: 'wan', decodeErrors: {}, startedAt: '2024-03-01T10:00:00Z', sensor: null,
    ...over,
  };
}

export function cls(over: Partial<Classification> = {}): Classification {
  return { rule: null, nearestRule: null, how: 'none', evidence: null, srcRoles: [], dstRoles: [], srcSite: null, dstSite: null, ignored: false, ...over };
}

let nextId = 1;

/** A TCP flow 10.1.0.5:50000 -> 10.0.0.10:80, complete (SF), overridable. */
export function flow(over: Partial<StoredFlow> = {}, c: Partial<Classification> | null = {}): StoredFlow {
  return {
    id: nextId++, proto: 6, src: '10.1.0.5', sport: 50000, dst: '10.0.0.10', dport: 80, ipVersion: 4, originatorGuessed: false,
    origPackets: 5, respPackets: 4, origBytes: 600, respBytes: 900, origIpBytes: 530, respIpBytes: 844,
    origPayloadBytes: 100, respPayloadBytes: 500, start: T0 + 60, end: T0 + 61, state: 'SF', history: 'ShADadFf',
    vlans: [], synOptions: [2, 4, 8, 1, 3], synAckOptions: [2, 4, 8, 1, 3], communityId: '1:abc=', endReason: 'end',
    tunnel: null, expectation: null, captureId: 1, capture: 'estate.pcap',
    classification: c === null ? null : cls(c),
    ...over,
  };
}

/** Classification parts for common ends. */
export const CLIENT: Partial<Classification> = { srcRoles: ['sccm.client'], srcSite: 'hq' };
export const TO_MP: Partial<Classification> = { dstRoles: ['sccm.management-point'], dstSite: 'hq' };
export const TO_SQL: Partial<Classification> = { dstRoles: ['sccm.sql'], dstSite: 'hq' };
export const TO_DP: Partial<Classification> = { dstRoles: ['sccm.dp'], dstSite: 'branch-leeds' };

/** Flows every required rule needs, so only the flows a test adds produce findings. */
export function baselineFlows(): StoredFlow[] {
  return [
    flow({ dst: '10.0.0.10', dport: 80 }, { rule: 'sccm.client-to-mp.http', how: 'direct', ...CLIENT, ...TO_MP }),
    flow({ dst: '10.0.0.12', dport: 8530 }, { rule: 'sccm.client-to-sup.wsus', how: 'direct', ...CLIENT, dstRoles: ['sccm.sup'], dstSite: 'hq' }),
    flow({ dst: '10.0.0.13', dport: 8531 }, { rule: 'sccm.client-to-sup.wsus', how: 'direct', ...CLIENT, dstRoles: ['sccm.sup'], dstSite: 'hq' }),
    flow({ src: '10.0.0.10', dst: '10.0.0.20', dport: 1433 }, { rule: 'sccm.mp-to-sql', how: 'direct', srcRoles: ['sccm.management-point'], srcSite: 'hq', ...TO_SQL }),
    flow({ src: '10.0.0.10', dst: '10.1.2.3', dport: 10123 }, { rule: 'sccm.mp-to-client.notify', how: 'direct', srcRoles: ['sccm.management-point'], srcSite: 'hq', dstRoles: ['sccm.client'], dstSite: 'hq' }),
  ];
}
