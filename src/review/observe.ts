/**
 * What a capture shows of each host, as `site suggest` reads it: which services (protocol and
 * responder port) each host answered and which it asked others for, aggregated per pair of hosts
 * and service. Pure: flows in, edges out.
 */
import { tcpAnswered } from '../flow/tcp-state.js';
import { parseIPv4Fast } from '../util/ip.js';
import { PROTO_ICMP, PROTO_ICMPV6, PROTO_TCP, PROTO_UDP } from '../util/proto.js';
import type { Proto } from '../catalog/types.js';

/** The part of a flow the inference looks at (a stored flow has all of it). */
export interface ObservedFlow {
  proto: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  respPackets: number;
  state: string;
}

/** Every flow from one originator to one responder on one service. */
export interface Edge {
  /** Originator. */
  client: string;
  /** Responder. */
  server: string;
  proto: Proto;
  /** Responder port (tcp, udp), or the ICMP type of the originator's first message. */
  port: number;
  flows: number;
  /** Flows the responder answered (TCP: not refused, not unanswered; UDP/ICMP: it sent something). */
  answered: number;
}

export interface Observations {
  edges: Edge[];
  /** Per host: flows it took part in, and how many of them were answered. */
  hosts: Map<string, { flows: number; answered: number }>;
}

function protoOf(n: number): Proto | null {
  if (n === PROTO_TCP) return 'tcp';
  if (n === PROTO_UDP) return 'udp';
  if (n === PROTO_ICMP) return 'icmp';
  if (n === PROTO_ICMPV6) return 'icmpv6';
  return null;
}

/** Aggregates flows into edges (sorted, so that what follows is deterministic). */
export function observe(flows: Iterable<ObservedFlow>): Observations {
  const byKey = new Map<string, Edge>();
  const hosts = new Map<string, { flows: number; answered: number }>();
  for (const f of flows) {
    const proto = protoOf(f.proto);
    if (proto === null) continue;
    const port = proto === 'tcp' || proto === 'udp' ? f.dport : f.sport;
    const answered = proto === 'tcp' ? tcpAnswered(f) : f.respPackets > 0;
    const key = `${proto} ${f.src} ${f.dst} ${port}`;
    let e = byKey.get(key);
    if (!e) byKey.set(key, e = { client: f.src, server: f.dst, proto, port, flows: 0, answered: 0 });
    e.flows++;
    if (answered) e.answered++;
    for (const h of [f.src, f.dst]) {
      let c = hosts.get(h);
      if (!c) hosts.set(h, c = { flows: 0, answered: 0 });
      c.flows++;
      if (answered) c.answered++;
    }
  }
  const edges = [...byKey.values()].sort((a, b) => compareAddr(a.client, b.client) || compareAddr(a.server, b.server)
    || a.proto.localeCompare(b.proto) || a.port - b.port);
  return { edges, hosts };
}

/** Address order: IPv4 numerically before IPv6 text. */
export function compareAddr(a: string, b: string): number {
  const na = v4Number(a);
  const nb = v4Number(b);
  if (na !== null && nb !== null) return na - nb;
  if (na !== null) return -1;
  if (nb !== null) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An IPv4 address as an unsigned number, or null for anything else. */
export function v4Number(a: string): number | null {
  const n = parseIPv4Fast(a);
  return n < 0 ? null : n;
}
