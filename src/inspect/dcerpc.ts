/**
 * DCE/RPC on the endpoint-mapper port (TCP 135): every way a client learns the dynamic port it
 * connects to next.
 *
 *  - Endpoint mapper (e1af8308-5d1f-11c9-91a4-08002b14a0fa): ept_map (opnum 3) and ept_lookup
 *    (opnum 2) replies carry protocol towers; a TCP/UDP tower's floor 4 holds the port
 *    (big-endian) and floor 5 the IPv4 address (0.0.0.0 = the mapper's own host):
 *      01 00 07 02 00 <port:2>  01 00 09 04 00 <ipv4:4>   (lhs length, protocol id, rhs length, rhs)
 *    Towers are octet strings: their encoding does not depend on the PDU's data representation.
 *  - DCOM activation, which is how WMI/DCOM clients (SCCM console to SMS Provider, site server
 *    to site systems, 1E) reach "RPC dynamic": the reply names the object exporter's string
 *    bindings ("host[port]") in a DUALSTRINGARRAY (MS-DCOM 2.2.19):
 *      IRemoteSCMActivator (000001a0-0000-0000-c000-000000000046) RemoteGetClassObject (3),
 *        RemoteCreateInstance (4): in the activation properties, ScmReplyInfoData.pdsaOxidBindings;
 *      IActivation (4d9f4ab8-7d1c-11cf-861e-0020af6e7c57) RemoteActivation (0): ppdsaOxidBindings;
 *      IObjectExporter (99fcfec4-5260-101b-bbcb-00aa0021347a) ResolveOxid (0), ResolveOxid2 (4):
 *        ppdsaOxidBindings.
 *
 * The interface of a call comes from the presentation context it names, which the bind /
 * alter_context PDUs establish (accepted results only). A context never seen bound (a capture
 * that starts mid-association) is read as the endpoint mapper's, as most port-135 traffic is.
 *
 * PDUs are read whole, by frag_length, from a bounded buffer per direction; a reply in several
 * fragments (PFC_FIRST_FRAG / PFC_LAST_FRAG) is joined per call_id up to a bounded size. NDR
 * integers are read in the byte order of the PDU's data representation (drep byte 0 bit 0x10 =
 * little-endian), and inside the activation properties in the order that each type
 * serialization header declares (MS-RPCE 2.2.6.1).
 *
 * The DUALSTRINGARRAY is found by its structure rather than by walking each reply's NDR: the
 * conformance (u32) equals wNumEntries (u16), wSecurityOffset lies inside the array, the string
 * bindings are tower id + printable UTF-16 text, end exactly at the security offset with an empty
 * entry. This is done only in replies to the calls above, so an unrelated reply never announces.
 */
import type { FlowRecord } from '../flow/flow-record.js';
import { PROTO_TCP, PROTO_UDP, protoTitle } from '../util/proto.js';
import { canonicalAddress } from '../util/ip.js';
import { BoundedBuffer, type Announcement, type Inspector } from './inspector.js';

const PTYPE_REQUEST = 0;
const PTYPE_RESPONSE = 2;
const PTYPE_FAULT = 3;
const PTYPE_BIND = 11;
const PTYPE_BIND_ACK = 12;
const PTYPE_ALTER_CONTEXT = 14;
const PTYPE_ALTER_CONTEXT_RESP = 15;
const PFC_FIRST_FRAG = 0x01;
const PFC_LAST_FRAG = 0x02;
const PFC_OBJECT_UUID = 0x80;

/** Bytes buffered per direction while a PDU is incomplete (as the endpoint-mapper inspector). */
const LIMIT = 64 * 1024;
/** Bytes read per direction before giving up on a connection. */
const BUDGET = 1024 * 1024;
/** Largest reply stub joined from fragments. */
const STUB_LIMIT = 64 * 1024;
/** Calls and contexts remembered per connection. */
const MAX_CALLS = 64;
const MAX_CONTEXTS = 32;
const WINDOW = 120; // seconds an announced port is expected to be used within

const EPM = 'e1af8308-5d1f-11c9-91a4-08002b14a0fa';
const IREMOTESCMACTIVATOR = '000001a0-0000-0000-c000-000000000046';
const IACTIVATION = '4d9f4ab8-7d1c-11cf-861e-0020af6e7c57';
const IOBJECTEXPORTER = '99fcfec4-5260-101b-bbcb-00aa0021347a';

