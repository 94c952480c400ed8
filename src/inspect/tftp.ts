/**
 * TFTP (UDP 69): the server answers a read/write request from a new port of its own to the
 * client's source port (RFC 1350). The request itself is the announcement; no payload needed
 * beyond checking the opcode (1 RRQ, 2 WRQ).
 */
import { PROTO_UDP, type FlowRecord } from '../flow/flow-record.js';
import type { Announcement, Inspector } from './inspector.js';

const WINDOW = 30;

export class TftpInspector implements Inspector {
  onPayload(flow: FlowRecord, dir: number, buf: Buffer, off: number, len: number, announce: (a: Announcement) => void): boolean {
    if (dir === 0) {
      const a = tftpRequestAnnouncement(flow, buf, off, len);
      if (a) announce(a);
    }
    return true;
  }
}

export function tftpRequestAnnouncement(flow: FlowRecord, buf: Buffer, off: number, len: number): Announcement | null {
  if (len < 4 || buf[off] !== 0 || (buf[off + 1] !== 1 && buf[off + 1] !== 2)) return null;
  return {
    kind: 'tftp', proto: PROTO_UDP, client: flow.src, clientPort: flow.sport, server: flow.dst, portLo: 1, portHi: 65535,
    within: WINDOW,
    evidence: `TFTP ${buf[off + 1] === 1 ? 'read' : 'write'} request to ${flow.dst}:${flow.dport} in flow #${flow.id}; the server answers from a new port`,
  };
}
