/**
 * What the compiled CLI says when the user got something wrong or may not have meant it: site
 * file mistakes with file, line and field, warnings that do not stop the run, listings and help
 * a newcomer needs. Needs `npm run build` (npm test does it); skipped with a message otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

describe.skipIf(!BUILT)('what a newcomer needs', () => {
  it('rules roles: every role id with its title, per catalog', () => {
    const r = flowaudit(['rules', 'roles']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('sccm-2007 — System Center Configuration Manager 2007');
    expect(lines).toContain('1e-platform — 1E platform (Tachyon)');
    expect(lines.some((l) => /^ {2}sccm\.management-point +management point$/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}sccm\.site-server +site server \(primary or secondary site server\)$/.test(l))).toBe(true);
    expect(r.stdout).toMatch(/\n\d+ roles in 6 catalogs; in a site file: roles: \{ ROLE-ID: \[addresses\] \}\n$/);
    const one = flowaudit(['rules', 'roles', '--catalog', 'system-inmation']);
    expect(one.stdout.split('\n')[0]).toBe('system-inmation — system:inmation');
    expect(one.stdout).not.toContain('sccm.');
  });

  it('rules show cites the seed document with its product title', () => {
    const r = flowaudit(['rules', 'show', 'sccm.client-to-mp']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}source: +001_89b7e3ac6d9abfc6\.txt \(Microsoft System Center Configuration Manager 2007\) — Table 1: /m);
  });

  it('--help gives the defaults and units of the timeouts and of --flush-every', () => {
    const read = flowaudit(['read', '--help']).stdout.replace(/\s+/g, ' ');
    expect(read).toContain('--tcp-timeout <seconds> a TCP flow idle this many seconds ends (a closed connection\'s flow ends 5 s after it closed) (default: 300 s)');
    expect(read).toContain('--udp-timeout <seconds> a UDP or ICMP flow idle this many seconds ends (default: 60 s)');
    expect(read).toContain('(default: 1800 s)');
    const capture = flowaudit(['capture', '--help']).stdout.replace(/\s+/g, ' ');
    expect(capture).toMatch(/--flush-every <time> write finished flows at least this often: a duration \(500ms, 5s, 1m; no unit: seconds\); a crash loses at most this much \(default: 5s\)/);
  });

  it('report without --site uses the site file the stored flows were classified with, while it is unchanged', () => {
    const db = join(tmp.path, 'classified.db');
    const site = tmp.file('site.yaml', EXAMPLE_SITE);
    expect(flowaudit(['read', CAPTURE, '--db', db, '--site', site, '-q']).status).toBe(0);
    const r = flowaudit(['report', '--db', db, '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.lines).toEqual([`site file: ${site} (the stored flows were classified with it)`]);
    expect(JSON.parse(r.stdout).summary.siteFile).toBe(site);
    expect(flowaudit(['report', '--db', db, '-q']).stderr).toBe('');

    writeFileSync(site, EXAMPLE_SITE + '\n# edited\n');
    const changed = flowaudit(['report', '--db', db]);
    expect(changed.status).toBe(2);
    expect(changed.lines).toEqual([`flowaudit: ${db}: ${site} changed since its flows were classified with it: name the site file with --site FILE`]);
    rmSync(site);
    const gone = flowaudit(['report', '--db', db]);
    expect(gone.status).toBe(2);
    expect(gone.lines).toEqual([`flowaudit: ${db}: its flows were classified with ${site}, which no longer exists: name the site file with --site FILE`]);

    const bare = join(tmp.path, 'unclassified.db');
    expect(flowaudit(['read', CAPTURE, '--db', bare, '-q']).status).toBe(0);
    const none = flowaudit(['report', '--db', bare]);
    expect(none.status).toBe(2);
    expect(none.lines).toEqual([`flowaudit: ${bare}: its flows were not classified with a site file yet: name the site file with --site FILE`]);
  });
});

describe('the launcher (bin/flowaudit)', () => {
  const launcher = readFileSync(join(PROJECT_ROOT, 'bin/flowaudit'), 'utf8');
  /** A copy of the launcher in a fresh tree, with `main` as dist/src/cli/main.js (or none). */
  function tree(main: string | null) {
    const root = tmp.name('tree');
    mkdirSync(join(root, 'bin'), { recursive: true });
    writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
    writeFileSync(join(root, 'bin/flowaudit'), launcher);
    if (main !== null) {
      mkdirSync(join(root, 'dist/src/cli'), { recursive: true });
      writeFileSync(join(root, 'dist/src/cli/main.js'), main);
    }
    return spawnSync(process.execPath, [join(root, 'bin/flowaudit'), '--version'], { encoding: 'utf8', cwd: tmp.path });
  }

  it('not built: says to run npm install (which builds) or npm run build, and where', () => {
    const r = tree(null);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^flowaudit: not built yet: run `npm install` \(it builds flowaudit\) or `npm run build` in \/.*tree\n$/);
  });

  it('a dependency missing: says which, and to run npm install', () => {
    const r = tree("import 'no-such-dependency-xyz';\n");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^flowaudit: a dependency is missing \(Cannot find package 'no-such-dependency-xyz'[^\n]*\): run `npm install` in \/.*tree\n$/);
  });
});

describe('README and package.json agree', () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };

  it('npm install builds (prepare), so the first command, npm install && npm run example, works on a fresh clone', () => {
    expect(readme).toContain('npm install && npm run example');
    expect(pkg.scripts.prepare).toBe('npm run build');
    expect(pkg.scripts.example).toMatch(/bin\/flowaudit audit fixtures\/example\/estate\.pcap/);
  });

  it('usage lines run flowaudit through npx (it is not on the PATH after npm install)', () => {
    const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const commands = blocks.flatMap((b) => b.split('\n')).map((l) => l.trim()).filter((l) => /^(sudo )?(npx )?flowaudit /.test(l));
    expect(commands.length).toBeGreaterThan(8);
    for (const c of commands) expect(c, c).toMatch(/^(sudo )?npx flowaudit /);
    expect(pkg.bin.flowaudit).toBe('bin/flowaudit');
  });
});