/** The calls whose replies name endpoints. */
const enum Op {
  EptMap = 1,
  EptLookup,
  RemoteGetClassObject,
  RemoteCreateInstance,
  RemoteActivation,
  ResolveOxid,
  ResolveOxid2,
}

const OP_NAME: Record<Op, string> = {
  [Op.EptMap]: 'ept_map',
  [Op.EptLookup]: 'ept_lookup',
  [Op.RemoteGetClassObject]: 'RemoteGetClassObject',
  [Op.RemoteCreateInstance]: 'RemoteCreateInstance',
  [Op.RemoteActivation]: 'RemoteActivation',
  [Op.ResolveOxid]: 'ResolveOxid',
  [Op.ResolveOxid2]: 'ResolveOxid2',
};

/** Which call an (interface, opnum) is; interface null = context never seen bound. */
function operation(iface: string | null, opnum: number): Op | null {
  switch (iface) {
    case null:
    case EPM:
      return opnum === 3 ? Op.EptMap : opnum === 2 ? Op.EptLookup : null;
    case IREMOTESCMACTIVATOR:
      return opnum === 4 ? Op.RemoteCreateInstance : opnum === 3 ? Op.RemoteGetClassObject : null;
    case IACTIVATION:
      return opnum === 0 ? Op.RemoteActivation : null;
    case IOBJECTEXPORTER:
      return opnum === 4 ? Op.ResolveOxid2 : opnum === 0 ? Op.ResolveOxid : null;
    default:
      return null;
  }
}

/** A reply being joined from fragments. */
interface Joining {
  parts: Buffer[];
  size: number;
  little: boolean;
}

function u16(b: Buffer, o: number, little: boolean): number {
  return little ? b.readUInt16LE(o) : b.readUInt16BE(o);
}

function u32(b: Buffer, o: number, little: boolean): number {
  return little ? b.readUInt32LE(o) : b.readUInt32BE(o);
}

/** An NDR uuid_t (u32, u16, u16, 8 bytes) in the given byte order, as lower-case text. */
function uuidAt(b: Buffer, o: number, little: boolean): string {
  const h = (n: number, w: number) => n.toString(16).padStart(w, '0');
  const tail = b.toString('hex', o + 8, o + 16);
  return `${h(u32(b, o, little), 8)}-${h(u16(b, o + 4, little), 4)}-${h(u16(b, o + 6, little), 4)}-${tail.slice(0, 4)}-${tail.slice(4)}`;
}

export class DceRpcInspector implements Inspector {
  private readonly streams = [new BoundedBuffer(LIMIT), new BoundedBuffer(LIMIT)];
  private readonly seen = [0, 0];
  /** Accepted presentation contexts: context id -> interface UUID. */
  private readonly contexts = new Map<number, string>();
  /** Contexts proposed by a bind / alter_context, by its call_id, until the ack answers. */
  private readonly proposed = new Map<number, Array<[number, string]>>();
  /** Outstanding calls whose replies can announce: call_id -> operation. */
  private readonly calls = new Map<number, Op>();
  private readonly partial = new Map<number, Joining>();
  private readonly announced = new Set<string>();

  onPayload(flow: FlowRecord, dir: number, buf: Buffer, off: number, len: number, announce: (a: Announcement) => void): boolean {
    const s = this.streams[dir]!;
    this.seen[dir]! += len;
    if (this.seen[dir]! > BUDGET) return true;
    if (!s.push(buf, off, len)) return true;
    for (;;) {
      const data = s.bytes();
      if (data.length < 16) return false;
      if (data[0] !== 5 || data[1]! > 1) return true; // not connection-oriented DCE/RPC: stop inspecting
      const little = (data[4]! & 0x10) !== 0;
      const fragLen = u16(data, 8, little);
      if (fragLen < 16 || fragLen > LIMIT) return true;
      if (data.length < fragLen) return false; // wait for the rest of the PDU
      this.pdu(flow, dir, data, fragLen, little, announce);
      s.consume(fragLen);
    }
  }

