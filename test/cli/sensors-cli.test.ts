/**
 * Several sensors, one verdict, through the built CLI: two sensors capture the same
 * conversations at both ends of a WAN link (`read --sensor branch`, `read --sensor hq` into one
 * database), and `report` judges the estate: each conversation counts once and names both
 * sensors, a flow one sensor alone saw names only it, a required path only one sensor saw is not
 * missing, and the per-sensor coverage and the gaps no capture covers are in every format.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pcapFile, riverbedProbeOptions, WINDOWS_SYN_OPTIONS, type PcapRecord } from '../../fixtures/lib/packet-builder.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { TempDir } from '../helpers/capture-files.js';
import { T0, TcpScript } from '../helpers/flow-script.js';
import { validateReport } from '../helpers/report-validate.js';

const BIN = join(PROJECT_ROOT, 'bin/flowaudit');
const BUILT = existsSync(join(PROJECT_ROOT, 'dist/src/cli/main.js'));

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

function run(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 20_000, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
}

function ok(args: string[]): string {
  const r = run(args);
  expect(r.status, `flowaudit ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

const SITE = `catalogs: [1e-platform]
roles:
  1e.client: [10.20.1.0/24]
  1e.switch: [10.0.0.41, 10.0.0.42]
  1e.response-stack: [10.0.0.41, 10.0.0.42]
sites:
  hq: [10.0.0.0/16]
  branch: [10.20.0.0/16]
`;

/** How far the hq sensor's clock and the WAN delay put its copy of a packet after the branch's. */
const FAR_END_SHIFT = 0.005;

interface Side {
  /** Seconds added to every packet time. */
  shift: number;
  /** SYN options of the client's SYN as this sensor sees it (an optimizer's probe on the WAN side). */
  synOptions: number[];
  /** Conversations only this sensor sees. */
  only: 'branch' | 'hq';
}

/**
 * The sensor's capture: C1 (client to Switch, TCP 4000, a WAN-cache `never` rule, crossing
 * branch -> hq) and C2 (client to hq port 9999, no rule) seen at both ends; the branch alone sees
 * C3 (inside the branch, no rule), hq alone C4 (a client to the second Switch, required).
 */
function sideCapture(s: Side): Buffer {
  const c1 = new TcpScript('10.20.1.5', 50001, '10.0.0.41', 4000).at(T0 + s.shift)
    .handshake(s.synOptions).c('PA', 'x'.repeat(100)).s('PA', 'y'.repeat(200)).c('FA').s('FA').c('A');
  const c2 = new TcpScript('10.20.1.5', 50002, '10.0.0.41', 9999).at(T0 + 1 + s.shift).handshake(s.synOptions);
  const only = s.only === 'branch'
    ? new TcpScript('10.20.1.6', 50003, '10.20.1.7', 8888).at(T0 + 2 + s.shift).handshake()
    : new TcpScript('10.20.1.8', 50004, '10.0.0.42', 4000).at(T0 + 3 + s.shift).handshake();
  const records: PcapRecord[] = [...c1.records, ...c2.records, ...only.records];
  return pcapFile(records);
}

const branchCapture = () => sideCapture({ shift: 0, synOptions: WINDOWS_SYN_OPTIONS, only: 'branch' });
const hqCapture = (optimizer: boolean) => sideCapture({
  shift: FAR_END_SHIFT, synOptions: optimizer ? riverbedProbeOptions('10.20.0.2') : WINDOWS_SYN_OPTIONS, only: 'hq',
});

