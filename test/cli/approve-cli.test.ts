/**
 * `flowaudit approve` through the compiled CLI on the bundled example: unexpected findings
 * become allow: entries of the site file (edited in place, a backup kept, nothing else in the
 * file changed), and a re-audit reports those flows as approved, no longer unexpected.
 * Needs `npm run build`; skipped with a message when dist/ is missing.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { validateReport } from '../helpers/report-validate.js';

const BUILT = existsSync(join(PROJECT_ROOT, 'dist/src/cli/main.js'));
if (!BUILT) console.warn('dist/src/cli/main.js not found: CLI tests skipped (run npm run build)');

const dir = mkdtempSync(join(tmpdir(), 'fa-approve-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CAPTURE = join(PROJECT_ROOT, 'fixtures/example/estate.pcap');
const EXAMPLE_SITE = join(PROJECT_ROOT, 'fixtures/example/site.yaml');
const ORIGINAL = readFileSync(EXAMPLE_SITE, 'utf8');

function flowaudit(args: string[]) {
  return spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin/flowaudit'), ...args], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, TMPDIR: dir, NO_COLOR: '1' }, timeout: 60_000,
  });
}

function json(r: ReturnType<typeof flowaudit>) {
  expect(r.status, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout);
  expect(validateReport(report), JSON.stringify(validateReport.errors?.slice(0, 3))).toBe(true);
  return report;
}

/** A fresh copy of the example site file and a database holding the example capture. */
function setup(name: string): { site: string; db: string } {
  const site = join(dir, `${name}.yaml`);
  const db = join(dir, `${name}.db`);
  copyFileSync(EXAMPLE_SITE, site);
  const r = flowaudit(['read', CAPTURE, '--db', db, '--site', site, '-q']);
  expect(r.status, r.stderr).toBe(0);
  return { site, db };
}

const today = (): string => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

