/**
 * Proof of completeness: every row of every seed document's port tables (and every port the
 * prose sections name), transcribed here as data, is covered by a rule of that product's
 * catalog. A row "A -> B proto port" is covered when some rule has proto, the port among its
 * resolved ports (vendor defaults and their alternatives), A among its `from` roles and B
 * among its `to` roles (or the other way round for a `direction: both` rule). A "<->" row
 * needs both orientations covered. A "dynamic" row needs a follow-on channel learned the
 * named way (epm, ssrp, tftp, ftp, window) on a rule between those roles.
 */
import { describe, expect, it } from 'vitest';
import { applyParams, loadCatalog } from '../../src/catalog/rules-loader.js';
import type { Catalog, FollowOn, Proto, Rule } from '../../src/catalog/types.js';

type Dyn = { dynamic: FollowOn['via'] };
type Row = [from: string, arrow: '->' | '<->', to: string, proto: Proto, port: number | Dyn];
const EPM: Dyn = { dynamic: 'epm' };
const SSRP: Dyn = { dynamic: 'ssrp' };
const TFTP: Dyn = { dynamic: 'tftp' };
const FTP: Dyn = { dynamic: 'ftp' };
const WINDOW: Dyn = { dynamic: 'window' };

function orientOk(r: Rule, from: string, to: string): boolean {
  const fwd = r.from.includes(from) && r.to.includes(to);
  const rev = r.direction === 'both' && r.from.includes(to) && r.to.includes(from);
  return fwd || rev;
}

/** Id of a rule covering one orientation of a row, or null. */
function coverOne(cat: Catalog, from: string, to: string, proto: Proto, port: number | Dyn): string | null {
  for (const r of cat.rules) {
    if (!orientOk(r, from, to)) continue;
    if (typeof port === 'number') {
      if (r.proto === proto && r.ports.some((p) => port >= p.lo && port <= p.hi)) return r.id;
    } else {
      const f = r.then.find((t) => t.via === port.dynamic && t.proto === proto && t.ports.length > 0);
      if (f) return f.id;
    }
  }
  return null;
}

function coverage(cat: Catalog, rows: Row[], roleOf: (name: string) => string): { row: string; covered: string | null }[] {
  return rows.map(([from, arrow, to, proto, port]) => {
    const f = roleOf(from);
    const t = roleOf(to);
    const fwd = coverOne(cat, f, t, proto, port);
    const rev = arrow === '<->' ? coverOne(cat, t, f, proto, port) : 'n/a';
    const portText = typeof port === 'number' ? String(port) : `dynamic via ${port.dynamic}`;
    return { row: `${from} ${arrow} ${to} ${proto} ${portText}`, covered: fwd && rev ? fwd : null };
  });
}

function expectAllCovered(result: { row: string; covered: string | null }[]): void {
  const missing = result.filter((r) => r.covered === null).map((r) => r.row);
  expect(missing).toEqual([]);
}

// ---------------------------------------------------------------------------------------
// SCCM 2007, 001_89b7e3ac6d9abfc6.txt. Table 1 row by row (UDP column first, then TCP), then
// Table 2 and the prose ports. "80 or 8530" rows appear once per alternative.
const SCCM_NAMES: Record<string, string> = {
  'Site server': 'site-server',
  'Primary site server': 'site-server',
  'Domain controller': 'domain-controller',
  'Software update point': 'software-update-point',
  Internet: 'internet',
  'State migration point': 'state-migration-point',
  Client: 'client',
  'PXE service point': 'pxe-service-point',
  'System Health Validator': 'system-health-validator',
  'Fallback status point': 'fallback-status-point',
  'Distribution point': 'distribution-point',
  'Branch distribution point': 'branch-distribution-point',
  'Management point': 'management-point',
  'Server locator point': 'server-locator-point',
  Provider: 'provider',
  'SQL Server': 'sql-server',
  'Reporting point': 'reporting-point',
  'Reporting Services point': 'reporting-services-point',
  'Configuration Manager console': 'console',
  'WSUS synchronization server': 'wsus-sync-server',
  'Asset Intelligence synchronization point': 'asset-intelligence-sync-point',
  'System Center Online': 'system-center-online',
  'Multicast distribution point': 'distribution-point',
  'Client status reporting host': 'client-status-reporting-host',
  'Out of Band service point': 'out-of-band-service-point',
  'AMT management controller': 'amt-controller',
  'Out of Band management console': 'out-of-band-console',
  broadcast: 'broadcast',
  multicast: 'multicast',
};