describe.skipIf(!BUILT)('several sensors, one verdict', () => {
  let site = '';
  let branchFile = '';
  let hqFile = '';
  let hqOptimizedFile = '';

  beforeAll(() => {
    site = tmp.file('site.yaml', SITE);
    branchFile = tmp.file('branch.pcap', branchCapture());
    hqFile = tmp.file('hq.pcap', hqCapture(false));
    hqOptimizedFile = tmp.file('hq-wan.pcap', hqCapture(true));
  });

  /** A database holding the branch capture (sensor branch) and an hq capture (sensor hq); the JSON report of both. */
  function estate(hq: string, branchSensor = 'branch', hqSensor = 'hq'): { db: string; report: any } {
    const db = tmp.name('estate.db');
    ok(['read', branchFile, '--db', db, '--site', site, '--sensor', branchSensor, '-q']);
    ok(['read', hq, '--db', db, '--site', site, '--sensor', hqSensor, '-q']);
    const report = JSON.parse(ok(['report', '--db', db, '--site', site, '--format', 'json', '-q']));
    expect(validateReport(report), JSON.stringify(validateReport.errors?.slice(0, 3))).toBe(true);
    return { db, report };
  }

  const tuple = (it: { src: string; sport: number; dst: string; dport: number }) => `${it.src}:${it.sport}>${it.dst}:${it.dport}`;

  for (const optimizer of [false, true]) {
    describe(optimizer ? 'a WAN optimizer adds its probe to the SYN on the WAN side' : 'identical packets at both ends', () => {
      let report: any;
      let db = '';
      beforeAll(() => {
        ({ db, report } = estate(optimizer ? hqOptimizedFile : hqFile));
      });

      it('stores each sensor with its capture', () => {
        const conn = new Database(db, { readonly: true });
        try {
          expect(conn.prepare('SELECT id, sensor FROM captures ORDER BY id').all()).toEqual([{ id: 1, sensor: 'branch' }, { id: 2, sensor: 'hq' }]);
        } finally {
          conn.close();
        }
      });

      it('counts each conversation once: the other sensor\'s rows are duplicates', () => {
        expect(report.summary.flows.duplicates).toBe(2);
        // C1, C2, C3, C4: four conversations of six stored flows.
        expect(report.summary.flows.analysed).toBe(4);
        expect(report.summary.flows.inScope).toBe(4);
        expect(report.summary.flows.expected + report.summary.flows.unexpected + report.summary.flows.ignored).toBe(4);
      });

      it('reports nothing twice, and names both sensors of a conversation both saw', () => {
        const unexpected = report.unexpected.map((u: any) => [tuple(u), u.sensors, u.flowId]);
        expect(unexpected).toEqual([
          ['10.20.1.5:50002>10.0.0.41:9999', ['branch', 'hq'], 2],
          ['10.20.1.6:50003>10.20.1.7:8888', ['branch'], 3],
        ]);
        expect(report.wanCache.map((w: any) => [tuple(w), w.sensors, w.status])).toEqual([
          ['10.20.1.5:50001>10.0.0.41:4000', ['branch', 'hq'], optimizer ? 'violation' : 'must-not-cache'],
          ['10.20.1.8:50004>10.0.0.42:4000', ['hq'], 'must-not-cache'],
        ]);
        expect(report.summary.counts.unexpected).toBe(2);
        expect(report.summary.counts.wanCache).toBe(2);
        // Groups name the sensors of their flows.
        const groupSensors = Object.fromEntries([...report.groups.unexpected, ...report.groups.wanCache].map((g: any) => [g.id, g.sensors]));
        for (const it of [...report.unexpected, ...report.wanCache]) for (const s of it.sensors) expect(groupSensors[it.group]).toContain(s);
      });

      it(optimizer ? 'takes the optimizer\'s probe the hq sensor saw as evidence for the conversation' : 'finds no optimizer evidence', () => {
        const c1 = report.wanCache.find((w: any) => w.dport === 4000 && w.src === '10.20.1.5');
        expect(c1.evidence).toEqual(optimizer ? ['TCP option 76 (Riverbed auto-discovery probe) on SYN'] : []);
      });

      it('judges required paths over all sensors: a Switch only hq saw reached is not missing', () => {
        expect(report.missing.filter((m: any) => m.rule === '1e.client-to-switch')).toEqual([]);
      });

      it('lists each sensor\'s coverage exactly', () => {
        const windows = report.sensors.map((s: any) => ({ ...s, firstTs: undefined, lastTs: undefined, window: undefined }));
        expect(JSON.parse(JSON.stringify(windows))).toEqual([
          { sensor: 'branch', captures: [1], packets: 14, bytes: report.summary.captures[0].bytes, drops: null, ifDrops: null, partial: 0, flows: 3, sharedFlows: 2 },
          { sensor: 'hq', captures: [2], packets: 14, bytes: report.summary.captures[1].bytes, drops: null, ifDrops: null, partial: 0, flows: 3, sharedFlows: 2 },
        ]);
        expect(report.sensors[0].firstTs).toBeCloseTo(T0, 6);
        expect(report.sensors[0].lastTs).toBeCloseTo(T0 + 2.02, 6);
        expect(report.sensors[1].firstTs).toBeCloseTo(T0 + FAR_END_SHIFT, 6);
        expect(report.sensors[1].lastTs).toBeCloseTo(T0 + 3.02 + FAR_END_SHIFT, 6);
        expect(report.coverageGaps).toEqual([]);
      });
    });
  }

  it('a capture of one sensor alone is judged as before: no sensors fields, and the Switch only hq saw is missing', () => {
    const { db } = estate(hqFile);
    const branchOnly = JSON.parse(ok(['report', '--db', db, '--site', site, '--capture', '1', '--format', 'json', '-q']));
    expect(branchOnly.sensors).toBeUndefined();
    expect(branchOnly.summary.flows.duplicates).toBeUndefined();
    expect(branchOnly.unexpected.every((u: any) => u.sensors === undefined)).toBe(true);
    expect(branchOnly.missing.map((m: any) => [m.rule, m.dst])).toContainEqual(['1e.client-to-switch', '10.0.0.42']);
  });

  it('two captures under the same sensor name are not merged: one sensor seeing a flow twice saw two flows', () => {
    const { report } = estate(hqFile, 'hq', 'hq');
    expect(report.sensors).toBeUndefined();
    expect(report.summary.flows.duplicates).toBeUndefined();
    expect(report.summary.flows.analysed).toBe(6);
    expect(report.unexpected.map(tuple)).toEqual(['10.20.1.5:50002>10.0.0.41:9999', '10.20.1.6:50003>10.20.1.7:8888', '10.20.1.5:50002>10.0.0.41:9999']);
  });

  it('the same file read again, under any sensor name, is recognised and stored once', () => {
    const db = tmp.name('reread.db');
    ok(['read', branchFile, '--db', db, '--sensor', 'branch', '-q']);
    const again = run(['read', branchFile, '--db', db, '--sensor', 'hq']);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('already stored');
    const conn = new Database(db, { readonly: true });
    try {
      expect(conn.prepare('SELECT sensor, COUNT(*) AS n FROM captures GROUP BY sensor').all()).toEqual([{ sensor: 'branch', n: 1 }]);
    } finally {
      conn.close();
    }
  });

  it('every format names the sensors and their coverage', () => {
    const { db } = estate(hqFile);
    const text = ok(['report', '--db', db, '--site', site, '--format', 'text', '-q']);
    expect(text).toMatch(/Sensors — 2 sensors, 2 flows seen by another sensor too, 0 coverage gaps/);
    expect(text).toMatch(/sensors: branch, hq/);
    const md = ok(['report', '--db', db, '--site', site, '--format', 'md', '-q']);
    expect(md).toContain('## Sensors — 2 sensors');
    expect(md).toContain('seen by branch, hq');
    const html = ok(['report', '--db', db, '--site', site, '--format', 'html', '-q']);
    expect(html).toContain('<section id="sensors">');
    expect(html).toContain('seen by branch, hq');
    const csv = ok(['report', '--db', db, '--site', site, '--format', 'csv', '-q']);
    const lines = csv.split('\r\n');
    expect(lines[0]!.endsWith(',sensors')).toBe(true);
    expect(lines.filter((l) => l.startsWith('sensors,,sensor,'))).toHaveLength(2);
    expect(lines.find((l) => l.includes('10.20.1.6'))!.endsWith(',branch')).toBe(true);
    expect(lines.find((l) => l.includes(',9999,'))!.endsWith(',branch hq')).toBe(true);
  });

  it('names the spans no sensor captured, in the coverage and in missing findings', () => {
    const db = tmp.name('gaps.db');
    // The branch sensor captures first; hq starts 100 s later.
    // Neither sees a client reach the second Switch: it is missing, and the gap may explain it.
    const late = sideCapture({ shift: 100, synOptions: WINDOWS_SYN_OPTIONS, only: 'branch' });
    ok(['read', branchFile, '--db', db, '--site', site, '--sensor', 'branch', '-q']);
    ok(['read', tmp.file('late.pcap', late), '--db', db, '--site', site, '--sensor', 'hq', '-q']);
    const report = JSON.parse(ok(['report', '--db', db, '--site', site, '--format', 'json', '-q']));
    expect(validateReport(report)).toBe(true);
    expect(report.coverageGaps).toHaveLength(1);
    expect(report.coverageGaps[0].start).toBeCloseTo(T0 + 2.02, 6);
    expect(report.coverageGaps[0].end).toBeCloseTo(T0 + 100, 6);
    expect(report.coverageGaps[0].text).toMatch(/\(1m 38s\)$/);
    // 100 s apart: the two sensors' copies of C1 and C2 do not overlap, so nothing is merged.
    expect(report.summary.flows.duplicates).toBe(0);
    const missing = report.missing.find((m: any) => m.rule === '1e.client-to-switch' && m.dst === '10.0.0.42');
    expect(missing.reason).toMatch(/; no sensor captured the gap .* \(1m 38s\), so the flow may have run then$/);
    const text = ok(['report', '--db', db, '--site', site, '--format', 'text', '-q']);
    expect(text).toMatch(/no capture covers .* \(1m 38s\)/);
  });

  it('refuses a bad sensor name in one line', () => {
    for (const [name, why] of [['', 'empty'], ['x'.repeat(65), 'longer than 64'], ['a\tb', 'control character']] as const) {
      const r = run(['read', branchFile, '--db', tmp.name('bad.db'), '--sensor', name]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(why);
    }
  });
});
