/**
 * `flowaudit firewall export` through the compiled CLI: what it prints is the golden export,
 * `-o` writes the same, and user mistakes are one line on stderr with exit status 2. Needs
 * `npm run build` (npm test does it); skipped with a message otherwise.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TempDir } from '../helpers/capture-files.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';

const BUILT = existsSync(join(PROJECT_ROOT, 'dist/src/cli/main.js'));
if (!BUILT) console.warn('dist/src/cli/main.js not found: firewall CLI tests skipped (run npm run build)');

const tmp = new TempDir('fa-firewall-cli-');
afterAll(() => tmp.cleanup());

function flowaudit(args: string[]) {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin/flowaudit'), ...args], {
    cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp.path },
  });
  return Object.assign(r, { lines: r.stderr.split('\n').filter(Boolean) });
}

const SITE = 'fixtures/example/site.yaml';
const golden = (name: string) => readFileSync(join(PROJECT_ROOT, 'test/firewall/golden', name), 'utf8');

describe.skipIf(!BUILT)('flowaudit firewall export', () => {
  it('prints the export on stdout, the golden file byte for byte', () => {
    const r = flowaudit(['firewall', 'export', '--site', SITE, '--format', 'nftables']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(golden('example.nft'));
  });

  it('-o writes the same to a file, and says so on stderr', () => {
    const out = tmp.name('fw.cisco');
    const r = flowaudit(['firewall', 'export', '--site', SITE, '--format', 'cisco', '-o', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.lines).toEqual([`95 rules written to ${out}`]);
    expect(readFileSync(out, 'utf8')).toBe(golden('example.cisco'));
  });

  it('with --db of an audited capture: the golden export with observations', () => {
    const db = tmp.name('audit.db');
    expect(flowaudit(['audit', 'fixtures/example/estate.pcap', '--site', SITE, '--db', db, '-q', '--format', 'json']).status).toBe(0);
    const r = flowaudit(['firewall', 'export', '--site', SITE, '--db', db, '--format', 'csv']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(golden('example-db.csv'));
    const only = flowaudit(['firewall', 'export', '--site', SITE, '--db', db, '--format', 'nftables', '--only-observed']);
    expect(only.status).toBe(0);
    expect(only.stdout).toMatch(/only rules that saw traffic are exported/);
    expect(only.stdout).not.toMatch(/accept comment "sccm\.mp-ss-rpc"/);
  });

  const oneLineExit2 = (args: string[], message: RegExp) => {
    const r = flowaudit(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(message);
  };

  it('--only-observed without --db: one line, exit 2', () => {
    oneLineExit2(['firewall', 'export', '--site', SITE, '--format', 'nftables', '--only-observed'], /^flowaudit: --only-observed needs --db/);
  });

  it('an unknown format: one line naming the formats, exit 2', () => {
    oneLineExit2(['firewall', 'export', '--site', SITE, '--format', 'pf'],
      /^flowaudit: --format: unknown format 'pf' \(use nftables, iptables, windows, cisco, csv\)$/);
  });

  it('a site file that cannot be read: one line naming it, exit 2', () => {
    oneLineExit2(['firewall', 'export', '--site', 'no/such/site.yaml', '--format', 'csv'], /^flowaudit: .*no\/such\/site\.yaml/);
    if (process.getuid?.() !== 0) {
      const locked = tmp.file('locked.yaml', 'catalogs: [dell-wdm]\n');
      chmodSync(locked, 0);
      oneLineExit2(['firewall', 'export', '--site', locked, '--format', 'csv'], new RegExp(`^flowaudit: .*${locked}`));
    }
  });

  it('a database that does not exist: one line, exit 2', () => {
    oneLineExit2(['firewall', 'export', '--site', SITE, '--db', 'no-such.db', '--format', 'csv'], /^flowaudit: no-such\.db: no such database$/);
  });
});
