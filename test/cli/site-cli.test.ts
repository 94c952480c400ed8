/**
 * `flowaudit site suggest` through the compiled CLI: --help, -o writes a draft the audit
 * accepts, and input mistakes are one line with exit 2. Needs `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/corpus.js';

const BUILT = existsSync(join(PROJECT_ROOT, 'dist/src/cli/main.js'));
const scratch = mkdtempSync(join(tmpdir(), 'fa-site-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function flowaudit(args: string[]) {
  return spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin/flowaudit'), ...args], {
    cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000,
  });
}

describe.skipIf(!BUILT)('flowaudit site suggest', () => {
  it('--help names the captures, --catalogs, -o and --db', () => {
    const r = flowaudit(['site', 'suggest', '--help']);
    expect(r.status).toBe(0);
    for (const s of ['<capture...>', '--catalogs <ids>', '-o, --output <file>', '--db <file>', 'draft site file']) expect(r.stdout).toContain(s);
  });

  it('-o writes the draft, which audits the same capture without errors', () => {
    const out = join(scratch, 'site.yaml');
    const r = flowaudit(['site', 'suggest', 'fixtures/products/dell-wdm/clean.pcap', '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/draft site file written to .*site\.yaml: \d+ roles/);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^# DRAFT site file/);
    expect(text).toContain('catalogs: [dell-wdm]');
    const a = flowaudit(['audit', 'fixtures/products/dell-wdm/clean.pcap', '--site', out, '--format', 'json', '-q']);
    expect(a.status, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).summary.siteFile).toBeDefined();
  });

  it('--catalogs restricts the roles to those catalogs', () => {
    const r = flowaudit(['site', 'suggest', 'fixtures/example/estate.pcap', '--catalogs', 'altiris-ds-5.5', '-q']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('catalogs: [altiris-ds-5.5]');
    expect(r.stdout).not.toMatch(/^ {2}(sccm|1e|win)\./m);
  });

  it('an unknown catalog id: one line, exit 2', () => {
    const r = flowaudit(['site', 'suggest', 'fixtures/example/estate.pcap', '--catalogs', 'sccm-2008']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^flowaudit: unknown catalog "sccm-2008" \(did you mean "sccm-2007"\?\)/);
  });

  it('an unreadable capture: one line, exit 2', () => {
    const r = flowaudit(['site', 'suggest', join(scratch, 'no-such.pcap')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^flowaudit: .*no-such\.pcap/);
  });
});
