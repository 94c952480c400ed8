/**
 * Catalog rules by protocol and port: for a flow's protocol and a port, the rules that may
 * apply to it (its candidate list, in catalog order), and the port's slot, which says whether
 * the rules treat the port as itself or as one of a wide range.
 */
import type { Rule } from '../catalog/types.js';
import { protoNumber } from '../util/proto.js';

/**
 * Ports are indexed one by one when a rule has few; wider ranges (RPC dynamic, "> 1024") are
 * kept in a short list that is scanned. Also what makes a rule "specific" to a port when a
 * near miss is explained (see nearRules in rule-match.ts).
 */
export const WIDE = 1024;

/** One catalog rule as the tables hold it. */
export interface Entry {
  rule: Rule;
  /** Position in the catalog (candidate lists keep catalog order). */
  order: number;
  /** Sentences of the rule's matches per pass and proto/port, built on first use (explain.ts, matched). */
  evidence: Map<number, string>;
}

/**
 * Per protocol: port -> 1 + number of its candidate list, and port -> slot. What a port
 * means to the rules: a port some rule names by itself (or an ICMP type) is its own slot
 * (port + 1); any other port is the slot of its candidate list (minus the list number): every
 * such port matches and misses alike, so they share classifications (their evidence names the
 * port by placeholder).
 */
interface ProtoTables { lists: Uint32Array; slots: Int32Array }

/** A slot as a positive number for cache keys: ports 1..65536, candidate lists above. */
export const slotCode = (slot: number): number => (slot > 0 ? slot : 65_536 - slot);

export class PortTables {
  private readonly exact = new Map<number, Entry[]>(); // key proto * 65536 + port
  private readonly wide = new Map<number, Entry[]>(); // key proto
  private readonly anyProto: Entry[] = [];
  // Merged candidate lists, per protocol and port. Lists are interned by which entries they
  // hold (every ephemeral port of a guessed flow shares the list of the wide ranges it falls
  // in), and a table per protocol maps a port to its list: memory does not grow per port, and
  // a lookup allocates nothing (this runs for every flow classified).
  private readonly candidateLists: Entry[][] = [];
  private readonly listNumbers = new Map<string, number>();
  private readonly tables = new Map<number, ProtoTables>();

  constructor(rules: readonly Rule[]) {
    rules.forEach((rule, order) => {
      const e: Entry = { rule, order, evidence: new Map() };
      const pn = protoNumber(rule.proto);
      if (pn === null) {
        this.anyProto.push(e);
        return;
      }
      for (const r of rule.ports) {
        if (r.hi - r.lo + 1 > WIDE) {
          const l = this.wide.get(pn) ?? [];
          if (!l.includes(e)) l.push(e);
          this.wide.set(pn, l);
        } else {
          for (let p = r.lo; p <= r.hi; p++) {
            const k = pn * 65536 + p;
            const l = this.exact.get(k) ?? [];
            if (!l.includes(e)) l.push(e);
            this.exact.set(k, l);
          }
        }
      }
    });
  }

  /** The rules that may apply to a flow of `proto` on `port`, in catalog order. */
  candidates(proto: number, port: number): Entry[] {
    return this.candidateLists[(this.tables.get(proto) ?? this.build(proto)).lists[port]! - 1]!;
  }

  /** The port's slot (see ProtoTables): > 0 a port rules name, < 0 a stretch of wide ranges. */
  slot(proto: number, port: number): number {
    return (this.tables.get(proto) ?? this.build(proto)).slots[port]!;
  }

  /** 1 + index of the list in candidateLists. */
  private internList(list: Entry[]): number {
    const sig = list.map((e) => e.order).join(',');
    let n = this.listNumbers.get(sig);
    if (n === undefined) {
      this.candidateLists.push(list);
      this.listNumbers.set(sig, (n = this.candidateLists.length));
    }
    return n;
  }

  /**
   * A protocol's tables are built whole, the first time a flow of it is classified: between two
   * bounds of a wide rule's ranges the list is the same, so each stretch is one typed-array
   * fill, and only the ports rules name are merged one by one. (Filled port by port, the first
   * flow on each new ephemeral port merged a list: tens of thousands of merges per capture, in
   * both threads that classify, and V8 compiled that merge into the lookup.)
   */
  private build(proto: number): ProtoTables {
    const lists = new Uint32Array(65_536);
    const slots = new Int32Array(65_536);
    const wideHere = this.wide.get(proto) ?? [];
    const listAt = (port: number, named: readonly Entry[]) => this.internList([
      ...named, ...wideHere.filter((e) => e.rule.ports.some((r) => port >= r.lo && port <= r.hi)), ...this.anyProto,
    ].sort((a, b) => a.order - b.order));
    const bounds = new Set<number>([0, 65_536]);
    for (const e of wideHere) for (const r of e.rule.ports) bounds.add(r.lo).add(r.hi + 1);
    const cuts = [...bounds].filter((b) => b >= 0 && b <= 65_536).sort((a, b) => a - b);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const n = listAt(cuts[i]!, []);
      lists.fill(n, cuts[i]!, cuts[i + 1]!);
      slots.fill(-n, cuts[i]!, cuts[i + 1]!);
    }
    for (const [key, named] of this.exact) {
      if (Math.floor(key / 65_536) !== proto) continue;
      const port = key % 65_536;
      lists[port] = listAt(port, named);
      slots[port] = port + 1;
    }
    for (const e of this.anyProto) {
      for (const r of e.rule.ports) if (r.hi - r.lo + 1 <= WIDE) for (let port = r.lo; port <= r.hi; port++) slots[port] = port + 1;
    }
    const tables = { lists, slots };
    this.tables.set(proto, tables);
    return tables;
  }
}
