/**
 * What the compiled CLI says when the user got something wrong or may not have meant it: site
 * file mistakes with file, line and field, warnings that do not stop the run, listings and help
 * a newcomer needs. Needs `npm run build` (npm test does it); skipped with a message otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { TempDir } from '../helpers/capture-files.js';

const BUILT = existsSync(join(PROJECT_ROOT, 'dist/src/cli/main.js'));
if (!BUILT) console.warn('dist/src/cli/main.js not found: CLI message tests skipped (run npm run build)');

const tmp = new TempDir('fa-messages-test-');
afterAll(() => tmp.cleanup());

function flowaudit(args: string[], cwd = PROJECT_ROOT) {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin/flowaudit'), ...args], {
    cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp.path },
  });
  return Object.assign(r, { lines: r.stderr.split('\n').filter(Boolean) });
}

const EXAMPLE_SITE = readFileSync(join(PROJECT_ROOT, 'fixtures/example/site.yaml'), 'utf8');
const CAPTURE = join(PROJECT_ROOT, 'fixtures/example/estate.pcap');

describe.skipIf(!BUILT)('site file messages through the CLI', () => {
  it('an unknown catalog: exit 2, one error naming the site file, line and field, and the shipped ids', () => {
    const site = tmp.file('typo.yaml', EXAMPLE_SITE.replace(/catalogs: \[([^\]]*)sccm-2007/, 'catalogs: [$1sccm-2008'));
    const line = readFileSync(site, 'utf8').split('\n').findIndex((l) => l.includes('sccm-2008')) + 1;
    const r = flowaudit(['audit', CAPTURE, '--site', site, '-q']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(new RegExp(`^flowaudit: site file error: ${site}:${line}: catalogs\\[\\d\\]: unknown catalog "sccm-2008" \\(did you mean "sccm-2007"\\?\\); shipped catalogs: 1e-platform, `));
  });

  it('a CIDR with host bits set: the run goes on, with a warning on stderr naming file, line and field', () => {
    const site = tmp.file('hostbits.yaml', EXAMPLE_SITE.replace('sccm.client: [10.0.1.0/24', 'sccm.client: [10.0.1.1/24'));
    expect(readFileSync(site, 'utf8')).toContain('10.0.1.1/24');
    const line = readFileSync(site, 'utf8').split('\n').findIndex((l) => l.includes('10.0.1.1/24')) + 1;
    const r = flowaudit(['audit', CAPTURE, '--site', site, '--format', 'json', '-q']);
    expect(r.status).toBe(0);
    expect(r.lines).toEqual([expect.stringMatching(new RegExp(`^flowaudit: warning: ${site}:${line}: roles\\.[a-z0-9.-]+(\\[\\d+\\])?: "10\\.0\\.1\\.1/24" has host bits set: read as the network 10\\.0\\.1\\.0/24$`))]);
    expect(JSON.parse(r.stdout).summary.siteFile).toBe(site);
  });
});