describe.skipIf(!BUILT)('flowaudit approve', () => {
  let before: any;
  let groupId: string;
  let sqlFlowId: number;
  beforeAll(() => {
    const { site, db } = setup('base');
    before = json(flowaudit(['report', '--db', db, '--site', site, '--format', 'json', '-q']));
    // The client reaching the SCCM database on TCP 1433: a role mismatch, one group of one flow.
    const item = before.unexpected.find((u: any) => u.dport === 1433);
    groupId = item.group;
    sqlFlowId = item.flowId;
    expect(before.approvals).toBeUndefined();
    expect(before.summary.flows.approved).toBeUndefined();
  });

  it('refuses an unknown group, flow or an empty selection in one line, exit 2, the site file untouched', () => {
    const { site, db } = setup('refuse');
    const cases: [string[], RegExp][] = [
      [['--group', 'U99'], /^flowaudit: --group U99: no such group of unexpected flows in this audit \(its groups: U1, U2, U3\)\n$/],
      [['--flow', '99999'], /^flowaudit: --flow 99999: not one of the 29 unexpected flows of this audit/],
      [['--flow', 'seven'], /^flowaudit: --flow: "seven" is not a flow id/],
      [['--where', 'dport=1433 and src=10.0.0.21'], /^flowaudit: --where "dport=1433 and src=10.0.0.21": selects 1 stored flow, none of them one of the 29 unexpected flows/],
      [[], /^flowaudit: approve: name the flows to approve with exactly one of --group, --flow or --where\n$/],
      [['--group', 'U1', '--flow', '3'], /exactly one of/],
    ];
    for (const [sel, msg] of cases) {
      const r = flowaudit(['approve', '--db', db, '--site', site, ...sel, '--reason', 'x']);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(readFileSync(site, 'utf8')).toBe(ORIGINAL);
    expect(existsSync(`${site}.bak`)).toBe(false);
  });

  it('--dry-run prints the YAML it would add and changes nothing', () => {
    const { site, db } = setup('dry');
    const r = flowaudit(['approve', '--db', db, '--site', site, '--group', groupId, '--reason', 'inventory script', '--by', 'tester', '--dry-run']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`allow:\n  - from: sccm.client\n    to: sccm.sql-server\n    proto: tcp\n    port: 1433\n    reason: inventory script\n` +
      `    by: tester\n    date: ${today()}\n    rule: sccm.pxe-sql\n`);
    expect(r.stderr).toContain(`${groupId}: tcp/1433 from sccm.client to sccm.sql-server: covers 1 unexpected flow (1 selected)`);
    expect(r.stderr).toContain('dry run');
    expect(readFileSync(site, 'utf8')).toBe(ORIGINAL);
    expect(existsSync(`${site}.bak`)).toBe(false);
  });

  it('adds the entry keeping every other byte of the file, and a re-audit reports the flow approved, not unexpected', () => {
    const { site, db } = setup('apply');
    const r = flowaudit(['approve', '--db', db, '--site', site, '--group', groupId, '--reason', 'inventory script: reads the site database']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`backup of the site file written to ${site}.bak`);
    expect(readFileSync(`${site}.bak`, 'utf8')).toBe(ORIGINAL);

    // Byte-identical outside the added block (at the end of the file: the example has no allow:).
    const after = readFileSync(site, 'utf8');
    expect(after.startsWith(ORIGINAL)).toBe(true);
    const block = after.slice(ORIGINAL.length);
    const by = userInfo().username;
    expect(block).toBe(`allow:\n  - from: sccm.client\n    to: sccm.sql-server\n    proto: tcp\n    port: 1433\n` +
      `    reason: "inventory script: reads the site database"\n    by: ${by}\n    date: ${today()}\n    rule: sccm.pxe-sql\n`);

    const report = json(flowaudit(['report', '--db', db, '--site', site, '--format', 'json', '-q']));
    expect(report.unexpected.some((u: any) => u.flowId === sqlFlowId)).toBe(false);
    expect(report.summary.counts.unexpected).toBe(before.summary.counts.unexpected - 1);
    expect(report.summary.flows).toMatchObject({ expected: before.summary.flows.expected + 1, approved: 1 });
    expect(report.summary.verdict).toContain('1 flow approved by the site file');
    const line = ORIGINAL.split('\n').length + 1;
    expect(report.approvals).toEqual([{
      line, from: ['sccm.client'], to: ['sccm.sql-server'], proto: 'tcp', ports: '1433', reason: 'inventory script: reads the site database',
      by, date: today(), rule: 'sccm.pxe-sql', text: expect.stringContaining('from: sccm.client'), flows: 1,
    }]);
    const flows = JSON.parse(flowaudit(['flows', '--db', db, '--where', `dport=1433 and src=10.0.1.15`, '--format', 'json']).stdout);
    expect(flows).toHaveLength(1);
    expect(flows[0].evidence).toBe(`approved by ${by} on ${today()}: inventory script: reads the site database (rule sccm.pxe-sql; site file line ${line})`);

    // The human formats list the approvals in force.
    const text = flowaudit(['report', '--db', db, '--site', site, '-q']).stdout;
    expect(text).toMatch(/Approvals in force — 1 entry, 1 flow approved/);
    expect(text).toMatch(/sccm\.client +sccm\.sql-server +tcp +1433 +sccm\.pxe-sql/);
    const html = flowaudit(['report', '--db', db, '--site', site, '--format', 'html', '-q']).stdout;
    expect(html).toContain('<section id="approvals"><h2>Approvals in force — 1 entry, 1 flow approved</h2>');
    expect(html).toContain('<a href="#approvals">Approvals</a>');
    const md = flowaudit(['report', '--db', db, '--site', site, '--format', 'md', '-q']).stdout;
    expect(md).toContain('## Approvals in force — 1 entry, 1 flow approved');
    const csv = flowaudit(['report', '--db', db, '--site', site, '--format', 'csv', '-q']).stdout;
    expect(csv).toMatch(/\r\napprovals,,allow,tcp,sccm\.client,,sccm\.sql-server,,1433,sccm\.pxe-sql,inventory script: reads the site database,approved by \S+ on [-\d]+; site file line \d+; 1 flow,/);

    // A fresh audit of the capture with the edited site file says the same.
    const fresh = json(flowaudit(['audit', CAPTURE, '--site', site, '--format', 'json', '-q']));
    expect(fresh.unexpected.some((u: any) => u.dport === 1433)).toBe(false);
    expect(fresh.approvals[0].flows).toBe(1);
  });

  it('a broad --where: one entry per group, each with the flows it covers', () => {
    const { site, db } = setup('where');
    const r = flowaudit(['approve', '--db', db, '--site', site, '--where', 'src=10.0.1.0/24', '--reason', 'lab desktop', '--by', 'tester']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => / covers /.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect(l).toMatch(/^U\d+: tcp\/\d+ from \S+ to \S+: covers \d+ unexpected flows? \(\d+ selected\)$/);
    const report = json(flowaudit(['report', '--db', db, '--site', site, '--format', 'json', '-q']));
    expect(report.unexpected.filter((u: any) => u.src.startsWith('10.0.1.'))).toEqual([]);
    expect(report.approvals.reduce((n: number, a: any) => n + a.flows, 0)).toBe(report.summary.flows.approved);
  });
});
