/**
 * Decode coverage: every report states how many captured packets were decoded and why the
 * others were not, and a capture that decoded nothing or little makes its missing findings
 * carry a caveat (like lost packets do), instead of claiming flows are missing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ethernet, ipPacket, pcapFile, tcpFrame, tcpSegment, udpFrame } from '../../fixtures/lib/packet-builder.js';
import { captureCoverage, coverageNote, coverageText } from '../../src/audit/coverage.js';
import { renderReport } from '../../src/report/index.js';
import { TempDir } from '../helpers/capture-files.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { validateReport } from '../helpers/report-validate.js';
import { runPipeline } from '../helpers/run-pipeline.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const SITE = join(PROJECT_ROOT, 'fixtures/example/site.yaml');
const EXAMPLE = join(PROJECT_ROOT, 'fixtures/example/estate.pcap');

/** The example capture relabelled with a link type flowaudit does not decode. */
function unsupportedLinkType(): string {
  const bytes = Buffer.from(readFileSync(EXAMPLE));
  expect(bytes.readUInt32LE(0)).toBe(0xa1b2c3d4);
  bytes.writeUInt32LE(9999, 20);
  return tmp.file('linktype-9999.pcap', bytes);
}

describe('decode coverage of a capture', () => {
  it('counts decoded, non-IP and not decoded packets by reason; inner packets of tunnels are not captured packets', () => {
    expect(captureCoverage({ packets: 10, linkTypes: [1], decodeErrors: { 'truncated-ip': 2, 'non-ip': 3, 'tunnelled-inner': 4, 'tunnelled-inner:truncated-tcp': 1 } }))
      .toEqual({ packets: 10, decoded: 5, nonIp: 3, notDecoded: 2, reasons: { 'truncated-ip': 2 }, unsupportedLinkTypes: [] });
    const none = captureCoverage({ packets: 10, linkTypes: [9999], decodeErrors: { 'unsupported-linktype': 10 } });
    expect(coverageText(none)).toBe('0 of 10 packets decoded; not decoded: unsupported-linktype 10; link type 9999 not supported');
    expect(coverageNote(none)).toBe('nothing was decoded (0 of 10 packets decoded; not decoded: unsupported-linktype 10; link type 9999 not supported), so the capture cannot show these flows');
  });

  it('a caveat when nothing, or fewer than half of the packets, could be decoded; none otherwise', () => {
    const cov = (decodeErrors: Record<string, number>, packets = 100) => coverageNote(captureCoverage({ packets, linkTypes: [1], decodeErrors }));
    expect(cov({})).toBeNull();
    expect(cov({ 'non-ip': 90 })).toBeNull(); // ARP and friends are not a decoding problem
    expect(cov({ 'truncated-ip': 50 })).toBeNull();
    expect(cov({ 'truncated-ip': 51 })).toBe('only 49 of 100 packets decoded; not decoded: truncated-ip 51, so the undecoded packets may hold these flows');
    expect(cov({ 'non-ip': 100 })).toMatch(/^nothing was decoded \(0 of 100 packets decoded; 100 not IP/);
    expect(cov({}, 0)).toBe('the captures hold no packets, so the missing flows may simply not have been captured');
  });
});

describe('decode counts of a capture with tunnels', () => {
  it('an inner packet that fails to decode is counted apart: its outer packet was decoded', async () => {
    const inner = ethernet(ipPacket('10.9.9.9', '10.1.1.1', 6, tcpSegment('10.9.9.9', 5000, '10.1.1.1', 135, { flags: 'S' })), 0x0800);
    const vxlan = (innerBytes: number[]) => udpFrame('10.0.0.3', 4789, '10.0.0.4', 4789, [0x08, 0, 0, 0, 0, 0, 1, 0, ...innerBytes]);
    const file = tmp.file('vxlan.pcap', pcapFile([vxlan(inner), vxlan(inner.slice(0, 20))].map((data, i) => ({ ts: 1709283600 + i, data }))));
    const { result, ingest } = await runPipeline(SITE, [file]);
    expect(ingest.captures[0]!.decodeErrors).toEqual({ 'tunnelled-inner': 2, 'tunnelled-inner:truncated-ip': 1 });
    expect(result.summary.decode).toMatchObject({ packets: 2, decoded: 2, notDecoded: 0 });
  });
});

describe('reports on a capture that decoded nothing', async () => {
  const { result, ingest } = await runPipeline(SITE, [unsupportedLinkType()]);

  it('is read whole (complete, 0 flows), and the summary says nothing was decoded, and why', () => {
    expect(ingest.captures[0]).toMatchObject({ status: 'complete', flows: 0, decodeErrors: { 'unsupported-linktype': 361 } });
    const s = result.summary;
    expect(s.decode).toEqual({ packets: 361, decoded: 0, nonIp: 0, notDecoded: 361, reasons: { 'unsupported-linktype': 361 }, unsupportedLinkTypes: [9999] });
    expect(s.captures[0]!.decode).toEqual(s.decode);
    expect(s.decodeNote).toMatch(/^nothing was decoded \(0 of 361 packets decoded; not decoded: unsupported-linktype 361; link type 9999 not supported\)/);
    expect(s.verdict).toMatch(/^findings: \d+ missing expected flows, \d+ declared hosts nobody reached; only 0 of 361 packets could be decoded$/);
    // Declared hosts nobody reached carry the same caveat: nothing decoded, nothing could reach them.
    expect(result.silentHosts.length).toBeGreaterThan(0);
    for (const h of result.silentHosts) {
      expect(h.decodeMayExplain).toBe(true);
      expect(h.reason).toContain(s.decodeNote!);
    }
  });

  it('each missing finding carries the caveat, as the loss caveat', () => {
    expect(result.missing.length).toBeGreaterThan(1);
    for (const m of result.missing) {
      expect(m.decodeMayExplain).toBe(true);
      expect(m.lossMayExplain).toBe(false);
      expect(m.reason).toMatch(/; nothing was decoded \(0 of 361 packets decoded; .*\), so the capture cannot show these flows$/);
    }
  });

  it('every format states the coverage', () => {
    const json = JSON.parse(renderReport(result, 'json'));
    expect(validateReport(json), JSON.stringify(validateReport.errors?.slice(0, 3))).toBe(true);
    expect(json.summary.decode.decoded).toBe(0);
    const text = renderReport(result, 'text');
    expect(text).toContain('Packets: 0 of 361 packets decoded; not decoded: unsupported-linktype 361; link type 9999 not supported');
    expect(text).toMatch(/^Decode: +nothing was decoded/m);
    expect(text).toMatch(/decode: 0 of 361 packets decoded/);
    const md = renderReport(result, 'md');
    expect(md).toContain('| Packets | 0 of 361 packets decoded; not decoded: unsupported-linktype 361; link type 9999 not supported |');
    expect(md).toContain('| Decode coverage | ⚠️ nothing was decoded');
    const html = renderReport(result, 'html');
    expect(html).toContain('<div class="note" id="decode-note"><strong>Decode coverage:</strong> nothing was decoded');
    expect(html).toContain('<th scope="row">Packets decoded</th><td>0 of 361</td>');
    const csv = renderReport(result, 'csv').split('\r\n');
    expect(csv.filter((l) => l.startsWith('decode,'))).toEqual([
      expect.stringMatching(/^decode,,decoded,.*,0 of 361 packets decoded,.*,0,,.*linktype-9999\.pcap,,$/),
      expect.stringMatching(/^decode,,unsupported-linktype,.*,not decoded,.*,361,,.*linktype-9999\.pcap,,$/),
    ]);
  });
});

describe('reports on a capture that decoded little', async () => {
  const good = tcpFrame('10.0.1.15', 50000, '10.0.0.21', 80, { flags: 'S' });
  const cut = ethernet([0x45, 0, 0, 40], 0x0800).slice(0, 18); // an IPv4 header cut after 4 bytes
  const file = tmp.file('little.pcap', pcapFile([good, ...Array.from({ length: 9 }, () => cut)].map((data, i) => ({ ts: 1709283600 + i, data }))));
  const { result } = await runPipeline(SITE, [file]);

  it('says how little, and the missing findings carry the caveat', () => {
    expect(result.summary.decode).toMatchObject({ packets: 10, decoded: 1, notDecoded: 9, reasons: { 'truncated-ip': 9 } });
    expect(result.summary.decodeNote).toBe('only 1 of 10 packets decoded; not decoded: truncated-ip 9, so the undecoded packets may hold these flows');
    expect(result.missing.length).toBeGreaterThan(0);
    expect(result.missing.every((m) => m.decodeMayExplain && m.reason.endsWith('so the undecoded packets may hold these flows'))).toBe(true);
  });
});

describe('reports on a capture that decoded well', async () => {
  const { result } = await runPipeline(SITE, [EXAMPLE]);

  it('state the coverage without a caveat', () => {
    expect(result.summary.decode).toEqual({ packets: 361, decoded: 361, nonIp: 0, notDecoded: 0, reasons: {}, unsupportedLinkTypes: [] });
    expect(result.summary.decodeNote).toBeNull();
    expect(result.summary.verdict).not.toContain('decoded');
    expect(result.missing.map((m) => m.decodeMayExplain)).toEqual([false]);
    expect(renderReport(result, 'text')).toContain('Packets: 361 of 361 packets decoded\n');
  });
});
