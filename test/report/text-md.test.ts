import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import { md, mdCode } from '../../src/report/md.js';
import { clean } from '../../src/report/common.js';
import { buildRichResult, HOSTILE } from '../helpers/report-sample.js';
import { withItems } from '../helpers/audit-items.js';
import { expectValidReport } from '../helpers/report-validate.js';
import { runAudit } from '../../src/audit/audit.js';
import { capture, catalog, site } from '../helpers/audit-fixtures.js';

const result = buildRichResult();

describe('text report', () => {
  const text = renderReport(result, 'text', { color: false });

  it('prints verdict, window and every section with its counts', () => {
    expect(text).toContain('Verdict: findings: 10,002 unexpected flows in 3 groups, 2 missing expected flows, 2 declared hosts nobody reached, 1 WAN-cache violation, 3 WAN crossings that must not be cached');
    expect(text).toContain('Window:  between 2024-03-01 09:00:00 and 09:45:00 UTC');
    expect(text).toContain('Unexpected traffic — 10,002 flows in 3 groups');
    expect(text).toContain('Missing expected flows — 2 destinations in 1 rule; 2 declared hosts nobody reached');
    expect(text).toContain('WAN cache — 1 violation, 3 must-not-cache, 1 cacheable');
    expect(text).toContain('Informational — 1 unused expectation (not counted as missing)');
  });

  it('lists the declared hosts nobody reached under the missing paths, one line per host', () => {
    const missing = text.split('Missing expected flows')[1]!.split('WAN cache')[0]!.split('\n');
    const head = missing.findIndex((l) => l.startsWith('  Declared hosts nobody reached'));
    expect(head).toBeGreaterThan(missing.findIndex((l) => l.startsWith('  M1 ')));
    expect(missing[head + 1]).toMatch(/^  Host\s+Role\s+Rules\s+Status$/);
    expect(missing[head + 2]).toMatch(/^  10\.0\.0\.12\s+Software update point\s+1\s+missing$/);
    expect(missing[head + 3]).toBe('      why: software update point 10.0.0.12: declared in the site file, reached by nobody on its one rule');
    expect(missing.some((l) => l === '      rules: sccm.client-to-sup.wsus')).toBe(true);
    expect(missing.some((l) => /^  10\.0\.0\.13\s+Software update point\s+1\s+missing$/.test(l))).toBe(true);
  });

  it('says a silent host the site made optional is informational, and prints no "none" above it', () => {
    const r = withItems(runAudit({ flows: [], captures: [capture()], catalog: catalog([]), site: site(), now: new Date(0) }));
    // No rules at all: nothing to reach anybody on, nothing silent.
    expect(r.silentHosts).toEqual([]);
    const dpOnly = withItems(runAudit({ flows: [], captures: [capture()], catalog: catalog(), site: site({ roles: { 'sccm.client': ['10.1.0.0/16'], 'sccm.dp': ['10.20.0.5'] } }), now: new Date(0) }));
    const out = renderReport(dpOnly, 'text', { color: false });
    expect(out).toContain('Missing expected flows — 0 destinations in 0 rules; 0 declared hosts nobody reached (1 more optional)');
    expect(out).toMatch(/\n  10\.20\.0\.5\s+Distribution point\s+2\s+optional \(informational\)\n/);
    expect(out.replace(/\n +/g, ' ')).toContain('; the site file makes every one of them optional');
    expect(out.split('Missing expected flows')[1]!.split('WAN cache')[0]).not.toContain('  none');
    expect(dpOnly.summary.clean).toBe(true);
  });

  it('groups the 10,000-port scan into one line with count and port range', () => {
    const scanLines = text.split('\n').filter((l) => l.includes('10.20.9.9') || /^\s+U\d+\s/.test(l));
    expect(text.split('\n').filter((l) => /^\s+U\d+\s/.test(l))).toHaveLength(3);
    expect(text).toMatch(/U1\s+port scan\s+10,000\s+tcp, 10,000 ports\s+site:branch-leeds \(no role\) → Management point\s+1 → 1/);
    expect(text).toContain('ports: 1-10000');
    expect(scanLines.length).toBeLessThan(6);
    // The report without its last section, the rules with no traffic (a line per rule, never per flow).
    expect(text.split('Rules with no traffic')[0]!.split('\n').length).toBeLessThan(90);
  });

  it('aligns table columns', () => {
    const header = text.split('\n').find((l) => l.startsWith('  Group  Kind'))!;
    const row = text.split('\n').find((l) => l.startsWith('  U2'))!;
    expect(row.indexOf('no rule')).toBe(header.indexOf('Kind'));
    expect(row.indexOf('tcp/4444')).toBe(header.indexOf('Service'));
  });

  it('lists the exclusion a WAN-optimizer admin needs', () => {
    expect(text).toMatch(/10\.20\.0\.5\s+tcp\s+445\s+branch-leeds, hq\s+sccm\.client-to-dp\.smb\s+4/);
    expect(text).toContain('evidence: TCP option 76 (Riverbed auto-discovery probe) on SYN');
  });

  it('has no escape codes without colour and uses them with colour', () => {
    expect(text).not.toContain('\u001b[');
    const coloured = renderReport(result, 'text', { color: true });
    expect(coloured).toContain('\u001b[31m');
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toContain('U1     port scan');
  });

  it('neutralises terminal control characters coming from packets', () => {
    expect(clean('evil\u001b[2J\u0007name\nnext')).toBe('evil\\x1b[2J\\x07name next');
    const r = buildRichResult({ scanPorts: 1 });
    r.unexpected[0]!.capture = 'x\u001b]0;pwned\u0007';
    r.groups.unexpected[0]!.reason = 'bad \u001b[31m reason';
    expectValidReport(r);
    const t = renderReport(r, 'text', { color: false });
    expect(t).not.toContain('\u001b');
    expect(t).toContain('bad \\x1b[31m reason');
  });
});