const SCCM_TABLE_1: Row[] = [
  ['Site server', '<->', 'Site server', 'tcp', 445],
  ['Site server', '<->', 'Site server', 'tcp', 1723],
  ['Primary site server', '->', 'Domain controller', 'tcp', 389],
  ['Primary site server', '->', 'Domain controller', 'udp', 636],
  ['Primary site server', '->', 'Domain controller', 'tcp', 636],
  ['Primary site server', '->', 'Domain controller', 'tcp', 3268],
  ['Primary site server', '->', 'Domain controller', 'tcp', 3269],
  ['Primary site server', '->', 'Domain controller', 'udp', 135],
  ['Primary site server', '->', 'Domain controller', 'tcp', 135],
  ['Primary site server', '->', 'Domain controller', 'tcp', EPM],
  ['Primary site server', '->', 'Domain controller', 'udp', 88],
  ['Primary site server', '->', 'Domain controller', 'tcp', 88],
  ['Site server', '<->', 'Software update point', 'tcp', 445],
  ['Site server', '<->', 'Software update point', 'tcp', 80],
  ['Site server', '<->', 'Software update point', 'tcp', 8530],
  ['Site server', '<->', 'Software update point', 'tcp', 443],
  ['Site server', '<->', 'Software update point', 'tcp', 8531],
  ['Software update point', '->', 'Internet', 'tcp', 80],
  ['Site server', '<->', 'State migration point', 'tcp', 445],
  ['Site server', '<->', 'State migration point', 'udp', 135],
  ['Site server', '<->', 'State migration point', 'tcp', 135],
  ['Site server', '->', 'Client', 'tcp', 135],
  ['Client', '->', 'Software update point', 'tcp', 80],
  ['Client', '->', 'Software update point', 'tcp', 8530],
  ['Client', '->', 'Software update point', 'tcp', 443],
  ['Client', '->', 'Software update point', 'tcp', 8531],
  ['Client', '->', 'State migration point', 'tcp', 80],
  ['Client', '->', 'State migration point', 'tcp', 443],
  ['Client', '->', 'State migration point', 'tcp', 445],
  ['Client', '->', 'PXE service point', 'udp', 67],
  ['Client', '->', 'PXE service point', 'udp', 68],
  ['Client', '->', 'PXE service point', 'udp', 69],
  ['Client', '->', 'PXE service point', 'udp', TFTP], // footnote [6]: reply from a dynamic high port
  ['Client', '->', 'PXE service point', 'udp', 4011],
  ['Site server', '<->', 'PXE service point', 'tcp', 445],
  ['Site server', '<->', 'PXE service point', 'udp', 135],
  ['Site server', '<->', 'PXE service point', 'tcp', 135],
  ['Site server', '<->', 'PXE service point', 'tcp', EPM],
  ['Site server', '<->', 'System Health Validator', 'tcp', 445],
  ['Site server', '<->', 'System Health Validator', 'udp', 135],
  ['Site server', '<->', 'System Health Validator', 'tcp', 135],
  ['Site server', '<->', 'System Health Validator', 'tcp', EPM],
  ['Client', '->', 'System Health Validator', 'udp', 67],
  ['Client', '->', 'System Health Validator', 'udp', 68],
  ['Client', '->', 'System Health Validator', 'udp', 500],
  ['Client', '->', 'System Health Validator', 'tcp', 80],
  ['Client', '->', 'System Health Validator', 'tcp', 443],
  ['Site server', '<->', 'Fallback status point', 'tcp', 445],
  ['Site server', '<->', 'Fallback status point', 'udp', 135],
  ['Site server', '<->', 'Fallback status point', 'tcp', 135],
  ['Site server', '<->', 'Fallback status point', 'tcp', EPM],
  ['Client', '->', 'Fallback status point', 'tcp', 80],
  ['Site server', '->', 'Distribution point', 'tcp', 445],
  ['Site server', '->', 'Distribution point', 'udp', 135],
  ['Site server', '->', 'Distribution point', 'tcp', 135],
  ['Site server', '->', 'Distribution point', 'tcp', EPM],
  ['Client', '->', 'Distribution point', 'tcp', 80],
  ['Client', '->', 'Distribution point', 'tcp', 443],
  ['Client', '->', 'Distribution point', 'tcp', 445],
  ['Client', '->', 'Distribution point', 'udp', 63000],
  ['Client', '->', 'Distribution point', 'udp', 64000],
  ['Client', '->', 'Branch distribution point', 'tcp', 445],
  ['Client', '->', 'Management point', 'tcp', 80],
  ['Client', '->', 'Management point', 'tcp', 443],
  ['Client', '->', 'Server locator point', 'tcp', 80],
  ['Branch distribution point', '->', 'Distribution point', 'tcp', 443],
  ['Branch distribution point', '->', 'Distribution point', 'tcp', 80],
  ['Site server', '->', 'Provider', 'tcp', 445],
  ['Site server', '->', 'Provider', 'udp', 135],
  ['Site server', '->', 'Provider', 'tcp', 135],
  ['Site server', '->', 'Provider', 'tcp', EPM],
  ['Server locator point', '->', 'SQL Server', 'udp', 1434],
  ['Server locator point', '->', 'SQL Server', 'tcp', 1433],
  ['Server locator point', '->', 'SQL Server', 'tcp', SSRP],
  ['Management point', '->', 'SQL Server', 'udp', 1434],
  ['Management point', '->', 'SQL Server', 'tcp', 1433],
  ['Management point', '->', 'SQL Server', 'tcp', SSRP],
  ['Provider', '->', 'SQL Server', 'udp', 1434],
  ['Provider', '->', 'SQL Server', 'tcp', 1433],
  ['Provider', '->', 'SQL Server', 'tcp', SSRP],
  ['Reporting point', '->', 'Reporting Services point', 'udp', 1434],
  ['Reporting point', '->', 'Reporting Services point', 'tcp', 1433],
  ['Reporting point', '->', 'Reporting Services point', 'tcp', SSRP],
  ['Reporting point', '->', 'SQL Server', 'udp', 1434],
  ['Reporting point', '->', 'SQL Server', 'tcp', 1433],
  ['Reporting point', '->', 'SQL Server', 'tcp', SSRP],
  ['Configuration Manager console', '->', 'Reporting point', 'tcp', 80],
  ['Configuration Manager console', '->', 'Reporting point', 'tcp', 443],
  ['Configuration Manager console', '->', 'Provider', 'udp', 135],
  ['Configuration Manager console', '->', 'Provider', 'tcp', 135],
  ['Configuration Manager console', '->', 'Provider', 'tcp', EPM],
  ['Configuration Manager console', '->', 'Internet', 'tcp', 80],
  ['Primary site server', '->', 'SQL Server', 'udp', 1434],
  ['Primary site server', '->', 'SQL Server', 'tcp', 1433],
  ['Primary site server', '->', 'SQL Server', 'tcp', SSRP],
  ['Management point', '->', 'Domain controller', 'tcp', 389],
  ['Management point', '->', 'Domain controller', 'udp', 636],
  ['Management point', '->', 'Domain controller', 'tcp', 636],
  ['Management point', '->', 'Domain controller', 'tcp', 3268],
  ['Management point', '->', 'Domain controller', 'tcp', 3269],
  ['Management point', '->', 'Domain controller', 'udp', 135],
  ['Management point', '->', 'Domain controller', 'tcp', 135],
  ['Management point', '->', 'Domain controller', 'tcp', EPM],
  ['Management point', '->', 'Domain controller', 'udp', 88],
  ['Management point', '->', 'Domain controller', 'tcp', 88],
  ['Site server', '->', 'Reporting point', 'tcp', 445],
  ['Site server', '->', 'Reporting Services point', 'tcp', 445],
  ['Site server', '->', 'Reporting point', 'udp', 135],
  ['Site server', '->', 'Reporting point', 'tcp', 135],
  ['Site server', '->', 'Reporting Services point', 'udp', 135],
  ['Site server', '->', 'Reporting Services point', 'tcp', 135],
  ['Site server', '->', 'Reporting point', 'tcp', EPM],
  ['Site server', '->', 'Reporting Services point', 'tcp', EPM],
  ['Site server', '<->', 'Server locator point', 'tcp', 445],
  ['Site server', '<->', 'Server locator point', 'udp', 135],
  ['Site server', '<->', 'Server locator point', 'tcp', 135],
  ['Site server', '<->', 'Server locator point', 'tcp', EPM],
  ['Configuration Manager console', '->', 'Site server', 'tcp', 135],
  ['Software update point', '->', 'WSUS synchronization server', 'tcp', 80],
  ['Software update point', '->', 'WSUS synchronization server', 'tcp', 8530],
  ['Software update point', '->', 'WSUS synchronization server', 'tcp', 443],
  ['Software update point', '->', 'WSUS synchronization server', 'tcp', 8531],
  ['Configuration Manager console', '->', 'Client', 'udp', 2701],
  ['Configuration Manager console', '->', 'Client', 'tcp', 2701],
  ['Configuration Manager console', '->', 'Client', 'udp', 2702],
  ['Configuration Manager console', '->', 'Client', 'tcp', 2702],
  ['Configuration Manager console', '->', 'Client', 'tcp', 3389],
  ['Configuration Manager console', '->', 'Client', 'tcp', 135],
  ['Management point', '<->', 'Site server', 'tcp', 135],
  ['Management point', '<->', 'Site server', 'tcp', EPM],
  ['Site server', '->', 'Client', 'udp', 9],
  ['PXE service point', '->', 'SQL Server', 'udp', 1434],
  ['PXE service point', '->', 'SQL Server', 'tcp', 1433],
  ['PXE service point', '->', 'SQL Server', 'tcp', SSRP],
  ['Site server', '<->', 'Asset Intelligence synchronization point', 'tcp', 445],
  ['Site server', '<->', 'Asset Intelligence synchronization point', 'udp', 135],
  ['Site server', '<->', 'Asset Intelligence synchronization point', 'tcp', 135],
  ['Site server', '<->', 'Asset Intelligence synchronization point', 'tcp', EPM],
  ['Asset Intelligence synchronization point', '<->', 'System Center Online', 'tcp', 443],
  ['Multicast distribution point', '->', 'SQL Server', 'tcp', 1433],
  ['Client status reporting host', '->', 'Client', 'udp', 135],
  ['Client status reporting host', '->', 'Client', 'tcp', 135],
  ['Client status reporting host', '->', 'Client', 'tcp', EPM],
  ['Client status reporting host', '->', 'Client', 'icmp', 8],
  ['Client status reporting host', '->', 'Client', 'icmpv6', 128],
  ['Client status reporting host', '->', 'Management point', 'tcp', 139],
  ['Client status reporting host', '->', 'Management point', 'tcp', 445],
  ['Client status reporting host', '->', 'SQL Server', 'tcp', 1433],
  ['Site server', '<->', 'Reporting Services point', 'tcp', 445],
  ['Site server', '<->', 'Reporting Services point', 'udp', 135],
  ['Site server', '<->', 'Reporting Services point', 'tcp', 135],
  ['Site server', '<->', 'Reporting Services point', 'tcp', EPM],
  ['Configuration Manager console', '->', 'Reporting Services point', 'tcp', 80],
  ['Configuration Manager console', '->', 'Reporting Services point', 'tcp', 443],
  ['Reporting Services point', '->', 'SQL Server', 'tcp', 1433],
  ['Site server', '<->', 'Out of Band service point', 'tcp', 445],
  ['Site server', '<->', 'Out of Band service point', 'udp', 135],
  ['Site server', '<->', 'Out of Band service point', 'tcp', 135],
  ['Site server', '<->', 'Out of Band service point', 'tcp', EPM],
  ['AMT management controller', '->', 'Out of Band service point', 'tcp', 9971],
  ['Out of Band service point', '->', 'AMT management controller', 'tcp', 16992],
  ['Out of Band service point', '->', 'AMT management controller', 'tcp', 16993],
  ['Out of Band management console', '->', 'AMT management controller', 'tcp', 16993],
  ['Out of Band management console', '->', 'AMT management controller', 'tcp', 16995],
];

