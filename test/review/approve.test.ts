/**
 * Writing approvals into a site file (review/approve.ts): the entries are added, and every
 * byte outside the added block stays as it was — comments, blank lines, alignment, quoting —
 * whatever shape the file's allow: list has.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSite } from '../../src/catalog/site-file.js';
import { addAllowEntries, type AllowSpec } from '../../src/review/approve.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';

const SPEC: AllowSpec = {
  from: 'sccm.client', to: 'sccm.sql-server', proto: 'tcp', port: 1433,
  reason: 'inventory script: reads the site database', by: 'alice', date: '2026-03-01', rule: 'sccm.mp-sql',
};
const SPEC2: AllowSpec = { from: ['10.0.1.15', '10.0.1.16'], to: '10.0.0.50', proto: 'tcp', port: '23,2323', reason: 'legacy telnet', by: 'bob', date: '2026-03-02' };

/** `after` is `before` with one block inserted: returns the block (fails when anything else changed). */
function insertedBlock(before: string, after: string): string {
  let i = 0;
  while (i < before.length && before[i] === after[i]) i++;
  const tail = before.slice(i);
  expect(after.endsWith(tail), 'the text after the added block is unchanged').toBe(true);
  expect(after.slice(0, i)).toBe(before.slice(0, i));
  return after.slice(i, after.length - tail.length);
}

const HEAD = `catalogs: [sccm-2007]   # aligned comment
roles:
  sccm.client:     [10.0.1.0/24]      # desktops
  sccm.sql-server: [ 10.0.0.30 ]
  altiris.client: [10.0.1.0/24]
`;

describe('addAllowEntries', () => {
  it('appends an allow: list to the bundled example, leaving every other byte as it was', () => {
    const before = readFileSync(join(PROJECT_ROOT, 'fixtures/example/site.yaml'), 'utf8');
    const edit = addAllowEntries(before, [SPEC, SPEC2], 'site.yaml');
    const block = insertedBlock(before, edit.text);
    expect(block).toBe(edit.added);
    expect(block.startsWith('allow:\n  - from: sccm.client\n')).toBe(true);
    expect(edit.line).toBe(before.split('\n').length);
    const site = parseSite(edit.text, 'site.yaml');
    expect(site.allow!.map((a) => [a.reason, a.by, a.date, a.rule, a.portText, a.fromText])).toEqual([
      ['inventory script: reads the site database', 'alice', '2026-03-01', 'sccm.mp-sql', '1433', ['sccm.client']],
      ['legacy telnet', 'bob', '2026-03-02', null, '23,2323', ['10.0.1.15', '10.0.1.16']],
    ]);
    expect(site.allow![0]!.line).toBe(edit.line + 1);
  });

  it('appends to an existing block list at its indentation, before the comments and keys that follow it', () => {
    const before = HEAD + `allow:
    - from: 10.0.1.7   # the old one
      reason: "kept"

# --- require ----
require: [sccm.client-to-mp]
`;
    const edit = addAllowEntries(before, [SPEC], 's.yaml');
    const block = insertedBlock(before, edit.text);
    expect(block).toBe('    - from: sccm.client\n      to: sccm.sql-server\n      proto: tcp\n      port: 1433\n' +
      '      reason: "inventory script: reads the site database"\n      by: alice\n      date: 2026-03-01\n      rule: sccm.mp-sql\n');
    expect(edit.line).toBe(9);
    expect(parseSite(edit.text, 's.yaml').allow!.map((a) => a.reason)).toEqual(['kept', 'inventory script: reads the site database']);
  });

  it('appends to a list that ends the file without a final newline', () => {
    const before = HEAD + 'allow:\n  - { from: 10.0.1.7, reason: kept }';
    const edit = addAllowEntries(before, [SPEC2], 's.yaml');
    insertedBlock(before, edit.text);
    expect(parseSite(edit.text, 's.yaml').allow).toHaveLength(2);
  });

  it('joins a flow-style list in flow style', () => {
    const before = HEAD + 'allow: [ { from: 10.0.1.7, reason: kept } ]   # one\nstrict: false\n';
    const edit = addAllowEntries(before, [SPEC2], 's.yaml');
    const block = insertedBlock(before, edit.text);
    expect(block.startsWith(', { from: [ 10.0.1.15, 10.0.1.16 ]')).toBe(true);
    expect(parseSite(edit.text, 's.yaml').allow!.map((a) => a.reason)).toEqual(['kept', 'legacy telnet']);
  });

  it('fills an empty allow: (nothing, or []) under its key, keeping the comment on the key\'s line', () => {
    const cases = [['allow:   # approvals go here', 'allow:   # approvals go here'], ['allow: []   # approvals go here', 'allow:    # approvals go here'], ['allow: []', 'allow:']];
    for (const [empty, key] of cases) {
      const before = HEAD + empty + '\nstrict: false\n';
      const edit = addAllowEntries(before, [SPEC], 's.yaml');
      expect(edit.text).toBe(HEAD + key + '\n' + edit.added.replace(/\n$/, '') + '\nstrict: false\n');
      expect(parseSite(edit.text, 's.yaml').allow).toHaveLength(1);
      expect(edit.line).toBe(7);
    }
  });

  it('refuses a file whose allow: is not a list', () => {
    expect(() => addAllowEntries(HEAD + 'allow: 3\n', [SPEC], 's.yaml')).toThrow('s.yaml: allow: is not a list; fix it before approving flows');
  });
});
