/**
 * Live capture pieces that need neither root nor tcpdump: parsing tcpdump's statistics and
 * messages (32-bit counters unwrapped), the argument list, `tcpdump -D`, the user to drop to,
 * and the --write file writer (pcapng and pcap, rotation, drop counters in the ISB), whose
 * files are read back with the project's own reader.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pcapFile, udpFrame } from '../../fixtures/lib/packet-builder.js';
import { readCaptureFile } from '../../src/capture/capture-reader.js';
import {
  Counter, StatsParser, explainFailure, parseListening, parseStatPhrases, tcpdumpArgs,
} from '../../src/capture/live-capture.js';
import { parseTcpdumpD } from '../../src/capture/live-interfaces.js';
import { defaultCaptureUser, isRoot } from '../../src/capture/live-privileges.js';
import { CaptureWriter, rotatedName } from '../../src/capture/live-writer.js';
import type { PacketBatch } from '../../src/capture/packet-batch.js';
import { T0 } from '../helpers/flow-script.js';

const dir = mkdtempSync(join(tmpdir(), 'flowaudit-live-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tcpdump statistics', () => {
  it('reads the one-line SIGUSR1 report, with and without interface drops', () => {
    expect(parseStatPhrases('tcpdump: 5 packets captured, 6 packets received by filter, 1 packet dropped by kernel'))
      .toEqual({ captured: 5, received: 6, drops: 1 });
    const p = new StatsParser();
    p.line('tcpdump: listening on eth1, link-type EN10MB (Ethernet), snapshot length 262144 bytes');
    expect(p.counters().captured).toBeNull();
    p.line('tcpdump: 5 packets captured, 6 packets received by filter, 1 packet dropped by kernel');
    expect(p.counters()).toMatchObject({ captured: 5, received: 6, drops: 1, ifDrops: 0 });
    p.line('tcpdump: 9 packets captured, 12 packets received by filter, 2 packets dropped by kernel, 7 packets dropped by interface');
    expect(p.counters()).toMatchObject({ captured: 9, received: 12, drops: 2, ifDrops: 7 });
    expect(p.messages).toEqual(['tcpdump: listening on eth1, link-type EN10MB (Ethernet), snapshot length 262144 bytes']);
  });

  it('reads the report printed at exit, one phrase per line', () => {
    const p = new StatsParser();
    for (const l of ['10 packets captured', '10 packets received by filter', '0 packets dropped by kernel']) p.line(l);
    expect(p.counters().ifDrops).toBeNull(); // "dropped by interface" may still follow
    p.end();
    expect(p.counters()).toMatchObject({ captured: 10, received: 10, drops: 0, ifDrops: 0 });

    const q = new StatsParser();
    for (const l of ['10 packets captured', '12 packets received by filter', '2 packets dropped by kernel', '3 packets dropped by interface']) q.line(l);
    expect(q.counters()).toMatchObject({ captured: 10, received: 12, drops: 2, ifDrops: 3 });
  });

  it('unwraps the 32-bit counters into exact totals', () => {
    const c = new Counter();
    c.observe(4294967290);
    c.observe(4);
    c.observe(100);
    expect(c.value).toBe(4294967296 + 100);
    const p = new StatsParser();
    p.line('tcpdump: 4294967295 packets captured, 4294967295 packets received by filter, 0 packets dropped by kernel');
    p.line('tcpdump: 5 packets captured, 5 packets received by filter, 0 packets dropped by kernel');
    expect(p.counters().captured).toBe(2 ** 32 + 5);
  });

  it('reads the listening line', () => {
    expect(parseListening('tcpdump: listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes'))
      .toEqual({ linkTypeName: 'LINUX_SLL2', linkType: 276, snaplen: 262144 });
    expect(parseListening('tcpdump: listening on eth0, link-type EN10MB (Ethernet), capture size 96 bytes'))
      .toEqual({ linkTypeName: 'EN10MB', linkType: 1, snaplen: 96 });
  });
});

describe('tcpdump arguments and messages', () => {
  it('builds the argument list: pcap on stdout, packet-buffered, filter after --', () => {
    expect(tcpdumpArgs({ iface: 'eth1', snaplen: 0, bufferMiB: 64, user: 'nobody', immediate: false, filter: 'tcp port 80', packets: 10 }))
      .toEqual(['-i', 'eth1', '-w', '-', '-U', '-n', '-s', '262144', '-B', '65536', '-c', '10', '-Z', 'nobody', '--', 'tcp port 80']);
    expect(tcpdumpArgs({ iface: 'lo', snaplen: 256, bufferMiB: 0.5, user: null, immediate: true }))
      .toEqual(['-i', 'lo', '-w', '-', '-U', '-n', '-s', '256', '-B', '512', '--immediate-mode', '--']);
  });

  it("turns tcpdump's failures into the user's terms", () => {
    expect(explainFailure('eth9', ['tcpdump: eth9: No such device exists', '(No such device exists)'], null))
      .toBe("unknown interface 'eth9' (list them with: flowaudit interfaces)");
    expect(explainFailure('eth1', ["tcpdump: eth1: You don't have permission to perform this capture on that device", '(socket: Operation not permitted)'], null))
      .toMatch(/^capturing on eth1 needs root or CAP_NET_RAW/);
    expect(explainFailure('eth1', ['Warning: assuming Ethernet', "tcpdump: can't parse filter expression: syntax error"], null, 'port(('))
      .toBe("--filter 'port((' is not a valid capture filter: tcpdump: can't parse filter expression: syntax error");
    expect(explainFailure('eth1', ['tcpdump: illegal port number 99999 > 65535'], null, 'port 99999'))
      .toBe("--filter 'port 99999' is not a valid capture filter: tcpdump: illegal port number 99999 > 65535");
    expect(explainFailure('eth1', ["tcpdump: Couldn't find user 'bob'"], 'bob')).toBe("--user bob: Couldn't find user 'bob'");
    expect(explainFailure('eth1', ['tcpdump: eth1: That device is not up'], null)).toMatch(/^interface eth1 is down/);
  });

  it('parses tcpdump -D', () => {
    const list = parseTcpdumpD('1.eth0 [Up, Running, Connected]\n3.any (Pseudo-device that captures on all interfaces) [Up, Running]\n5.ifb0 [none]\n');
    expect(list).toEqual([
      { name: 'eth0', description: null, flags: ['Up', 'Running', 'Connected'] },
      { name: 'any', description: 'Pseudo-device that captures on all interfaces', flags: ['Up', 'Running'] },
      { name: 'ifb0', description: null, flags: [] },
    ]);
  });

  it('drops root to the sudo user, else nobody; not at all when not root', () => {
    if (isRoot()) {
      expect(defaultCaptureUser({})).toBe('nobody');
      expect(defaultCaptureUser({ SUDO_USER: 'root' })).toBe('nobody');
      expect(defaultCaptureUser({ SUDO_USER: 'no-such-user-here' })).toBe('nobody');
    } else {
      expect(defaultCaptureUser({ SUDO_USER: 'whoever' })).toBeNull();
    }
  });
});

// ---------------------------------------------------------------------------------------------

/** ts in whole microseconds: pcap and pcapng readers turn the same instant into doubles differently. */
interface Pkt { ts: number; data: Buffer; wirelen: number; linkType: number }

