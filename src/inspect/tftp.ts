/**
 * TFTP (UDP 69): the server answers a read/write request from a new port of its own to the
 * client's source port (RFC 1350). The request itself is the announcement; no payload needed
 * beyond checking the opcode (1 RRQ, 2 WRQ).
 */
import type { FlowRecord } from '../flow/flow-record.js';
import type { Announcement } from './inspector.js';

const WINDOW = 30;

export function tftpRequestAnnouncement(flow: FlowRecord, buf: Buffer, off: number, len: number): Announcement | null {
  if (len < 4 || buf[off] !== 0 || (buf[off + 1] !== 1 && buf[off + 1] !== 2)) return null;
  return {
    kind: 'tftp', proto: 17, client: flow.src, clientPort: flow.sport, server: flow.dst, portLo: 1, portHi: 65535,
    within: WINDOW,
    evidence: `TFTP ${buf[off + 1] === 1 ? 'read' : 'write'} request to ${flow.dst}:69 in flow #${flow.id}; the server answers from a new port`,
  };
}