const SCCM_TABLE_2_AND_PROSE: Row[] = [
  // Table 2 (NAP)
  ['Site server', '->', 'Domain controller', 'tcp', 389],
  ['Site server', '->', 'Domain controller', 'tcp', 636],
  ['System Health Validator', '->', 'Domain controller', 'tcp', 3268],
  ['System Health Validator', '->', 'Domain controller', 'tcp', 3269],
  ['Site server', '->', 'System Health Validator', 'tcp', 445],
  ['Site server', '->', 'System Health Validator', 'tcp', 135],
  ['System Health Validator', '->', 'Site server', 'tcp', 445],
  // Initial Communication: client push uses admin$ (SMB) and WMI over DCOM on TCP 135
  ['Site server', '->', 'Client', 'tcp', 445],
  ['Site server', '->', 'Client', 'tcp', EPM],
  // Multicast distribution: the stream goes to a multicast group
  ['Distribution point', '->', 'multicast', 'udp', 63000],
  // Wake On LAN is usually broadcast
  ['Site server', '->', 'broadcast', 'udp', 9],
  // PXE DHCP replies
  ['PXE service point', '->', 'Client', 'udp', 68],
];

describe('SCCM 2007 catalog covers every seed row', () => {
  const cat = loadCatalog('sccm-2007');
  const roleOf = (n: string) => {
    const local = SCCM_NAMES[n];
    if (!local) throw new Error(`test data: unknown component "${n}"`);
    return ['internet', 'multicast', 'broadcast'].includes(local) ? local : `sccm.${local}`;
  };
  it('Table 1 (all 111 rows; one entry per protocol column and port alternative)', () => {
    expect(SCCM_TABLE_1.length).toBeGreaterThanOrEqual(150);
    expectAllCovered(coverage(cat, SCCM_TABLE_1, roleOf));
  });
  it('Table 2 and ports named in the text', () => {
    expectAllCovered(coverage(cat, SCCM_TABLE_2_AND_PROSE, roleOf));
  });
  it('"<->" rows are direction: both rules, "->" rows to site systems are not', () => {
    const ssToSup = cat.rules.find((r) => r.id === 'sccm.ss-sup-smb')!;
    expect(ssToSup.direction).toBe('both');
    const ssToDp = cat.rules.find((r) => r.id === 'sccm.ss-to-dp-smb')!;
    expect(ssToDp.direction).toBe('one-way');
  });
  it('footnote [5] moves client ports when the site sets sccm.http_port/https_port', () => {
    const moved = applyParams(cat, new Map([['sccm.http_port', 8080], ['sccm.https_port', 4443]]));
    const mp = moved.rules.find((r) => r.id === 'sccm.client-to-mp')!;
    expect(mp.ports).toEqual([{ lo: 4443, hi: 4443 }, { lo: 8080, hi: 8080 }]);
  });
  it('footnote [3]: WSUS accepts 80/8530 and 443/8531 by default; HTTPS follows HTTP + 1', () => {
    const sup = cat.rules.find((r) => r.id === 'sccm.client-to-sup')!;
    // Adjacent ports are merged into ranges (8530 and 8531 become 8530-8531).
    expect(sup.ports).toEqual([{ lo: 80, hi: 80 }, { lo: 443, hi: 443 }, { lo: 8530, hi: 8531 }]);
    const custom = applyParams(cat, new Map([['sccm.wsus_http_port', 8530]]));
    expect(custom.rules.find((r) => r.id === 'sccm.client-to-sup')!.ports).toEqual([{ lo: 8530, hi: 8531 }]);
    const other = applyParams(cat, new Map([['sccm.wsus_http_port', 9000]]));
    expect(other.rules.find((r) => r.id === 'sccm.client-to-sup')!.ports).toEqual([{ lo: 9000, hi: 9001 }]);
    const dflt = applyParams(cat, new Map([['sccm.wsus_http_port', 80]]));
    expect(dflt.rules.find((r) => r.id === 'sccm.client-to-sup')!.ports).toEqual([{ lo: 80, hi: 80 }, { lo: 443, hi: 443 }]);
    // Setting the HTTPS port explicitly wins over the derived value.
    const both = applyParams(cat, new Map([['sccm.wsus_http_port', 8530], ['sccm.wsus_https_port', 9443]]));
    expect(both.rules.find((r) => r.id === 'sccm.client-to-sup')!.ports).toEqual([{ lo: 8530, hi: 8530 }, { lo: 9443, hi: 9443 }]);
  });
  it('RPC follow-ons cover 49152-65535 and 1025-5000 via the endpoint mapper', () => {
    const rpc = cat.rules.find((r) => r.id === 'sccm.ss-to-dc-rpc')!;
    expect(rpc.then).toEqual([
      expect.objectContaining({ id: 'sccm.ss-to-dc-rpc-dynamic', proto: 'tcp', via: 'epm', ports: [{ lo: 1025, hi: 5000 }, { lo: 49152, hi: 65535 }] }),
    ]);
  });
});

