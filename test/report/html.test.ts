import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { renderReport } from '../../src/report/index.js';
import { esc } from '../../src/report/html.js';
import { buildRichResult, HOSTILE } from '../helpers/report-sample.js';
import { expectValidReport } from '../helpers/report-validate.js';

const result = buildRichResult();
const html = renderReport(result, 'html');

describe('html report', () => {
  it('is one self-contained document: no external src/href, no fetches', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/\b(src|href|action|poster|data)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/<(link|iframe|object|embed|img)\b/i);
    // Every href is an in-page anchor.
    for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^#[a-z]+$/);
  });

  it('escapes a hostile string from a flow field', () => {
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('leeds-&lt;script&gt;alert(1)&lt;/script&gt;.pcap');
    expect(html.match(/<script>/g)).toHaveLength(1); // only our own sorting script
    expect(esc(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;');
  });

  it('pins the one inline script with a Content-Security-Policy hash and forbids fetches', () => {
    const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)![1]!;
    expect(csp).toContain("default-src 'none'");
    const script = html.match(/<script>([\s\S]*?)<\/script>/)![1]!;
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
  });

  it('has the summary, three finding tables, matrix, timeline, rules and a print stylesheet', () => {
    for (const id of ['summary', 'unexpected', 'missing', 'wan', 'matrix', 'timeline', 'rules']) expect(html).toContain(`<section id="${id}">`);
    expect(html.match(/<table class="sortable findings">/g)).toHaveLength(4); // + informational
    expect(html).toContain('@media print');
    expect(html).toContain('<svg class="chart"');
    expect(html).toContain('Table 1: Client -&gt; Management point, HTTP 80 [5]');
  });

  it('lists the declared hosts nobody reached in the missing section, after its paths', () => {
    const missing = html.split('<section id="missing">')[1]!.split('</section>')[0]!;
    expect(missing).toContain('2 declared hosts nobody reached</span></h2>');
    const silent = missing.split('<h3>Declared hosts nobody reached</h3>')[1]!;
    expect(silent.match(/<table class="sortable silent-hosts">/g)).toHaveLength(1);
    expect(silent.match(/<tr>/g)).toHaveLength(1 + 2);
    expect(silent).toContain('<td class="mono" data-v="10.0.0.12">10.0.0.12</td>');
    expect(silent).toContain('<span class="badge warn">missing</span>');
    expect(silent).toContain('leeds-&lt;script&gt;alert(1)&lt;/script&gt;.pcap');
  });

  it('shows the 10,000-port scan as one row while JSON keeps 10,000 items', () => {
    const unexpectedTable = html.split('<section id="unexpected">')[1]!.split('</section>')[0]!;
    expect(unexpectedTable.match(/<tr>/g)).toHaveLength(1 + 3); // header + 3 groups
    expect(unexpectedTable).toContain('tcp, 10,000 ports');
    const parsed = expectValidReport(result);
    expect(parsed.unexpected.filter((u: { group: string }) => u.group === 'U1')).toHaveLength(10000);
  });

  it('colours the role matrix by expected / unexpected', () => {
    const matrix = html.split('<section id="matrix">')[1]!.split('</section>')[0]!;
    expect(matrix).toMatch(/<td class="m" title="Client → Management point: 301 expected, 1 unexpected, 1 ignored">301 ✓ · 1 ✗ · 1 ign\.<\/td>/);
    expect(matrix).toMatch(/<td class="u" title="site:branch-leeds \(no role\) → Management point: 0 expected, 10000 unexpected, 0 ignored">10,000 ✗<\/td>/);
    expect(matrix).toMatch(/<td class="e" title="Client → Distribution point: 5 expected/);
  });
});
