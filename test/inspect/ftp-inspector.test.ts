/**
 * FTP inspector details the corpus does not show: addresses written in forms other than the
 * flow table's canonical text must still name the same host, or the data connection would not
 * be claimed (and a client naming itself would look like an FTP bounce).
 */
import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../src/flow/flow-record.js';
import type { Announcement } from '../../src/inspect/inspector.js';
import { FtpInspector } from '../../src/inspect/ftp.js';

function control(src: string, dst: string): FlowRecord {
  return { id: 7, src, sport: 50000, dst, dport: 21, proto: 6 } as FlowRecord;
}

function feed(flow: FlowRecord, dir: 0 | 1, text: string): Announcement[] {
  const out: Announcement[] = [];
  const b = Buffer.from(text, 'latin1');
  new FtpInspector().onPayload(flow, dir, b, 0, b.length, (a) => out.push(a));
  return out;
}

describe('FTP inspector addresses', () => {
  it('EPRT with a non-canonical IPv6 address of the client: announced canonically, not a bounce', () => {
    const [a, ...rest] = feed(control('2001:db8::10', '2001:db8::21'), 0, 'EPRT |2|2001:DB8:0::0010|50123|\r\n');
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ kind: 'ftp', client: '2001:db8::21', server: '2001:db8::10', portLo: 50123, portHi: 50123 });
    expect(a!.suspicious).toBeUndefined();
  });

  it('PORT and 227 with zero-padded numbers name the usual dotted quad', () => {
    const [p] = feed(control('10.0.1.5', '10.0.0.62'), 0, 'PORT 010,000,001,005,195,80\r\n');
    expect(p).toMatchObject({ server: '10.0.1.5', portLo: 50000 });
    expect(p!.suspicious).toBeUndefined();
    const [r] = feed(control('10.0.1.5', '10.0.0.62'), 1, '227 Entering Passive Mode (010,000,000,062,195,81).\r\n');
    expect(r).toMatchObject({ client: '10.0.1.5', server: '10.0.0.62', portLo: 50001 });
  });

  it('a PORT naming a third host is flagged as a bounce; an address out of range is ignored', () => {
    const [b] = feed(control('10.0.1.5', '10.0.0.62'), 0, 'PORT 10,0,0,99,195,80\r\n');
    expect(b!.suspicious).toBe('FTP PORT in flow #7 names 10.0.0.99:50000, not the client 10.0.1.5 (FTP bounce)');
    expect(feed(control('10.0.1.5', '10.0.0.62'), 0, 'PORT 10,0,0,300,195,80\r\n')).toEqual([]);
  });
});