// ---------------------------------------------------------------------------------------
// 1E platform, 000_9fe07c569d80f274.txt: "1E Servers" table (device, port, direction),
// transcribed with the other end named, plus the whitelisting section.
const ONE_E_ROWS: Row[] = [
  ['admin', '->', 'master-stack', 'tcp', 443], // Master Stack TCP 443 HTTPS Incoming
  ['admin', '->', 'master-stack', 'tcp', 80], // Master Stack TCP 80 HTTP Incoming
  ['client', '->', 'response-stack', 'tcp', 443], // Response Stack TCP 443 HTTPS Incoming (Background Channel)
  ['master-stack', '->', 'response-stack', 'tcp', 443], // ... from the Master Stack
  ['master-stack', '->', 'cloud', 'tcp', 443], // Master Stack TCP 443 HTTPS Outgoing (1E Cloud)
  ['master-stack', '<->', 'integrate-agent', 'tcp', 6002], // Master Stack TCP 6002 ws Incoming Outgoing
  ['master-stack', '<->', 'response-stack', 'tcp', 6002],
  ['client', '->', 'switch', 'tcp', 4000], // Response Stack TCP 4000 wss Incoming (client-initiated)
  ['master-stack', '->', 'smtp-server', 'tcp', 25], // Master Stack TCP 25 SMTP Outgoing
  ['master-stack', '->', 'sql-server', 'tcp', 1433], // Master Stack TCP 1433 TDS Outgoing (SQLSERVER_MASTER)
  ['master-stack', '->', 'sql-server', 'udp', 1434], // ... named instance: SQL Browser UDP 1434
  ['master-stack', '->', 'sql-server', 'tcp', SSRP],
  ['master-stack', '->', 'connector-sql-server', 'tcp', 1433], // Master Stack TCP 1433 TDS Outgoing (Connectors)
  ['master-stack', '->', 'wmi-target', 'tcp', 135], // Master Stack TCP 135 and 445 (initially) WMI (DCOM)
  ['master-stack', '->', 'wmi-target', 'tcp', 445],
  ['master-stack', '->', 'wmi-target', 'tcp', EPM],
  ['response-stack', '->', 'sql-server', 'tcp', 1433], // Response Stack TCP 1433 TDS Outgoing
  ['response-stack', '->', 'sql-server', 'udp', 1434],
  ['master-stack', '->', 'sql-server', 'tcp', 1433], // SQL Server (TachyonMaster) TCP 1433 Incoming
  ['response-stack', '->', 'sql-server', 'tcp', 1433], // SQL Server (TachyonResponses) TCP 1433 Incoming
  ['client', '->', 'cloud', 'tcp', 443], // 1E Analytics URLs whitelisted for clients ...
  ['admin', '->', 'cloud', 'tcp', 443], // ... and UI telemetry from administrator browsers
  ['client', '->', 'switch', 'tcp', 443], // DMZ: external interfaces also serve the Background Channel
];