describe('markdown report', () => {
  const out = renderReport(result, 'md');

  it('has headings with counts and one table row per group', () => {
    expect(out).toContain('# flowaudit report');
    expect(out).toContain('## Unexpected traffic — 10,002 flows in 3 groups');
    expect(out).toContain('## Missing expected flows — 2 destinations in 1 rule; 2 declared hosts nobody reached');
    expect(out).toContain('### Declared hosts nobody reached');
    expect(out).toMatch(/\n\| 10\.0\.0\.12 \| Software update point \| `sccm\.client-to-sup\.wsus` \| missing \| software update point 10\.0\.0\.12: declared in the site file, /);
    const unexpectedRows = out.split('\n').filter((l) => /^\| U\d+ \|/.test(l));
    expect(unexpectedRows).toHaveLength(3);
    expect(unexpectedRows[0]).toContain('| U1 | port scan | 10,000 |');
    expect(out.split('\n').length).toBeLessThan(80);
  });

  it('escapes markup and table separators in data', () => {
    expect(md('a|b <img src=x onerror=alert(1)> *x* [l](u)')).toBe('a\\|b &lt;img src=x onerror=alert(1)&gt; \\*x\\* \\[l\\](u)');
    expect(mdCode('a`b|c')).toBe("`a'b\\|c`");
    expect(out).not.toContain(HOSTILE);
    expect(out).toContain('leeds-&lt;script&gt;alert(1)&lt;/script&gt;.pcap');
  });
});

describe('group cut-off in the human formats', () => {
  it('prints at most maxGroups groups per section and says how many more there are', async () => {
    const { CLIENT, TO_MP, baselineFlows, flow } = await import('../helpers/audit-fixtures.js');
    const flows = baselineFlows();
    for (let p = 5000; p < 5005; p++) for (let i = 0; i < 4; i++) flows.push(flow({ dst: '10.0.0.10', dport: p }, { ...CLIENT, ...TO_MP }));
    const r = withItems(runAudit({ flows, captures: [capture()], catalog: catalog(), site: site(), now: new Date(0) }));
    expectValidReport(r);
    expect(r.groups.unexpected).toHaveLength(5);
    const text = renderReport(r, 'text', { maxGroups: 2 });
    expect(text.split('\n').filter((l) => /^\s+U\d+\s/.test(l))).toHaveLength(2);
    expect(text).toContain('… 3 more smaller groups not shown; the JSON and CSV reports list every flow');
    const mdOut = renderReport(r, 'md', { maxGroups: 2 });
    expect(mdOut.split('\n').filter((l) => /^\| U\d+ \|/.test(l))).toHaveLength(2);
    expect(mdOut).toContain('3 more smaller groups not shown');
    // HTML has room for all of them: the rest one compact line each, in a closed <details>.
    const html = renderReport(r, 'html', { maxGroups: 2 });
    const unexpected = /<section id="unexpected">([\s\S]*?)<\/section>/.exec(html)![1]!;
    const [full, more] = unexpected.split('<details class="more">');
    expect(full!.match(/<tr><td class="mono" data-v="U\d+">/g)).toHaveLength(2);
    expect(more).toContain('<summary>… 3 more smaller groups: open for all of them, one line each (the JSON and CSV reports list every flow)</summary>');
    expect(more!.match(/<tr><td class="mono" data-v="U\d+">/g)!.map((m) => /U\d+/.exec(m)![0])).toEqual(['U3', 'U4', 'U5']);
    expect(JSON.parse(renderReport(r, 'json')).unexpected).toHaveLength(20);
  });
});
