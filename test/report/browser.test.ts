/**
 * Renders the HTML report in headless Chromium: checks the DOM after the inline script ran
 * (headings, counts, a finding's text), that click-to-sort really sorts, and takes a
 * screenshot. Everything is written to a temporary folder that is removed afterwards; set
 * FLOWAUDIT_KEEP_HTML=DIR to keep the pages and the screenshot in DIR for a human to look at.
 * Skipped, with a message, only when Chromium is not installed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderReport } from '../../src/report/index.js';
import { buildRichResult } from '../helpers/report-sample.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
if (!CHROMIUM) console.warn('browser test skipped: chromium is not installed (apt-get install -y chromium)');

const KEEP_DIR = process.env.FLOWAUDIT_KEEP_HTML;

function chromium(args: string[]): string {
  const profile = mkdtempSync(join(tmpdir(), 'flowaudit-chromium-'));
  const res = spawnSync(CHROMIUM!, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--hide-scrollbars', `--user-data-dir=${profile}`, ...args,
  ], { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 });
  rmSync(profile, { recursive: true, force: true });
  if (res.error) throw res.error;
  return res.stdout;
}

/** Text content of a DOM dump with tags removed and entities decoded (enough for assertions). */
function textOf(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe.skipIf(!CHROMIUM)('html report in headless chromium', () => {
  const OUT_DIR = KEEP_DIR ?? mkdtempSync(join(tmpdir(), 'flowaudit-html-'));
  mkdirSync(OUT_DIR, { recursive: true });
  afterAll(() => {
    if (KEEP_DIR) return;
    rmSync(OUT_DIR, { recursive: true, force: true });
    expect(existsSync(OUT_DIR), `${OUT_DIR} is left behind`).toBe(false);
  });
  const html = renderReport(buildRichResult(), 'html');
  const file = join(OUT_DIR, 'report.html');
  writeFileSync(file, html);

  it('shows headings, counts and findings after its script ran', () => {
    const dom = chromium(['--dump-dom', `file://${file}`]);
    expect(dom).toContain('data-ready="1"'); // the inline script ran under the page's CSP
    const text = textOf(dom);
    expect(text).toContain('Unexpected traffic 10,002 flows in 3 groups');
    expect(text).toContain('Missing expected flows 2 destinations in 1 rule');
    expect(text).toContain('WAN cache 1 violation, 3 must not cache, 1 cacheable');
    expect(text).toContain('Observed traffic between roles');
    expect(text).toContain('Catalog rules checked 7 rules');
    expect(text).toContain('no client reached 2 software update point destinations on TCP 8530-8531 between 2024-03-01 09:00:00 and 09:45:00 UTC');
    expect(text).toContain('10,000 TCP flows to 10,000 distinct ports from site:branch-leeds (no role) to management point');
    // The hostile capture name is shown as text, not run: no element but ours carries it.
    expect(text).toContain('leeds-<script>alert(1)</script>.pcap');
    expect(dom.match(/<script>/g)).toHaveLength(1);
    expect(dom).toMatch(/<th class="num sortable" scope="col" tabindex="0">Flows<\/th>/);
  });

  it('sorts a findings table when a header is clicked', () => {
    // Test-only copy: drop the CSP and append a driver that clicks "Flows" (ascending).
    const driver = `<script>document.querySelector('#unexpected thead th:nth-child(3)').click();
document.documentElement.setAttribute('data-sorted', Array.from(document.querySelectorAll('#unexpected tbody tr td:first-child')).map(function(td){return td.textContent}).join(','));</script>`;
    const sortFile = join(OUT_DIR, 'report-sort.html');
    writeFileSync(sortFile, html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '').replace('</body>', `${driver}</body>`));
    const dom = chromium(['--dump-dom', `file://${sortFile}`]);
    expect(dom).toMatch(/data-sorted="U[23],U[23],U1"/);
    expect(dom).toContain('aria-sort="ascending"');
  });

  it('takes a non-trivial screenshot', () => {
    const png = join(OUT_DIR, 'report.png');
    chromium([`--screenshot=${png}`, '--window-size=1280,2000', `file://${file}`]);
    expect(existsSync(png)).toBe(true);
    const bytes = readFileSync(png);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBe(1280); // IHDR width
    expect(bytes.readUInt32BE(20)).toBe(2000); // IHDR height
    expect(statSync(png).size).toBeGreaterThan(50_000); // a blank page compresses to a few KB
  });
});