describe('1E platform catalog covers every seed row', () => {
  const cat = loadCatalog('1e-platform');
  it('1E Servers table and whitelisting', () => {
    expectAllCovered(coverage(cat, ONE_E_ROWS, (n) => `1e.${n}`));
  });
  it('WAN caching: client to Switch never, Background Channel allowed', () => {
    expect(cat.rules.find((r) => r.id === '1e.client-to-switch')).toMatchObject({ wanCache: 'never', required: true, ports: [{ lo: 4000, hi: 4000 }] });
    expect(cat.rules.find((r) => r.id === '1e.client-to-background-channel')).toMatchObject({ wanCache: 'allowed', ports: [{ lo: 443, hi: 443 }] });
  });
  it('1E Cloud defaults to the internet pseudo-role', () => {
    expect(cat.roles.get('1e.cloud')?.default).toEqual(['internet']);
  });
});

// ---------------------------------------------------------------------------------------
// Altiris DS 5.5, 002_65c607c4a64136c4.txt: ports named in sections 1.i - 1.iv.
const ALTIRIS_ROWS: Row[] = [
  ['client', '->', 'deployment-server', 'tcp', 402], // 1.i c
  ['client', '->', 'deployment-server', 'tcp', WINDOW], // 1.i c: dynamic ports above 1024 afterwards
  ['client', '->', 'multicast-group', 'udp', 402], // 1.i d, 1.iii g: multicast locate
  ['deployment-server', '->', 'multicast-group', 'udp', 402],
  ['client', '->', 'pxe-server', 'udp', 67], // 1.i e: DHCP 67 & 68
  ['pxe-server', '->', 'client', 'udp', 68],
  ['client', '->', 'pxe-server', 'udp', 69], // 1.i e: MTFTP 69
  ['client', '->', 'pxe-server', 'udp', TFTP],
  ['client', '->', 'pxe-server', 'udp', 4011], // 1.i e: extended DHCP PXE request
  ['client', '->', 'dhcp-server', 'udp', 67], // 1.i f: BOOTP/DHCP servers listen on UDP 67
  ['dhcp-server', '->', 'client', 'udp', 68], // 1.i f: clients reserve UDP 68 for replies
  ['client', '->', 'broadcast', 'udp', 67],
  ['client', '->', 'deployment-server', 'udp', 67], // 1.i g: 67; 68; 69; 401; 402; 4011
  ['client', '->', 'deployment-server', 'udp', 69],
  ['client', '->', 'deployment-server', 'udp', 401],
  ['client', '->', 'deployment-server', 'udp', 402],
  ['client', '->', 'deployment-server', 'tcp', 401],
  ['client', '->', 'deployment-server', 'udp', 4011],
  ['deployment-server', '->', 'multicast-group', 'udp', 5000], // 1.i i ii: RapidInstall, dynamic ports
  ['deployment-server', '->', 'client', 'tcp', 1025], // 1.i k: remote control above 1024
  ['deployment-server', '->', 'client', 'tcp', 65535],
  ['deployment-server', '->', 'client', 'udp', 40000], // 1.i l: Wake on LAN above 1024
  ['deployment-server', '->', 'rapideploy-group', 'udp', 401], // 1.ii b-c
  ['deployment-server', '->', 'rapideploy-group', 'udp', 402],
];

