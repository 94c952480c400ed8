/**
 * `flowaudit diff` and `--baseline` through the compiled CLI (bin/flowaudit -> dist/): JSON
 * reports and databases as sides, `--fail-on new` as a gate, the JSON diff against its schema,
 * one-line errors for inputs that are not reports, and the HTML report's "Changes since"
 * section. Skipped with a message when dist/ is missing (npm test builds it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/corpus.js';

const BUILT = existsSync(join(PROJECT_ROOT, 'dist/src/cli/main.js'));
if (!BUILT) console.warn('dist/src/cli/main.js not found: CLI tests skipped (run npm run build)');

const dir = mkdtempSync(join(tmpdir(), 'fa-diff-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SCCM = join(PROJECT_ROOT, 'fixtures/products/sccm-2007');
const validateDiff = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(join(PROJECT_ROOT, 'schema/diff.schema.json'), 'utf8')));

function flowaudit(args: string[]) {
  return spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin/flowaudit'), ...args], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000,
  });
}

describe.skipIf(!BUILT)('flowaudit diff', () => {
  const clean = join(dir, 'clean.json');
  const violations = join(dir, 'violations.json');
  beforeAll(() => {
    for (const [pcap, out, db] of [['clean.pcap', clean, 'clean.db'], ['violations.pcap', violations, 'violations.db']] as const) {
      const r = flowaudit(['audit', join(SCCM, pcap), '--site', join(SCCM, 'site.yaml'), '--db', join(dir, db), '--format', 'json', '-o', out, '-q']);
      expect(r.status, r.stderr).toBe(0);
    }
  }, 60_000);

  it('prints the changes and exits 0 without --fail-on', () => {
    const r = flowaudit(['diff', clean, violations]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Changes: 4 new, 0 resolved, 0 persisting findings; missing services: 4 new, 0 resolved, 0 persisting;');
  });

  it('--fail-on new exits 1 when there is something new and 0 when not; --fail-on resolved the other way round', () => {
    expect(flowaudit(['diff', clean, violations, '--fail-on', 'new']).status).toBe(1);
    expect(flowaudit(['diff', violations, clean, '--fail-on', 'new']).status).toBe(0);
    expect(flowaudit(['diff', violations, violations, '--fail-on', 'new,resolved']).status).toBe(0);
    expect(flowaudit(['diff', violations, clean, '--fail-on', 'resolved']).status).toBe(1);
    const bad = flowaudit(['diff', clean, violations, '--fail-on', 'worse']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("flowaudit: --fail-on: unknown kind 'worse' (use new, resolved)\n");
  });

  it('writes JSON that validates against schema/diff.schema.json', () => {
    const r = flowaudit(['diff', clean, violations, '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(validateDiff(d), JSON.stringify(validateDiff.errors?.slice(0, 3))).toBe(true);
    expect(d.counts).toMatchObject({ new: 4, resolved: 0, persisting: 0, missingNew: 4 });
    expect(d.old.label).toBe(clean);
  });

  it('reads databases as FILE#IDS and as a whole, audited with the site file their flows were classified with', () => {
    const r = flowaudit(['diff', `${join(dir, 'clean.db')}#1`, join(dir, 'violations.db'), '--format', 'json', '--fail-on', 'new']);
    expect(r.status, r.stderr).toBe(1);
    const d = JSON.parse(r.stdout);
    expect(validateDiff(d)).toBe(true);
    expect(d.counts).toMatchObject({ new: 4, resolved: 0, persisting: 0, missingNew: 4 });
    expect([d.old.label, d.new.label]).toEqual([`${join(dir, 'clean.db')}#1`, `${join(dir, 'violations.db')}#1`]);
    const none = flowaudit(['diff', `${join(dir, 'clean.db')}#7`, violations]);
    expect(none.status).toBe(2);
    expect(none.stderr).toBe(`flowaudit: ${join(dir, 'clean.db')}: no capture with id 7\n`);
  });

  it('says in one line which file is not a report, and where', () => {
    const cases: [string, string, RegExp][] = [
      ['notjson.json', 'catalogs: [sccm-2007]\n', /^flowaudit: .*notjson\.json: not a flowaudit JSON report: .*JSON.*\n$/],
      ['array.json', '[1, 2]', /^flowaudit: .*array\.json: not a flowaudit JSON report: \$ should be an object, is a list\n$/],
      ['nogroups.json', null!, /^flowaudit: .*nogroups\.json: not a flowaudit JSON report: \$\.groups\.unexpected\[0\]\.srcLabel should be a string, is 42\n$/],
      ['rules.json', null!, /^flowaudit: .*rules\.json: not a flowaudit JSON report: \$\.rules\[2\]\.flows should be a whole number, is "many"\n$/],
    ];
    const report = JSON.parse(readFileSync(violations, 'utf8'));
    report.groups.unexpected[0].srcLabel = 42;
    cases[2]![1] = JSON.stringify(report);
    const report2 = JSON.parse(readFileSync(violations, 'utf8'));
    report2.rules[2].flows = 'many';
    cases[3]![1] = JSON.stringify(report2);
    for (const [name, text, message] of cases) {
      writeFileSync(join(dir, name), text);
      const r = flowaudit(['diff', clean, join(dir, name)]);
      expect(r.status, name).toBe(2);
      expect(r.stderr, name).toMatch(message);
    }
    const missing = flowaudit(['diff', join(dir, 'nothing.json'), clean]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`flowaudit: ${join(dir, 'nothing.json')}: cannot read the report (ENOENT)\n`);
  });

  it('audit --baseline adds the changes to the HTML report; other formats refuse it', () => {
    const html = join(dir, 'with-baseline.html');
    const r = flowaudit(['audit', join(SCCM, 'violations.pcap'), '--site', join(SCCM, 'site.yaml'), '--format', 'html', '-o', html, '--baseline', clean, '-q']);
    expect(r.status, r.stderr).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<p id="changes-counts">4 new, 0 resolved, 0 persisting findings; missing services: 4 new, 0 resolved, 0 persisting;');
    expect(page).toMatch(/<h3 id="changes-missing-new">Newly missing services <span class="badge bad">4<\/span><\/h3>/);
    const rep = flowaudit(['report', '--db', join(dir, 'violations.db'), '--format', 'html', '--baseline', violations, '-q']);
    expect(rep.status, rep.stderr).toBe(0);
    expect(rep.stdout).toContain('<p id="changes-counts">0 new, 0 resolved, 4 persisting findings; missing services: 0 new, 0 resolved, 4 persisting;');
    const text = flowaudit(['report', '--db', join(dir, 'violations.db'), '--baseline', violations]);
    expect(text.status).toBe(2);
    expect(text.stderr).toBe('flowaudit: --baseline: only --format html shows the changes (got --format text); for the others use flowaudit diff\n');
    const bad = flowaudit(['report', '--db', join(dir, 'violations.db'), '--format', 'html', '--baseline', join(SCCM, 'site.yaml')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^flowaudit: .*site\.yaml: not a flowaudit JSON report: /);
  });
});