/** Copies every packet of a capture file (the batch buffers are reused by the reader). */
async function packetsOf(path: string): Promise<{ packets: Pkt[]; drops: number | null; format: string; error: string | null }> {
  const packets: Pkt[] = [];
  const s = await readCaptureFile(path, (b) => {
    for (let i = 0; i < b.count; i++) {
      packets.push({ ts: Math.round(b.ts[i]! * 1e6), data: Buffer.from(b.data.subarray(b.offset[i]!, b.offset[i]! + b.caplen[i]!)), wirelen: b.wirelen[i]!, linkType: b.linkType[i]! });
    }
  });
  return { packets, drops: s.drops, format: s.format, error: s.error };
}

/** Feeds a capture file through a writer the way the pipeline does (batch by batch). */
async function feed(src: string, w: CaptureWriter): Promise<void> {
  await readCaptureFile(src, (b: PacketBatch) => w.write(b));
}

function sample(n: number, spacing: number): Buffer {
  const recs = [];
  for (let i = 0; i < n; i++) {
    const f = udpFrame('10.203.0.1', 40000 + (i % 3), '10.203.0.2', 53, 'q'.repeat(10 + i));
    recs.push({ ts: T0 + i * spacing + 0.123456, data: f, origLen: i === 2 ? f.length + 100 : undefined });
  }
  return pcapFile(recs);
}