describe('Altiris DS 5.5 catalog covers every port in the seed', () => {
  const cat = loadCatalog('altiris-ds-5.5');
  it('sections 1.i - 1.iii', () => {
    expectAllCovered(coverage(cat, ALTIRIS_ROWS, (n) => (n === 'broadcast' ? n : `altiris.${n}`)));
  });
  it('1.iv: a static file transfer port set in the site file becomes a rule', () => {
    expect(coverOne(cat, 'altiris.client', 'altiris.deployment-server', 'tcp', 5001)).toBeNull();
    const withStatic = applyParams(cat, new Map([['altiris.file_transfer_port', 5001]]));
    expect(coverOne(withStatic, 'altiris.client', 'altiris.deployment-server', 'tcp', 5001)).toBe('altiris.file-transfer-static');
  });
  it('1.ii: RapiDeploy group and ports are configurable', () => {
    expect(cat.roles.get('altiris.rapideploy-group')?.default).toEqual(['224.2.0.2-224.2.0.3']);
    expect(cat.roles.get('altiris.multicast-group')?.default).toEqual(['224.0.0.0/7']);
    const moved = applyParams(cat, new Map([['altiris.rapideploy_first_port', 5000], ['altiris.rapideploy_last_port', 5010]]));
    expect(moved.rules.find((r) => r.id === 'altiris.rapideploy-multicast')!.ports).toEqual([{ lo: 5000, hi: 5010 }]);
  });
});

