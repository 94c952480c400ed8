/**
 * A minimal reader of DCE/RPC endpoint-mapper replies, kept as an independent reference for
 * the ept_map part of src/inspect/dcerpc.ts (DceRpcInspector must announce at least what this
 * announces, with the same evidence, on every corpus capture). It knows nothing of binds,
 * fragments or DCOM.
 *
 * DCE/RPC endpoint mapper (TCP 135). An ept_map request (opnum 3) is answered with protocol
 * towers; a TCP tower's floor 4 holds the port (big-endian) and floor 5 the IPv4 address
 * (0.0.0.0 = the mapper's own host). We join response PDUs split across segments by reading
 * whole PDUs by their frag_length, and read the towers' floors by their encoding:
 *   01 00 07 02 00 <port:2>  01 00 09 04 00 <ipv4:4>   (lhs length, protocol id, rhs length, rhs)
 */
import { PROTO_TCP, PROTO_UDP, type FlowRecord } from '../../src/flow/flow-record.js';
import { BoundedBuffer, type Announcement, type Inspector } from '../../src/inspect/inspector.js';

const PTYPE_REQUEST = 0;
const PTYPE_RESPONSE = 2;
const OPNUM_EPT_MAP = 3;
const LIMIT = 64 * 1024;
const WINDOW = 120; // seconds a mapped port is expected to be used within

export class EpmInspector implements Inspector {
  private streams = [new BoundedBuffer(LIMIT), new BoundedBuffer(LIMIT)];
  private mapCalls = new Set<number>();
  private announced = new Set<string>();

  onPayload(flow: FlowRecord, dir: number, buf: Buffer, off: number, len: number, announce: (a: Announcement) => void): boolean {
    const s = this.streams[dir]!;
    if (!s.push(buf, off, len)) return true;
    for (;;) {
      const data = s.bytes();
      if (data.length < 16) return false;
      if (data[0] !== 5) return true; // not DCE/RPC connection-oriented: stop inspecting
      const little = (data[4]! & 0x10) !== 0;
      const fragLen = little ? data.readUInt16LE(8) : data.readUInt16BE(8);
      if (fragLen < 16) return true;
      if (data.length < fragLen) return false; // wait for the rest of the PDU
      const ptype = data[2]!;
      const callId = little ? data.readUInt32LE(12) : data.readUInt32BE(12);
      if (ptype === PTYPE_REQUEST && dir === 0 && fragLen >= 24) {
        const opnum = little ? data.readUInt16LE(22) : data.readUInt16BE(22);
        if (opnum === OPNUM_EPT_MAP) this.mapCalls.add(callId);
      } else if (ptype === PTYPE_RESPONSE && dir === 1 && this.mapCalls.has(callId)) {
        this.readTowers(flow, data.subarray(24, fragLen), announce);
      }
      s.consume(fragLen);
    }
  }

  private readTowers(flow: FlowRecord, stub: Buffer, announce: (a: Announcement) => void): void {
    for (let i = 0; i + 16 <= stub.length; i++) {
      if (stub[i] !== 0x01 || stub[i + 1] !== 0x00 || stub[i + 3] !== 0x02 || stub[i + 4] !== 0x00) continue;
      const proto = stub[i + 2];
      if (proto !== 0x07 && proto !== 0x08) continue; // TCP or UDP floor
      const j = i + 7;
      if (stub[j] !== 0x01 || stub[j + 1] !== 0x00 || stub[j + 2] !== 0x09 || stub[j + 3] !== 0x04 || stub[j + 4] !== 0x00) continue;
      const port = stub.readUInt16BE(i + 5);
      let ip = `${stub[j + 5]}.${stub[j + 6]}.${stub[j + 7]}.${stub[j + 8]}`;
      if (ip === '0.0.0.0') ip = flow.dst;
      const key = `${proto}/${ip}/${port}`;
      if (port === 0 || this.announced.has(key)) continue;
      this.announced.add(key);
      announce({
        kind: 'epm', proto: proto === 0x07 ? PROTO_TCP : PROTO_UDP, client: flow.src, clientPort: null, server: ip,
        portLo: port, portHi: port, within: WINDOW,
        evidence: `${proto === 0x07 ? 'TCP' : 'UDP'} port ${port} on ${ip} announced by EPM reply in flow #${flow.id}`,
      });
    }
  }
}
