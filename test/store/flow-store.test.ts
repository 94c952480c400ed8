/**
 * FlowStore behaviour, the same for every store (test/helpers/stores.ts): captures and flows
 * round-trip, flow id ranges, opening captures, filters, duplicates, dictionary-encoded
 * classifications. SQLite's own (schema migrations of old files, WAL) stay in sqlite-store.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ethernet, icmpEcho, ipPacket } from '../../fixtures/lib/packet-builder.js';
import { renderEvidence, type FlowRecord } from '../../src/flow/flow-record.js';
import type { CaptureEnd, FlowFilter, FlowStore } from '../../src/store/types.js';
import { openFlowStore } from '../../src/store/open-store.js';
import { TempDir, flowsOf } from '../helpers/capture-files.js';
import { Script, TcpScript, udpFrameAt } from '../helpers/flow-script.js';
import { STORE_KINDS, storeTitle } from '../helpers/stores.js';
import type { Classification } from '../../src/flow/flow-record.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

async function sampleFlows(): Promise<FlowRecord[]> {
  const s = new TcpScript('192.168.1.10', 51000, '10.0.0.80', 445, [30, 40])
    .handshake([2, 4, 5, 0xb4, 1, 3, 3, 8, 4, 2, 76, 4, 1, 2, 1, 1], [2, 4, 5, 0xb4, 1, 1, 4, 2]).c('PA', 'x'.repeat(10)).s('PA', 'y'.repeat(20)).c('FA').s('FA').c('A');
  const u = new Script().at(s.t + 1).frame(udpFrameAt('192.168.1.10', 40000, '10.0.0.53', 53, 'q')).frame(udpFrameAt('10.0.0.53', 53, '192.168.1.10', 40000, 'a'));
  const i6 = new Script().at(u.t + 1).frame(ethernet(ipPacket('2001:db8::1', '2001:db8::2', 58, icmpEcho(128, 3, 1)), 0x86dd));
  const all: FlowRecord[] = [];
  for (const sc of [s, u, i6]) all.push(...(await flowsOf(tmp, sc.pcap())));
  return all.map((f, k) => ({ ...f, id: 100 + k }));
}

function end(over: Partial<CaptureEnd> = {}): CaptureEnd {
  return {
    format: 'pcap', linkTypes: [1], firstTs: 1700000000, lastTs: 1700000002.5, packets: 12, bytes: 1234, drops: null, ifDrops: 3,
    sha256: 'ab'.repeat(32), status: 'complete', error: null, decodeErrors: { 'truncated-tcp': 2, 'non-ip': 1 }, ...over,
  };
}

function comparable(f: FlowRecord): Record<string, unknown> {
  const { captureId: _c, ...rest } = f as FlowRecord & { capture?: string };
  delete (rest as { capture?: string }).capture;
  return rest;
}

for (const kind of STORE_KINDS) {
describe.skipIf(kind.skip !== '')(storeTitle(kind, 'FlowStore'), () => {
  const count = async (s: FlowStore, table: string): Promise<number> => (await kind.column(s.location, `SELECT COUNT(*) FROM ${table}`))[0] as number;

  describe('captures and flows', () => {
    it('flows written in batches and at finish read back equal after reopening', async () => {
      const path = await kind.newLocation(tmp, 'roundtrip.db');
      const flows = await sampleFlows();
      expect(flows.length).toBe(3);
      // Give one flow a classification and an expectation so those columns round-trip too.
      flows[1] = {
        ...flows[1]!,
        expectation: { kind: 'epm', parentFlowId: 100, rule: 'x.rpc-dynamic', evidence: 'port 49668 announced by EPM reply in flow #100' },
        classification: { rule: 'x.dns', nearestRule: null, how: 'direct', evidence: 'udp/53', srcRoles: ['x.client', 'x.other'], dstRoles: ['x.dns'], srcSite: 'hq', dstSite: null, ignored: false },
      };
      const a = openFlowStore(path);
      const cap = a.beginCapture({ source: '/data/site.pcap', format: 'unknown', sha256: null, fingerprint: '99:ff', size: 99, tapSide: 'lan' });
      const withCap = flows.map((f) => ({ ...f, captureId: cap }));
      a.writeFlows(withCap.slice(0, 2));
      expect(a.captures()[0]!.status).toBe('partial');
      a.finishCaptures(withCap.slice(2), new Map([[cap, end()]]));
      a.close();

      const b = openFlowStore(path);
      const [c] = b.captures();
      expect(c).toMatchObject({
        id: cap, source: '/data/site.pcap', format: 'pcap', linkTypes: [1], firstTs: 1700000000, lastTs: 1700000002.5, packets: 12,
        bytes: 1234, drops: null, ifDrops: 3, sha256: 'ab'.repeat(32), status: 'complete', error: null, tapSide: 'lan',
        decodeErrors: { 'truncated-tcp': 2, 'non-ip': 1 },
      });
      const back = [...b.flows()];
      expect(back.map((f) => f.capture)).toEqual(['/data/site.pcap', '/data/site.pcap', '/data/site.pcap']);
      expect(back.map((f) => f.captureId)).toEqual([cap, cap, cap]);
      expect(back.map(comparable)).toEqual(withCap.map(comparable));
      // Spot-check the list-valued columns explicitly.
      expect(back[0]!.vlans).toEqual([30, 40]);
      expect([...back[0]!.synOptions].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 76]);
      expect(back[1]!.classification?.srcRoles).toEqual(['x.client', 'x.other']);
      b.close();
    });

    it('reserveFlowIds: ranges after the highest stored id, none shared by two connections, the unused end given back', async () => {
      const path = await kind.newLocation(tmp, 'ids.db');
      const s = openFlowStore(path);
      const other = openFlowStore(path);
      expect(s.reserveFlowIds(10)).toBe(1);
      expect(other.reserveFlowIds(10)).toBe(11);
      expect(s.reserveFlowIds(10)).toBe(21);
      // Given back only while no later range was taken: 21..30 was s's last, so 24.. is free again.
      other.releaseFlowIds(21, 13);
      s.releaseFlowIds(31, 24);
      expect(other.reserveFlowIds(5)).toBe(24);
      // Rows stored beyond the reserved ranges (a database written before ranges existed) are skipped.
      const cap = s.beginCapture({ source: 'a', format: 'pcap', sha256: null, fingerprint: null, size: null, tapSide: null });
      s.writeFlows((await sampleFlows()).map((f) => ({ ...f, captureId: cap })));
      expect(s.reserveFlowIds(10)).toBe(103);
      other.close();
      s.close();
    });

    it('openCapture: only while the newest capture of the fingerprint is still the one seen; a partial one is replaced', async () => {
      const s = openFlowStore(await kind.newLocation(tmp, 'open.db'));
      const start = { source: 'x.pcap', format: 'pcap', sha256: null, fingerprint: 'fp', size: 1, tapSide: null, reader: 'h:1:2' };
      const a = s.openCapture(start, null)!;
      expect(s.captureReader(a)).toBe('h:1:2');
      // Another process opened one meanwhile: the caller that saw none must look again.
      expect(s.openCapture(start, null)).toBeNull();
      expect(s.openCapture(start, { id: a, status: 'complete' })).toBeNull();
      const flows = await sampleFlows();
      s.writeFlows([{ ...flows[0]!, captureId: a }]);
      const b = s.openCapture({ ...start, reader: 'h:3:4' }, { id: a, status: 'partial' })!;
      expect(s.captures().map((c) => [c.id, c.status])).toEqual([[b, 'partial']]);
      expect([...s.flows()]).toEqual([]);
      s.finishCaptures([], new Map([[b, end()]]));
      // A complete one stays (a different file with the same fingerprint is stored beside it).
      const c = s.openCapture(start, { id: b, status: 'complete' })!;
      expect(s.captures().map((x) => x.id)).toEqual([b, c]);
      // Streams have no fingerprint: always opened.
      expect(s.openCapture({ ...start, fingerprint: null }, null)).toBe(c + 1);
      s.close();
    });

    it('filters by host, port, protocol, capture and limit', async () => {
      const s = openFlowStore(await kind.newLocation(tmp, 'filter.db'));
      const c1 = s.beginCapture({ source: 'one', format: 'pcap', sha256: null, fingerprint: null, size: null, tapSide: null });
      const c2 = s.beginCapture({ source: 'two', format: 'pcap', sha256: null, fingerprint: null, size: null, tapSide: null });
      const flows = await sampleFlows();
      s.writeFlows([{ ...flows[0]!, captureId: c1 }, { ...flows[1]!, captureId: c2 }, { ...flows[2]!, captureId: c2 }]);
      const ids = (f: FlowFilter) => [...s.flows(f)].map((x) => x.id);
      expect(ids({ host: '10.0.0.53' })).toEqual([101]);
      expect(ids({ host: '192.168.1.10' })).toEqual([100, 101]);
      expect(ids({ port: 445 })).toEqual([100]);
      expect(ids({ port: 40000 })).toEqual([101]);
      expect(ids({ proto: 58 })).toEqual([102]);
      expect(ids({ captureIds: [c2] })).toEqual([101, 102]);
      expect(ids({ limit: 2 })).toEqual([100, 101]);
      expect(ids({ host: '192.168.1.10', proto: 17 })).toEqual([101]);
      s.close();
    });

    it('finds a capture by sha256 or fingerprint; deleting it removes its flows only', async () => {
      const s = openFlowStore(await kind.newLocation(tmp, 'dup.db'));
      const keep = s.beginCapture({ source: 'keep', format: 'pcap', sha256: null, fingerprint: 'fp-keep', size: 1, tapSide: null });
      const drop = s.beginCapture({ source: 'drop', format: 'pcap', sha256: null, fingerprint: 'fp-drop', size: 1, tapSide: null });
      const flows = await sampleFlows();
      s.writeFlows([{ ...flows[0]!, captureId: keep }, { ...flows[1]!, captureId: drop }, { ...flows[2]!, captureId: drop }]);
      s.finishCaptures([], new Map([[keep, end({ sha256: 'cd'.repeat(32) })], [drop, end({ sha256: null, status: 'partial', error: 'x: byte 9: bad' })]]));
      expect(s.findCapture({ sha256: 'cd'.repeat(32) })?.id).toBe(keep);
      expect(s.findCapture({ fingerprint: 'fp-drop' })).toMatchObject({ id: drop, status: 'partial', error: 'x: byte 9: bad', sha256: null });
      expect(s.findCapture({ fingerprint: 'nope' })).toBeNull();
      s.deleteCapture(drop);
      expect(s.captures().map((c) => c.id)).toEqual([keep]);
      expect([...s.flows()].map((f) => f.id)).toEqual([100]);
      s.close();
    });

    it('keeps the sha256 given at begin when the end carries none', async () => {
      const s = openFlowStore(await kind.newLocation(tmp, 'sha.db'));
      const id = s.beginCapture({ source: 'a', format: 'pcap', sha256: 'ee'.repeat(32), fingerprint: null, size: null, tapSide: null });
      s.finishCaptures([], new Map([[id, end({ sha256: null })]]));
      expect(s.captures()[0]!.sha256).toBe('ee'.repeat(32));
      s.close();
    });
  });

  describe('classifications, dictionary-encoded (schema 2)', () => {
    const cls = (rule: string | null, srcSite: string | null = 'hq'): Classification =>
      ({ rule, nearestRule: null, how: rule ? 'direct' : 'none', evidence: rule ? `rule ${rule}` : null, srcRoles: ['x.client'], dstRoles: ['x.dns'], srcSite, dstSite: null, ignored: false });

    it('flows sharing a classification share one classifications row; each reads back its own', async () => {
      const s = openFlowStore(await kind.newLocation(tmp, 'dict.db'));
      const cap = s.beginCapture({ source: 'a', format: 'pcap', sha256: null, fingerprint: null, size: null, tapSide: null });
      const [f] = await sampleFlows();
      const shared = cls('x.dns');
      const flows = [
        { ...f!, id: 1, classification: shared }, { ...f!, id: 2, classification: shared },
        // An equal classification in another object is still the same row.
        { ...f!, id: 3, classification: { ...shared, srcRoles: [...shared.srcRoles] } },
        { ...f!, id: 4, classification: cls('x.dns', 'leeds') }, { ...f!, id: 5, classification: cls(null) },
        { ...f!, id: 6, classification: null },
      ].map((x) => ({ ...x, captureId: cap }));
      s.writeFlows(flows);
      expect(await count(s, 'classifications')).toBe(3);
      expect(await kind.column(s.location, 'SELECT class_id FROM flow_data ORDER BY id')).toEqual([1, 1, 1, 2, 3, null]);
      expect([...s.flows()].map((x) => x.classification)).toEqual(flows.map((x) => x.classification));
      expect(s.unclassifiedCount()).toBe(1);
      // Re-classification points the flow at another row; the view shows it.
      s.updateClassifications([{ ...[...s.flows()][5]!, classification: cls('x.other') }]);
      expect([...s.flows({ rule: 'x.other' })].map((x) => x.id)).toEqual([6]);
      s.close();
    });

    it('a shared classification with placeholders is one row; the view writes out each flow\'s own fields, as renderEvidence does', async () => {
      const s = openFlowStore(await kind.newLocation(tmp, 'vars.db'));
      const cap = s.beginCapture({ source: 'a', format: 'pcap', sha256: null, fingerprint: null, size: null, tapSide: null });
      const [f] = await sampleFlows();
      const shared = {
        ...cls(null), evidenceVars: true,
        evidence: 'TCP {{dport}} from {{src}}:{{sport}} to {{dst}} ({{dst}} has no role); {{literal}} stays',
      };
      const flows = [
        { ...f!, id: 1, src: '10.1.2.3', sport: 50000, dst: '10.0.0.77', dport: 8080 },
        { ...f!, id: 2, src: '2001:db8::5', sport: 1234, dst: '2001:db8::9', dport: 49668 },
      ].map((x) => ({ ...x, captureId: cap, classification: shared }));
      // Same text without the flag: stored as it is, never written out.
      const literal = { ...f!, id: 3, captureId: cap, classification: { ...cls(null), evidence: 'a title with {{src}} in it' } };
      s.writeFlows([...flows, literal]);
      expect(await count(s, 'classifications')).toBe(2);
      const back = [...s.flows()];
      expect(back.map((x) => x.classification!.evidence)).toEqual([
        'TCP 8080 from 10.1.2.3:50000 to 10.0.0.77 (10.0.0.77 has no role); {{literal}} stays',
        'TCP 49668 from 2001:db8::5:1234 to 2001:db8::9 (2001:db8::9 has no role); {{literal}} stays',
        'a title with {{src}} in it',
      ]);
      expect(back.slice(0, 2).map((x) => x.classification!.evidence)).toEqual(flows.map((x) => renderEvidence(shared.evidence, x)));
      // SQL on the view sees the written-out text.
      expect(await kind.column(s.location, "SELECT id FROM flows WHERE evidence LIKE '%2001:db8::9 has no role%'")).toEqual([2]);
      s.close();
    });

    it("a capture's sensor, a classification's approval and nearest rule, unused expectations and reports read back", async () => {
      const s = openFlowStore(await kind.newLocation(tmp, 'more.db'));
      const cap = s.beginCapture({ source: 'a', format: 'pcap', sha256: null, fingerprint: null, size: null, tapSide: 'wan', sensor: 'tap-7' });
      expect(s.captures()[0]).toMatchObject({ id: cap, sensor: 'tap-7', tapSide: 'wan', status: 'partial' });
      const [f] = await sampleFlows();
      const approved = { ...cls(null), nearestRule: 'x.near', evidence: 'approved: ok (site file line 12)', approved: 12 };
      s.writeFlows([{ ...f!, id: 1, captureId: cap, classification: approved }, { ...f!, id: 2, captureId: cap, classification: cls(null) }]);
      expect([...s.flows()].map((x) => x.classification)).toEqual([approved, cls(null)]);
      expect([...s.flowsById([2, 1])].map((x) => x.classification)).toEqual([cls(null), approved]);
      expect([...s.findingFlowsById([1])][0]).toMatchObject({ id: 1, capture: 'a', classification: approved });
      const audit = [...s.auditFlows([cap])];
      expect(audit.map((x) => [x.id, x.classification?.approved ?? null, x.synOptions])).toEqual([[1, 12, f!.synOptions.join(',')], [2, null, f!.synOptions.join(',')]]);
      const u = { kind: 'epm' as const, client: null, server: '10.0.0.5', proto: 6, ports: '49668', parentFlowId: 1, captureId: cap, rule: 'x.r', evidence: 'tab\there', ts: 1.5 };
      s.writeUnusedExpectations([u]);
      expect(s.unusedExpectations([cap])).toEqual([u]);
      expect(s.unusedExpectations([cap + 1])).toEqual([]);
      s.saveReport('c', 's', [cap], { a: [1, 'x'] });
      expect(s.latestReport('c', 's', [cap])).toEqual({ a: [1, 'x'] });
      expect(s.latestReport('c', 's', [cap + 1])).toBeNull();
      s.updateCaptureProgress(cap, { packets: 9, drops: 1, ifDrops: null, error: 'so far' });
      s.recordCaptureError([cap], 'the run failed');
      expect(s.captures()[0]).toMatchObject({ packets: 9, drops: 1, error: 'the run failed' });
      expect(Array.from(s.flowIdsByStart([]))).toEqual([1, 2]);
      s.close();
    });

    it('a batch that rolls back takes its new classifications rows with it, and later batches still get theirs', async () => {
      const s = openFlowStore(await kind.newLocation(tmp, 'rollback.db'));
      const cap = s.beginCapture({ source: 'a', format: 'pcap', sha256: null, fingerprint: null, size: null, tapSide: null });
      const [f] = await sampleFlows();
      const c = cls('x.new');
      // Duplicate flow id: the second insert fails and the whole batch (and its classifications row) is undone.
      expect(() => s.writeFlows([{ ...f!, id: 7, captureId: cap, classification: c }, { ...f!, id: 7, captureId: cap, classification: c }])).toThrow();
      expect(await count(s, 'classifications')).toBe(0);
      s.writeFlows([{ ...f!, id: 8, captureId: cap, classification: c }]);
      expect([...s.flows()].map((x) => [x.id, x.classification])).toEqual([[8, c]]);
      s.close();
    });
  });
});
}