// ---------------------------------------------------------------------------------------
// Dell WDM, 003_8b4c26cd65370902.txt, Table 4. "Communicate with X" rows have no arrow:
// Web Service rows are "<->" (devices check in, WDM pushes).
const WDM_ROWS: Row[] = [
  ['gui', '->', 'web-service', 'tcp', 80],
  ['gui', '->', 'web-service', 'tcp', 280],
  ['gui', '->', 'standard-service', 'tcp', 80],
  ['gui', '->', 'standard-service', 'tcp', 280],
  ['gui', '->', 'repository', 'tcp', 21],
  ['gui', '->', 'repository', 'tcp', FTP],
  ['gui', '->', 'database', 'tcp', 1433],
  ['gui', '->', 'web-agent', 'tcp', 5800],
  ['gui', '->', 'web-agent', 'tcp', 5900],
  ['web-service', '<->', 'web-agent', 'tcp', 80],
  ['web-service', '<->', 'web-agent', 'tcp', 280],
  ['web-service', '<->', 'gui', 'tcp', 80],
  ['web-service', '<->', 'gui', 'tcp', 280],
  ['web-service', '<->', 'standard-service', 'tcp', 80],
  ['web-service', '<->', 'standard-service', 'tcp', 280],
  ['web-service', '<->', 'web-agent', 'tcp', 443],
  ['web-service', '<->', 'web-agent', 'tcp', 8443],
  ['web-service', '<->', 'gui', 'tcp', 443],
  ['web-service', '<->', 'gui', 'tcp', 8443],
  ['web-service', '<->', 'standard-service', 'tcp', 443],
  ['web-service', '<->', 'standard-service', 'tcp', 8443],
  ['web-service', '->', 'database', 'tcp', 1433],
  ['web-agent', '->', 'web-service', 'tcp', 80],
  ['web-agent', '->', 'web-service', 'tcp', 280],
  ['web-agent', '->', 'repository', 'tcp', 21],
  ['web-agent', '->', 'repository', 'tcp', FTP],
];

