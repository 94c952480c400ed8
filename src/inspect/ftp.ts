/**
 * FTP control channel (TCP 21): the data connection's address and port are announced in
 * 227 (PASV), 229 (EPSV) replies and PORT / EPRT commands, IPv4 and IPv6. A PORT/EPRT that
 * points at a host other than the client is an FTP bounce: announced, but flagged.
 */
import { PROTO_TCP, type FlowRecord } from '../flow/flow-record.js';
import { canonicalAddress } from '../util/ip.js';
import type { Announcement, Inspector } from './inspector.js';

const MAX_LINE = 1024;
const MAX_BYTES = 1024 * 1024; // stop inspecting a control channel after 1 MiB each way
const WINDOW = 120;

export class FtpInspector implements Inspector {
  private partial = ['', ''];
  private seen = [0, 0];

  onPayload(flow: FlowRecord, dir: number, buf: Buffer, off: number, len: number, announce: (a: Announcement) => void): boolean {
    this.seen[dir]! += len;
    if (this.seen[0]! > MAX_BYTES && this.seen[1]! > MAX_BYTES) return true;
    let text = this.partial[dir] + buf.toString('latin1', off, off + len);
    const lines = text.split('\n');
    text = lines.pop() ?? '';
    this.partial[dir] = text.length > MAX_LINE ? '' : text;
    for (const raw of lines) {
      const line = raw.replace(/\r$/, '');
      if (dir === 1) this.reply(flow, line, announce);
      else this.command(flow, line, announce);
    }
    return false;
  }

  private reply(flow: FlowRecord, line: string, announce: (a: Announcement) => void): void {
    let m = /^227[ -].*?(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})/.exec(line);
    if (m) {
      const ip = dotted(m[1]!, m[2]!, m[3]!, m[4]!);
      const port = Number(m[5]) * 256 + Number(m[6]);
      if (ip !== null && port > 0 && port < 65536) {
        // Some servers answer 0.0.0.0 or a NATed address; the control connection's server is the truth then.
        const server = ip === '0.0.0.0' ? flow.dst : ip;
        announce({ kind: 'ftp', proto: PROTO_TCP, client: flow.src, clientPort: null, server, portLo: port, portHi: port, within: WINDOW,
          evidence: `data port ${server}:${port} announced by FTP 227 (PASV) reply in flow #${flow.id}` });
        if (server !== flow.dst) {
          announce({ kind: 'ftp', proto: PROTO_TCP, client: flow.src, clientPort: null, server: flow.dst, portLo: port, portHi: port, within: WINDOW,
            evidence: `data port ${port} announced by FTP 227 (PASV) reply in flow #${flow.id} (reply named ${ip})` });
        }
      }
      return;
    }
    m = /^229[ -].*\((.)\1\1(\d{1,5})\1\)/.exec(line);
    if (m) {
      const port = Number(m[2]);
      if (port > 0 && port < 65536) {
        announce({ kind: 'ftp', proto: PROTO_TCP, client: flow.src, clientPort: null, server: flow.dst, portLo: port, portHi: port, within: WINDOW,
          evidence: `data port ${flow.dst}:${port} announced by FTP 229 (EPSV) reply in flow #${flow.id}` });
      }
    }
  }

  private command(flow: FlowRecord, line: string, announce: (a: Announcement) => void): void {
    let ip: string | null = null;
    let port = 0;
    let verb = '';
    let m = /^PORT\s+(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})/i.exec(line);
    if (m) {
      ip = dotted(m[1]!, m[2]!, m[3]!, m[4]!);
      port = Number(m[5]) * 256 + Number(m[6]);
      verb = 'PORT';
    } else {
      m = /^EPRT\s+(.)([12])\1([^\s|]+)\1(\d{1,5})\1/i.exec(line);
      if (m) {
        ip = canonicalAddress(m[3]!);
        port = Number(m[4]);
        verb = 'EPRT';
      }
    }
    if (ip === null || port <= 0 || port > 65535) return;
    // Active mode: the server connects (from port 20 usually) to the address the client named.
    // EPRT may name the other address family than the control connection's (RFC 2428, a
    // dual-stack client): that address cannot be compared with the client's, so it is not
    // called a bounce outright.
    const otherFamily = ip.includes(':') !== flow.src.includes(':');
    const bounce = ip !== flow.src;
    announce({
      kind: 'ftp', proto: PROTO_TCP, client: flow.dst, clientPort: null, server: ip, portLo: port, portHi: port, within: WINDOW,
      evidence: `data port ${ip}:${port} announced by FTP ${verb} command in flow #${flow.id}`,
      suspicious: !bounce ? undefined
        : otherFamily
          ? `FTP ${verb} in flow #${flow.id} names ${ip}:${port}, an ${ip.includes(':') ? 'IPv6' : 'IPv4'} address on the ` +
            `${flow.src.includes(':') ? 'IPv6' : 'IPv4'} control connection of ${flow.src} (cannot be checked against the client: possible FTP bounce)`
          : `FTP ${verb} in flow #${flow.id} names ${ip}:${port}, not the client ${flow.src} (FTP bounce)`,
    });
  }
}

/**
 * Host numbers as written in 227 and PORT ("010,000,000,005" happens) to the dotted quad the
 * flow table uses, so the announced server matches the data connection's address; null when
 * a number is out of range.
 */
function dotted(a: string, b: string, c: string, d: string): string | null {
  const n = [a, b, c, d].map(Number);
  if (n.some((x) => x > 255)) return null;
  return `${n[0]}.${n[1]}.${n[2]}.${n[3]}`;
}
