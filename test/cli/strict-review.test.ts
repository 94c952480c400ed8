/**
 * A strict review (announced ports only): `--strict` on audit and report, or `strict: true` in
 * the site file, makes every flow only a time window allows an unexpected finding. Through the
 * compiled CLI on the Altiris product fixture, whose clean capture has two such flows.
 * Needs `npm run build`; skipped with a message when dist/ is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSite } from '../../src/catalog/site-file.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { validateReport } from '../helpers/report-validate.js';

const BUILT = existsSync(join(PROJECT_ROOT, 'dist/src/cli/main.js'));
if (!BUILT) console.warn('dist/src/cli/main.js not found: CLI tests skipped (run npm run build)');

const dir = mkdtempSync(join(tmpdir(), 'fa-strict-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PRODUCT = join(PROJECT_ROOT, 'fixtures/products/altiris-ds-5.5');
const CAPTURE = join(PRODUCT, 'clean.pcap');
const SITE = join(PRODUCT, 'site.yaml');

function flowaudit(args: string[]) {
  return spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin/flowaudit'), ...args], {
    cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, TMPDIR: dir, NO_COLOR: '1' }, timeout: 60_000,
  });
}

function json(r: ReturnType<typeof flowaudit>) {
  const report = JSON.parse(r.stdout);
  expect(validateReport(report), JSON.stringify(validateReport.errors?.slice(0, 3))).toBe(true);
  return report;
}

describe('site file: strict', () => {
  it('is true or false, and absent by default', () => {
    expect(parseSite('catalogs: [altiris-ds-5.5]\nstrict: true\n', 's.yaml').strict).toBe(true);
    expect(parseSite('catalogs: [altiris-ds-5.5]\nstrict: false\n', 's.yaml').strict).toBe(false);
    expect(parseSite('catalogs: [altiris-ds-5.5]\n', 's.yaml').strict).toBeUndefined();
  });

  it('anything else is an error naming the line', () => {
    expect(() => parseSite('catalogs: [altiris-ds-5.5]\nstrict: yes please\n', 's.yaml'))
      .toThrow('site file error: s.yaml:2: strict: expected true or false (true: flows only a time window allows are unexpected)');
    expect(() => parseSite('catalogs: [altiris-ds-5.5]\nstrictly: true\n', 's.yaml')).toThrow(/unknown key "strictly" \(allowed: .*, strict\)/);
  });
});

describe.skipIf(!BUILT)('flowaudit audit|report --strict', () => {
  it('without it, the window-only flows are listed apart and --fail-on unexpected exits 0', () => {
    const r = flowaudit(['audit', CAPTURE, '--site', SITE, '--format', 'json', '--fail-on', 'unexpected', '-q']);
    expect(r.status).toBe(0);
    const report = json(r);
    expect(report.summary).toMatchObject({ strict: false, clean: true, counts: { unexpected: 0, windowOnly: 2 } });
    expect(report.windowOnly.map((w: { rule: string }) => w.rule).sort()).toEqual(['altiris.file-transfer', 'altiris.file-transfer-from-server']);
  });

  it('audit --strict: they are unexpected, and --fail-on unexpected exits 1', () => {
    const r = flowaudit(['audit', CAPTURE, '--site', SITE, '--format', 'json', '--fail-on', 'unexpected', '--strict', '-q']);
    expect(r.status).toBe(1);
    const report = json(r);
    expect(report.summary).toMatchObject({ strict: true, clean: false, counts: { unexpected: 2, windowOnly: 0 } });
    expect(report.unexpected.map((u: { kind: string }) => u.kind)).toEqual(['window-only', 'window-only']);
  });

  it('strict: true in the site file does the same, for audit and for report', () => {
    const site = join(dir, 'strict-site.yaml');
    writeFileSync(site, `${readFileSync(SITE, 'utf8').replace('catalogs: [altiris-ds-5.5]', `catalogs: [altiris-ds-5.5]\nstrict: true`)}`);
    const db = join(dir, 'strict.db');
    const audit = flowaudit(['audit', CAPTURE, '--site', site, '--db', db, '--format', 'json', '-q']);
    expect(audit.status).toBe(0);
    expect(json(audit).summary).toMatchObject({ strict: true, counts: { unexpected: 2 } });
    const report = flowaudit(['report', '--db', db, '--site', site, '--format', 'json', '-q']);
    expect(json(report).summary).toMatchObject({ strict: true, counts: { unexpected: 2 } });
    // The same database reported with the product's own site file (no strict), then with --strict.
    const lenient = flowaudit(['report', '--db', db, '--site', SITE, '--format', 'json', '-q']);
    expect(json(lenient).summary).toMatchObject({ strict: false, counts: { unexpected: 0, windowOnly: 2 } });
    const strict = flowaudit(['report', '--db', db, '--site', SITE, '--format', 'json', '--strict', '-q']);
    expect(json(strict).summary).toMatchObject({ strict: true, counts: { unexpected: 2 } });
  });
});