describe('Dell WDM catalog covers every row of Table 4', () => {
  const cat = loadCatalog('dell-wdm');
  it('Table 4', () => {
    expectAllCovered(coverage(cat, WDM_ROWS, (n) => `wdm.${n}`));
  });
  it('OLE DB port is a parameter', () => {
    const moved = applyParams(cat, new Map([['wdm.db_port', 1533]]));
    expect(coverOne(moved, 'wdm.gui', 'wdm.database', 'tcp', 1533)).toBe('wdm.gui-to-database');
    expect(coverOne(moved, 'wdm.gui', 'wdm.database', 'tcp', 1433)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------
describe('system:inmation catalog', () => {
  const cat = loadCatalog('system-inmation');
  it('Connector <-> Core on one TCP port (default 6510) in both directions', () => {
    expectAllCovered(coverage(cat, [['connector', '<->', 'core', 'tcp', 6510]], (n) => `inmation.${n}`));
    const moved = applyParams(cat, new Map([['inmation.port', 7000]]));
    expect(coverOne(moved, 'inmation.core', 'inmation.connector', 'tcp', 7000)).toBe('inmation.connector-core');
    expect(coverOne(moved, 'inmation.core', 'inmation.connector', 'tcp', 6510)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------
// windows-infra: the Windows services of KB 832017 that the products depend on (rules/windows-infra.yaml).
const WIN_ROWS: Row[] = [
  ['domain-member', '->', 'dns-server', 'udp', 53],
  ['domain-member', '->', 'domain-controller', 'tcp', 53],
  ['domain-member', '->', 'domain-controller', 'udp', 88],
  ['domain-member', '->', 'domain-controller', 'tcp', 88],
  ['domain-member', '->', 'domain-controller', 'udp', 464],
  ['domain-member', '->', 'domain-controller', 'tcp', 464],
  ['domain-member', '->', 'domain-controller', 'udp', 389],
  ['domain-member', '->', 'domain-controller', 'tcp', 389],
  ['domain-member', '->', 'domain-controller', 'tcp', 636],
  ['domain-member', '->', 'domain-controller', 'tcp', 3268],
  ['domain-member', '->', 'domain-controller', 'tcp', 3269],
  ['domain-member', '->', 'domain-controller', 'udp', 123],
  ['domain-member', '->', 'domain-controller', 'tcp', 445],
  ['domain-member', '->', 'domain-controller', 'udp', 137],
  ['domain-member', '->', 'domain-controller', 'udp', 138],
  ['domain-member', '->', 'domain-controller', 'tcp', 139],
  ['domain-member', '->', 'domain-controller', 'tcp', 135],
  ['domain-member', '->', 'domain-controller', 'tcp', EPM],
  ['domain-member', '->', 'dhcp-server', 'udp', 67],
  ['dhcp-server', '->', 'domain-member', 'udp', 68],
];

describe('windows-infra catalog', () => {
  const cat = loadCatalog('windows-infra');
  it('covers DNS, Kerberos, kpasswd, LDAP(S), GC, NTP, SMB, NetBIOS, RPC and DHCP', () => {
    expectAllCovered(coverage(cat, WIN_ROWS, (n) => `win.${n}`));
  });
});

// The checker itself must be able to fail: a row nobody covers is reported.
describe('coverage check', () => {
  it('reports a row no rule covers', () => {
    const cat = loadCatalog('system-inmation');
    const result = coverage(cat, [['connector', '->', 'core', 'tcp', 6511]], (n) => `inmation.${n}`);
    expect(result).toEqual([{ row: 'connector -> core tcp 6511', covered: null }]);
  });
});
