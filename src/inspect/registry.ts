/**
 * Which payload inspector, if any, reads a new flow: chosen by IP protocol and responder port,
 * since that is where the announcing services listen (as Zeek registers its analyzers for
 * well-known ports). Every inspector is registered for its well-known ports; the pipeline adds
 * the ports a catalog marks for it. The lookup runs once per new flow: one Map probe on an
 * integer key.
 */
import { PROTO_TCP, PROTO_UDP, type FlowRecord } from '../flow/flow-record.js';
import { DceRpcInspector } from './dcerpc.js';
import { FtpInspector } from './ftp.js';
import type { Announcement, Inspector } from './inspector.js';
import { SqlBrowserInspector } from './sql-browser.js';
import { TftpInspector } from './tftp.js';

/**
 * An inspector by the kind of announcement it makes, which is also how a catalog names it: a
 * follow-on learned `via: epm` (DCE/RPC endpoint mapper), `ftp`, `ssrp` (SQL Server Browser)
 * or `tftp`.
 */
export type InspectorKind = Announcement['kind'];

export interface InspectorSpec {
  /** IP protocol of the flows it reads. */
  proto: number;
  /** Responder ports it reads without being told. */
  wellKnown: readonly number[];
  create: () => Inspector;
}

/** Every inspector, in the order they are registered (a port keeps the first one registered for it). */
export const INSPECTORS: { readonly [K in InspectorKind]: InspectorSpec } = {
  epm: { proto: PROTO_TCP, wellKnown: [135], create: () => new DceRpcInspector() },
  ftp: { proto: PROTO_TCP, wellKnown: [21], create: () => new FtpInspector() },
  ssrp: { proto: PROTO_UDP, wellKnown: [1434], create: () => new SqlBrowserInspector() },
  tftp: { proto: PROTO_UDP, wellKnown: [69], create: () => new TftpInspector() },
};

const KINDS = Object.keys(INSPECTORS) as InspectorKind[];

/** Responder ports per inspector (on that inspector's protocol). */
export type InspectorPorts = { readonly [K in InspectorKind]?: readonly number[] };

export class InspectorRegistry {
  private readonly factories = new Map<number, () => Inspector>();

  /** Has flows over `proto` to `port` read by what `create` makes, unless the port already has an inspector. */
  register(proto: number, port: number, create: () => Inspector): void {
    if (!Number.isInteger(proto) || proto < 0 || proto > 255 || !Number.isInteger(port) || port < 0 || port > 0xffff) {
      throw new RangeError(`no inspector can be registered for protocol ${proto} port ${port}`);
    }
    const key = proto * 65536 + port;
    if (!this.factories.has(key)) this.factories.set(key, create);
  }

  /** A new inspector for a flow that just started (by its responder port), or null. */
  inspectorFor(flow: Pick<FlowRecord, 'proto' | 'dport'>): Inspector | null {
    const create = this.factories.get(flow.proto * 65536 + flow.dport);
    return create === undefined ? null : create();
  }
}

/**
 * Every inspector on its well-known ports, then on the ports in `extra` (those a catalog
 * marks). A well-known port stays with its own inspector whatever a catalog says.
 */
export function createInspectorRegistry(extra: InspectorPorts = {}): InspectorRegistry {
  const registry = new InspectorRegistry();
  for (const kind of KINDS) {
    const spec = INSPECTORS[kind];
    for (const port of spec.wellKnown) registry.register(spec.proto, port, spec.create);
  }
  for (const kind of KINDS) {
    const spec = INSPECTORS[kind];
    for (const port of extra[kind] ?? []) registry.register(spec.proto, port, spec.create);
  }
  return registry;
}
