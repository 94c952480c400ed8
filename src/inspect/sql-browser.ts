/**
 * SQL Server Browser (UDP 1434, SSRP). A response is 0x05, a 16-bit little-endian length, and
 * "ServerName;S;InstanceName;I;IsClustered;No;Version;V;tcp;NNNN;;" for each instance: the TCP
 * port a named instance listens on, which clients then connect to.
 */
import { PROTO_TCP, type FlowRecord } from '../flow/flow-record.js';
import type { Announcement, Inspector } from './inspector.js';

const WINDOW = 120;

export class SqlBrowserInspector implements Inspector {
  onPayload(flow: FlowRecord, dir: number, buf: Buffer, off: number, len: number, announce: (a: Announcement) => void): boolean {
    if (dir !== 1) return false;
    if (len < 3 || buf[off] !== 0x05) return false;
    const size = buf.readUInt16LE(off + 1);
    const text = buf.toString('latin1', off + 3, off + 3 + Math.min(size, len - 3));
    const instances = text.split(';;');
    for (const inst of instances) {
      const parts = inst.split(';');
      const name = parts[parts.indexOf('InstanceName') + 1] ?? '?';
      const i = parts.findIndex((p) => p.toLowerCase() === 'tcp');
      if (i < 0) continue;
      const port = Number(parts[i + 1]);
      if (!Number.isInteger(port) || port <= 0 || port > 65535) continue;
      announce({
        kind: 'ssrp', proto: PROTO_TCP, client: flow.src, clientPort: null, server: flow.dst, portLo: port, portHi: port, within: WINDOW,
        evidence: `TCP port ${port} of SQL instance ${name} announced by SQL Browser reply in flow #${flow.id}`,
      });
    }
    return true;
  }
}