  private pdu(flow: FlowRecord, dir: number, data: Buffer, fragLen: number, little: boolean, announce: (a: Announcement) => void): void {
    const ptype = data[2]!;
    const flags = data[3]!;
    const callId = u32(data, 12, little);
    if (dir === 0) {
      if (ptype === PTYPE_REQUEST && fragLen >= 24) {
        if (!(flags & PFC_FIRST_FRAG)) return;
        const ctx = u16(data, 20, little);
        const op = operation(this.contexts.get(ctx) ?? this.proposedFor(ctx), u16(data, 22, little));
        if (op === null) {
          this.calls.delete(callId);
        } else {
          if (this.calls.size >= MAX_CALLS) this.calls.clear();
          this.calls.set(callId, op);
        }
      } else if (ptype === PTYPE_BIND || ptype === PTYPE_ALTER_CONTEXT) {
        this.readBind(data, fragLen, little, callId);
      }
      return;
    }
    if (ptype === PTYPE_BIND_ACK || ptype === PTYPE_ALTER_CONTEXT_RESP) {
      this.readBindAck(data, fragLen, little, callId);
      return;
    }
    if (ptype === PTYPE_FAULT) {
      this.calls.delete(callId);
      this.partial.delete(callId);
      return;
    }
    if (ptype !== PTYPE_RESPONSE || fragLen < 24) return;
    const op = this.calls.get(callId);
    if (op === undefined) return;
    const authLen = u16(data, 10, little);
    let end = fragLen - (authLen > 0 ? authLen + 8 : 0);
    if (end < 24) end = fragLen;
    const stub = data.subarray(24, end);
    const first = (flags & PFC_FIRST_FRAG) !== 0;
    const last = (flags & PFC_LAST_FRAG) !== 0;
    const epm = op === Op.EptMap || op === Op.EptLookup;
    // Towers are read in every fragment as it comes (a reply whose last fragment is never seen
    // still names its first towers), and again in the joined reply for a tower cut in two.
    if (epm) this.readTowers(flow, op, stub, announce);
    if (first && last) {
      this.calls.delete(callId);
      this.partial.delete(callId);
      if (!epm) this.readDcom(flow, op, stub, little, announce);
      return;
    }
    let p = this.partial.get(callId);
    if (first || !p) {
      if (!first) return; // a middle fragment whose start was not seen
      p = { parts: [], size: 0, little };
      this.partial.set(callId, p);
    }
    if (p.size + stub.length > STUB_LIMIT) {
      this.partial.delete(callId);
      this.calls.delete(callId);
      return;
    }
    p.parts.push(Buffer.from(stub));
    p.size += stub.length;
    if (!last) return;
    this.partial.delete(callId);
    this.calls.delete(callId);
    const whole = Buffer.concat(p.parts, p.size);
    if (epm) this.readTowers(flow, op, whole, announce);
    else this.readDcom(flow, op, whole, p.little, announce);
  }

  private proposedFor(ctx: number): string | null {
    for (const list of this.proposed.values()) for (const [id, iface] of list) if (id === ctx) return iface;
    return null;
  }

  /** bind / alter_context: p_cont_list of (context id, n transfer syntaxes, abstract syntax, transfer syntaxes). */
  private readBind(data: Buffer, fragLen: number, little: boolean, callId: number): void {
    if (fragLen < 28) return;
    const n = data[24]!;
    const list: Array<[number, string]> = [];
    let o = 28;
    for (let i = 0; i < n && o + 24 <= fragLen; i++) {
      const id = u16(data, o, little);
      const nTransfer = data[o + 2]!;
      list.push([id, uuidAt(data, o + 4, little)]);
      o += 24 + 20 * nTransfer;
    }
    if (this.proposed.size >= MAX_CONTEXTS) this.proposed.clear();
    this.proposed.set(callId, list);
  }

  /** bind_ack / alter_context_resp: secondary address, pad to 4, p_result_list in proposal order. */
  private readBindAck(data: Buffer, fragLen: number, little: boolean, callId: number): void {
    const list = this.proposed.get(callId);
    this.proposed.delete(callId);
    if (!list || fragLen < 26) return;
    let o = 26 + u16(data, 24, little);
    o = (o + 3) & ~3;
    if (o + 4 > fragLen) return;
    const n = data[o]!;
    o += 4;
    for (let i = 0; i < n && i < list.length && o + 24 <= fragLen; i++, o += 24) {
      const [id, iface] = list[i]!;
      if (u16(data, o, little) !== 0) continue; // not accepted
      if (this.contexts.size >= MAX_CONTEXTS && !this.contexts.has(id)) this.contexts.clear();
      this.contexts.set(id, iface);
    }
  }

