/**
 * ingest() into real databases (a SQLite file, and a PostgreSQL database when the tests have a server): what is stored equals what the flow table produced; a
 * re-read of the same file adds nothing (sha256); a damaged file is stored partial with the
 * flows before the damage; an interrupted earlier ingest is redone without duplicates; a TCP
 * connection that spans two files of one run is one flow.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { pcapFile, pcapngFile, type PcapRecord } from '../../fixtures/lib/packet-builder.js';
import type { FlowRecord } from '../../src/flow/flow-record.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { fileFingerprint } from '../../src/capture/input-identity.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite-store.js';
import { openFlowStore } from '../../src/store/open-store.js';
import { STORE_KINDS, storeTitle, type StoreKind } from '../helpers/stores.js';
import { collectFlows } from '../helpers/collect-flows.js';
import { TempDir, rawPcap } from '../helpers/capture-files.js';
import { Script, T0, TcpScript, udpFrameAt } from '../helpers/flow-script.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

/** A small mixed capture: a closed TCP connection, an open one on VLAN 7, and DNS: three flows. */
function sampleRecords(t0 = T0): PcapRecord[] {
  const a = new TcpScript('192.168.1.10', 51000, '10.0.0.80', 445).at(t0).handshake().c('PA', 'hello').s('PA', 'world').c('FA').s('FA').c('A');
  const b = new TcpScript('192.168.1.11', 52000, '10.0.0.81', 1433, [7]).at(t0 + 0.5).handshake().c('PA', 'select 1');
  const d = new Script().at(t0 + 1).frame(udpFrameAt('192.168.1.10', 40000, '10.0.0.53', 53, 'q')).frame(udpFrameAt('10.0.0.53', 53, '192.168.1.10', 40000, 'a'));
  return [...a.records, ...b.records, ...d.records].sort((x, y) => x.ts - y.ts);
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function key(f: FlowRecord): string {
  return [f.proto, f.src, f.sport, f.dst, f.dport, f.origPackets, f.respPackets, f.origBytes, f.respBytes, f.origIpBytes, f.respIpBytes,
    f.start, f.end, f.state, f.history, f.communityId, f.vlans.join('.'), f.endReason].join('|');
}

async function ingestFiles(db: string, paths: string[]) {
  const store = openFlowStore(db);
  try {
    const res = await ingest(paths.map((name) => ({ name })), { store });
    return { res, captures: store.captures(), flows: [...store.flows()] };
  } finally {
    store.close();
  }
}

function suite(kind: StoreKind): void {
  describe.skipIf(kind.skip !== '')(storeTitle(kind, 'ingest into a database file'), () => {
    it('stores the flows the flow table produces, and a complete capture row with its sha256', async () => {
      const path = tmp.file('sample.pcap', pcapFile(sampleRecords()));
      const db = (await kind.newLocation(tmp, 'a.db'));
      const { res, captures, flows } = await ingestFiles(db, [path]);
      const expected = (await collectFlows(path, {})).flows;
      expect(flows.map(key).sort()).toEqual(expected.map(key).sort());
      expect(flows).toHaveLength(3);
      expect(res.flowsWritten).toBe(3);
      expect(res.captures[0]).toMatchObject({ source: path, status: 'complete', error: null, flows: 3, skipped: null });
      expect(captures).toHaveLength(1);
      expect(captures[0]).toMatchObject({
        source: path, format: 'pcap', linkTypes: [1], packets: sampleRecords().length, status: 'complete', error: null,
        sha256: sha256(path), firstTs: T0,
      });
      expect(flows.every((f) => f.captureId === captures[0]!.id && f.capture === path)).toBe(true);
      expect(new Set(flows.map((f) => f.id)).size).toBe(3);
      // Reopened from disk by another connection: the same rows.
      expect(await kind.column(db, 'SELECT COUNT(*) FROM flows')).toEqual([3]);
      expect(await kind.column(db, `SELECT value FROM meta WHERE key = 'schema_version'`)).toEqual([String(SCHEMA_VERSION)]);
    });

    it('re-reading the same file adds nothing; the duplicate is recognised, also under another name', async () => {
      const bytes = pcapFile(sampleRecords());
      const path = tmp.file('dup.pcap', bytes);
      const copy = tmp.file('dup-copy.pcap', bytes);
      const db = (await kind.newLocation(tmp, 'dup.db'));
      await ingestFiles(db, [path]);
      const again = await ingestFiles(db, [path]);
      expect(again.res.captures[0]).toMatchObject({ skipped: 'duplicate', status: 'skipped', flows: 0 });
      expect(again.res.flowsWritten).toBe(0);
      const third = await ingestFiles(db, [copy]);
      expect(third.res.captures[0]).toMatchObject({ skipped: 'duplicate' });
      expect(third.captures).toHaveLength(1);
      expect(third.flows).toHaveLength(3);
      expect(third.captures[0]!.sha256).toBe(sha256(path));
    });

    it('the same file named twice in one run (or with a copy) is read once: its open capture is not taken for an interrupted one', async () => {
      const bytes = pcapFile(sampleRecords());
      const path = tmp.file('twice.pcap', bytes);
      const copy = tmp.file('twice-copy.pcap', bytes);
      const r = await ingestFiles((await kind.newLocation(tmp, 'twice.db')), [path, path, copy]);
      expect(r.res.captures.map((c) => c.skipped)).toEqual([null, 'duplicate', 'duplicate']);
      expect(r.res.captures.map((c) => c.captureId)).toEqual([1, 1, 1]);
      expect(r.captures).toHaveLength(1);
      expect(r.captures[0]!.status).toBe('complete');
      expect(r.flows).toHaveLength(3);
    });

    it('a different file with the same size, head and tail (same fingerprint) is not taken for a duplicate', async () => {
      // > 2 MiB so that the fingerprint (size + first and last MiB) does not see the middle.
      const recs: PcapRecord[] = [];
      for (let i = 0; i < 2500; i++) recs.push({ ts: T0 + i * 0.001, data: udpFrameAt('10.1.0.1', 10000 + (i % 50), '10.2.0.1', 514, 'z'.repeat(1000)) });
      const one = pcapFile(recs);
      const two = Buffer.from(one);
      const mid = Math.floor(two.length / 2);
      two[mid] ^= 0xff; // inside a payload: still a valid capture
      const p1 = tmp.file('fp1.pcap', one);
      const p2 = tmp.file('fp2.pcap', two);
      expect(fileFingerprint(p1).fingerprint).toBe(fileFingerprint(p2).fingerprint);
      const db = (await kind.newLocation(tmp, 'fp.db'));
      await ingestFiles(db, [p1]);
      const r = await ingestFiles(db, [p2]);
      expect(r.res.captures[0]!.skipped).toBeNull();
      expect(r.captures.map((c) => c.status)).toEqual(['complete', 'complete']);
      expect(r.captures.map((c) => c.sha256)).toEqual([sha256(p1), sha256(p2)]);
    });

    it('a gzip capture is ingested with its format, and hashed as stored', async () => {
      const path = tmp.file('sample.pcap.gz', gzipSync(pcapFile(sampleRecords())));
      const { captures, flows } = await ingestFiles((await kind.newLocation(tmp, 'gz.db')), [path]);
      expect(captures[0]).toMatchObject({ format: 'pcap+gzip', status: 'complete', sha256: sha256(path) });
      expect(flows).toHaveLength(3);
    });

    it('pcapng with ISB drops: the capture row carries the interface drop counter', async () => {
      const recs = sampleRecords();
      const ng = pcapngFile([{ interfaces: [{ linkType: 1 }], packets: recs.map((r) => ({ iface: 0, ts: r.ts, data: r.data })) }]);
      // ISB for interface 0 with isb_ifdrop = 42, appended to the section.
      const isbBody = Buffer.alloc(12 + 12 + 4);
      isbBody.writeUInt32LE(0, 0);
      isbBody.writeUInt16LE(5, 12); isbBody.writeUInt16LE(8, 14); isbBody.writeBigUInt64LE(42n, 16);
      const isb = Buffer.alloc(12 + isbBody.length);
      isb.writeUInt32LE(5, 0); isb.writeUInt32LE(isb.length, 4); isbBody.copy(isb, 8); isb.writeUInt32LE(isb.length, isb.length - 4);
      const path = tmp.file('drops.pcapng', Buffer.concat([ng, isb]));
      const { captures } = await ingestFiles((await kind.newLocation(tmp, 'ng.db')), [path]);
      expect(captures[0]).toMatchObject({ format: 'pcapng', status: 'complete', ifDrops: 42, packets: recs.length });
    });
  });

  describe.skipIf(kind.skip !== '')(storeTitle(kind, 'damage and interruption'), () => {
    function damaged(): { bytes: Buffer; offset: number } {
      const recs = sampleRecords();
      const good = rawPcap(recs.map((r) => ({ sec: Math.floor(r.ts), frac: Math.round((r.ts % 1) * 1e6), data: r.data as number[] })));
      const more = new TcpScript('192.168.9.9', 50000, '10.0.0.99', 22).at(T0 + 5).handshake();
      const tail = rawPcap(more.records.map((r) => ({ sec: Math.floor(r.ts), frac: 0, data: r.data as number[] }))).subarray(24);
      const bad = Buffer.from(tail);
      bad.writeUInt32LE(0x7ffffff0, 8); // the first record after the good part claims 2 GB
      return { bytes: Buffer.concat([good, bad]), offset: good.length };
    }

    it('a damaged file: capture partial with the error (file and byte offset), flows before the damage stored', async () => {
      const { bytes, offset } = damaged();
      const path = tmp.file('damaged.pcap', bytes);
      const { res, captures, flows } = await ingestFiles((await kind.newLocation(tmp, 'dmg.db')), [path]);
      expect(res.captures[0]!.status).toBe('partial');
      expect(captures[0]!.status).toBe('partial');
      expect(captures[0]!.error).toContain(path);
      expect(captures[0]!.error).toContain(`byte ${offset}`);
      expect(captures[0]!.packets).toBe(sampleRecords().length);
      expect(flows).toHaveLength(3);
      expect(flows.some((f) => f.dport === 22)).toBe(false);
    });

    it('re-reading a damaged file replaces its partial capture instead of adding to it', async () => {
      const path = tmp.file('damaged2.pcap', damaged().bytes);
      const db = (await kind.newLocation(tmp, 'dmg2.db'));
      await ingestFiles(db, [path]);
      const again = await ingestFiles(db, [path]);
      expect(again.captures).toHaveLength(1);
      expect(again.captures[0]!.status).toBe('partial');
      expect(again.flows).toHaveLength(3);
    });

    it('an interrupted earlier ingest (partial capture with some flows) is redone with no duplicates', async () => {
      const path = tmp.file('interrupted.pcap', pcapFile(sampleRecords()));
      const db = (await kind.newLocation(tmp, 'int.db'));
      // What a crash after the first batch leaves behind: a 'partial' capture row for this file
      // (same fingerprint) and the flows of its first batch.
      const { fingerprint, size } = fileFingerprint(path);
      const early = (await collectFlows(path, {})).flows.slice(0, 2);
      const s = openFlowStore(db);
      const cap = s.beginCapture({ source: path, format: 'pcap', sha256: null, fingerprint, size, tapSide: null });
      s.writeFlows(early.map((f, i) => ({ ...f, id: i + 1, captureId: cap })));
      s.close();

      const { res, captures, flows } = await ingestFiles(db, [path]);
      expect(res.captures[0]).toMatchObject({ skipped: null, status: 'complete' });
      expect(captures).toHaveLength(1);
      expect(captures[0]).toMatchObject({ status: 'complete', sha256: sha256(path) });
      expect(flows).toHaveLength(3);
      expect(new Set(flows.map(key)).size).toBe(3);
      const clean = (await ingestFiles((await kind.newLocation(tmp, 'clean.db')), [path])).flows;
      expect(flows.map(key).sort()).toEqual(clean.map(key).sort());
    });

    it('an ingest of a missing file rejects (the CLI turns it into a message) and leaves no capture behind', async () => {
      const db = (await kind.newLocation(tmp, 'missing.db'));
      const store = openFlowStore(db);
      await expect(ingest([{ name: tmp.name('nope.pcap') }], { store })).rejects.toMatchObject({ code: 'ENOENT' });
      expect(store.captures()).toEqual([]);
      store.close();
    });
  });

  describe.skipIf(kind.skip !== '')(storeTitle(kind, 'several files in one run'), () => {
    it('a TCP connection spanning two files is one flow, counted in the capture where it started', async () => {
      const conn = new TcpScript('192.168.1.10', 51000, '10.0.0.80', 445).handshake().c('PA', 'part one').s('A');
      const cut = conn.records.length;
      conn.wait(2).c('PA', 'part two').s('PA', 'reply').c('FA').s('FA').c('A');
      const first = tmp.file('part1.pcap', pcapFile(conn.records.slice(0, cut)));
      const second = tmp.file('part2.pcap', pcapFile(conn.records.slice(cut)));
      const { res, captures, flows } = await ingestFiles((await kind.newLocation(tmp, 'span.db')), [first, second]);
      expect(flows).toHaveLength(1);
      expect(flows[0]).toMatchObject({
        src: '192.168.1.10', dst: '10.0.0.80', dport: 445, origPackets: 6, respPackets: 4, state: 'SF', history: 'ShADadFf',
        captureId: captures[0]!.id, capture: first,
      });
      expect(captures.map((c) => [c.source, c.status, c.packets])).toEqual([[first, 'complete', cut], [second, 'complete', conn.records.length - cut]]);
      expect(res.captures.map((c) => c.flows)).toEqual([1, 0]);
    });

    it('files given out of order are read in the order of their first packet', async () => {
      const conn = new TcpScript('192.168.1.10', 51000, '10.0.0.80', 445).handshake().c('PA', 'part one').s('A');
      const cut = conn.records.length;
      conn.wait(2).c('PA', 'part two').s('PA', 'reply').c('FA').s('FA').c('A');
      const first = tmp.file('early.pcap', pcapFile(conn.records.slice(0, cut)));
      const second = tmp.file('late.pcap', pcapFile(conn.records.slice(cut)));
      const { captures, flows } = await ingestFiles((await kind.newLocation(tmp, 'order.db')), [second, first]);
      expect(flows).toHaveLength(1);
      expect(flows[0]).toMatchObject({ origPackets: 6, respPackets: 4, state: 'SF', history: 'ShADadFf', capture: first });
      expect(captures.map((c) => c.source)).toEqual([first, second]);
    });

    it('flow ids stay unique across runs into the same database', async () => {
      const db = (await kind.newLocation(tmp, 'ids.db'));
      await ingestFiles(db, [tmp.file('r1.pcap', pcapFile(sampleRecords()))]);
      const r = await ingestFiles(db, [tmp.file('r2.pcap', pcapFile(sampleRecords(T0 + 1000)))]);
      expect(r.flows).toHaveLength(6);
      expect(new Set(r.flows.map((f) => f.id)).size).toBe(6);
    });
  });
}

for (const kind of STORE_KINDS) suite(kind);