describe('--write', () => {
  it('keeps exactly the packets it is fed, as pcapng with the interface name and drop counters', async () => {
    const src = join(dir, 'in.pcap');
    writeFileSync(src, sample(20, 0.01));
    const out = join(dir, 'out.pcapng');
    const counters = { received: 0, drops: 0, ifDrops: 0 };
    const w = new CaptureWriter(out, { ifName: 'eth1', filter: 'udp', snaplen: 262144, counters: () => counters });
    w.open();
    await feed(src, w);
    Object.assign(counters, { received: 25, drops: 4, ifDrops: 1 });
    w.close();
    const a = await packetsOf(src);
    const b = await packetsOf(out);
    expect(b.format).toBe('pcapng');
    expect(b.error).toBeNull();
    expect(b.packets).toEqual(a.packets);
    expect(b.packets[2]!.wirelen).toBe(b.packets[2]!.data.length + 100);
    expect(b.drops).toBe(5); // isb_ifdrop: kernel + interface, as dumpcap writes it
  });

  it('writes classic pcap when the name ends in .pcap', async () => {
    const src = join(dir, 'in2.pcap');
    writeFileSync(src, sample(5, 0.5));
    const out = join(dir, 'out2.pcap');
    const w = new CaptureWriter(out);
    await feed(src, w);
    w.close();
    const b = await packetsOf(out);
    expect(b.format).toBe('pcap');
    expect(b.packets).toEqual((await packetsOf(src)).packets);
  });

  it('rotates by size and by capture time; the files together hold every packet', async () => {
    const src = join(dir, 'in3.pcap');
    writeFileSync(src, sample(30, 1));
    const sub = mkdtempSync(join(dir, 'rot-'));
    const bySize = new CaptureWriter(join(sub, 'cap.pcapng'), { maxBytes: 500 });
    await feed(src, bySize);
    bySize.close();
    expect(bySize.files.length).toBeGreaterThan(3);
    expect(bySize.files[0]).toBe(rotatedName(join(sub, 'cap.pcapng'), 1));
    const all: Pkt[] = [];
    for (const f of bySize.files) all.push(...(await packetsOf(f)).packets);
    expect(all).toEqual((await packetsOf(src)).packets);

    const byTime = new CaptureWriter(join(sub, 't.pcap'), { maxSeconds: 10 });
    await feed(src, byTime);
    byTime.close();
    const counts = [];
    for (const f of byTime.files) counts.push((await packetsOf(f)).packets.length);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(30);
    expect(counts.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...counts)).toBeLessThanOrEqual(10);
    expect(readdirSync(sub).filter((f) => f.startsWith('t-')).length).toBe(byTime.files.length);
  });

  it('an empty capture still makes a readable file', async () => {
    const out = join(dir, 'empty.pcapng');
    const w = new CaptureWriter(out);
    w.open();
    w.close();
    const b = await packetsOf(out);
    expect(b.packets).toEqual([]);
    expect(b.error).toBeNull();
  });
});