  private readTowers(flow: FlowRecord, op: Op, stub: Buffer, announce: (a: Announcement) => void): void {
    const by = op === Op.EptMap ? 'EPM reply' : 'EPM ept_lookup reply';
    for (let i = 0; i + 16 <= stub.length; i++) {
      if (stub[i] !== 0x01 || stub[i + 1] !== 0x00 || stub[i + 3] !== 0x02 || stub[i + 4] !== 0x00) continue;
      const proto = stub[i + 2];
      if (proto !== 0x07 && proto !== 0x08) continue; // TCP or UDP floor
      const j = i + 7;
      if (stub[j] !== 0x01 || stub[j + 1] !== 0x00 || stub[j + 2] !== 0x09 || stub[j + 3] !== 0x04 || stub[j + 4] !== 0x00) continue;
      const port = stub.readUInt16BE(i + 5);
      let ip = `${stub[j + 5]}.${stub[j + 6]}.${stub[j + 7]}.${stub[j + 8]}`;
      if (ip === '0.0.0.0') ip = flow.dst;
      this.emit(flow, proto === 0x07 ? PROTO_TCP : PROTO_UDP, ip, port, by, announce);
    }
  }

  /**
   * The string bindings of the DUALSTRINGARRAY(s) in a DCOM reply. In activation replies the
   * bindings sit in type-serialized properties whose common header (01, endianness 0x10 / 0x00,
   * length 8) gives the byte order of what follows it.
   */
  private readDcom(flow: FlowRecord, op: Op, stub: Buffer, little: boolean, announce: (a: Announcement) => void): void {
    const serialized = op === Op.RemoteCreateInstance || op === Op.RemoteGetClassObject;
    let order = little;
    for (let i = 0; i + 8 <= stub.length; i += 2) {
      if (serialized && stub[i] === 0x01 && (stub[i + 1] === 0x10 || stub[i + 1] === 0x00) && stub[i + 3] === 0x00 && stub[i + 2] === 0x08) {
        order = stub[i + 1] === 0x10;
        continue;
      }
      const n = u16(stub, i + 4, order);
      if (n < 4 || u32(stub, i, order) !== n) continue;
      const base = i + 8;
      if (base + 2 * n > stub.length) continue;
      const sec = u16(stub, i + 6, order);
      if (sec < 2 || sec >= n) continue;
      if (this.readBindings(flow, op, stub, base, sec, order, announce)) i = base + 2 * n - 2;
    }
  }

  /**
   * Validates the string bindings of a DUALSTRINGARRAY (u16 array at `base`, security offset
   * `sec`): each a nonzero tower id, printable text and a NUL, the last one followed by the empty
   * entry at sec - 1. Announces the ncacn_ip_tcp (0x07) bindings that name a port; returns false,
   * announcing nothing, when the array does not parse.
   */
  private readBindings(flow: FlowRecord, op: Op, stub: Buffer, base: number, sec: number, little: boolean, announce: (a: Announcement) => void): boolean {
    const at = (k: number) => u16(stub, base + 2 * k, little);
    let k = 0;
    let count = 0;
    while (k < sec - 1) {
      const tower = at(k++);
      if (tower === 0) return false;
      const start = k;
      while (k < sec - 1 && at(k) !== 0) {
        const c = at(k);
        if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) return false;
        k++;
      }
      if (k >= sec - 1 || k === start) return false; // no NUL before the end entry, or empty text
      k++;
      count++;
    }
    if (count === 0 || k !== sec - 1 || at(k) !== 0) return false;
    // Valid: announce the TCP bindings with a port.
    k = 0;
    while (k < sec - 1) {
      const tower = at(k++);
      let text = '';
      while (at(k) !== 0) text += String.fromCharCode(at(k++));
      k++;
      if (tower !== 0x07) continue;
      const m = /^(.+)\[(\d{1,5})\]$/.exec(text);
      if (!m) continue;
      const port = Number(m[2]);
      if (port < 1 || port > 65535) continue;
      const host = m[1]!.replace(/%[^%]*$/, ''); // an IPv6 zone index names no other host
      const addr = canonicalAddress(host);
      const server = addr === null || addr === '0.0.0.0' || addr === '::' ? flow.dst : addr;
      this.emit(flow, PROTO_TCP, server, port, `DCOM ${OP_NAME[op]} reply`, announce);
    }
    return true;
  }

  private emit(flow: FlowRecord, proto: number, server: string, port: number, by: string, announce: (a: Announcement) => void): void {
    const key = `${proto}/${server}/${port}`;
    if (port === 0 || this.announced.has(key)) return;
    this.announced.add(key);
    announce({
      kind: 'epm', proto, client: flow.src, clientPort: null, server,
      portLo: port, portHi: port, within: WINDOW,
      evidence: `${protoTitle(proto)} port ${port} on ${server} announced by ${by} in flow #${flow.id}`,
    });
  }
}
