import type { FlowRecord } from '../flow/flow-record.js';
import { EpmInspector } from './dcerpc-epm.js';
import { FtpInspector } from './ftp.js';
import type { Announcement, Inspector } from './inspector.js';
import { SqlBrowserInspector } from './sql-browser.js';
import { tftpRequestAnnouncement } from './tftp.js';

export type { Announcement, Inspector } from './inspector.js';

class TftpInspector implements Inspector {
  onPayload(flow: FlowRecord, dir: number, buf: Buffer, off: number, len: number, announce: (a: Announcement) => void): boolean {
    if (dir === 0) {
      const a = tftpRequestAnnouncement(flow, buf, off, len);
      if (a) announce(a);
    }
    return true;
  }
}

/**
 * Which inspector, if any, watches a new flow: chosen by the responder's port, since that is
 * where the announcing services listen. `extraFtpPorts` are ports a catalog marks as FTP.
 */
export function inspectorFor(flow: FlowRecord, extraFtpPorts?: ReadonlySet<number>): Inspector | null {
  if (flow.proto === 6) {
    if (flow.dport === 135) return new EpmInspector();
    if (flow.dport === 21 || extraFtpPorts?.has(flow.dport)) return new FtpInspector();
  } else if (flow.proto === 17) {
    if (flow.dport === 1434) return new SqlBrowserInspector();
    if (flow.dport === 69) return new TftpInspector();
  }
  return null;
}
