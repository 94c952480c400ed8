/**
 * The neutral ruleset model both parsers (nft-json.ts, iptables-save.ts) produce and
 * evaluate.ts walks. A rule is a list of conditions that must all hold, and an action.
 *
 * A condition is a lookup of the packet's fields in a set of elements (an element is one
 * interval per field, so a single value, a prefix, a range, an anonymous or named set and a
 * concatenation are all the same thing), a dependency (`ip saddr` implies IPv4, `tcp dport`
 * implies TCP: false, never negated, when the packet is of another kind), or something the
 * model cannot evaluate, with the reason. Nothing the parsers do not understand is dropped:
 * it becomes an `unknown` condition, and the evaluation says so.
 */
import { parseAddressExpr } from '../catalog/address-index.js';

/** Fields of the first packet of a flow that a rule can look at. */
export type Field = 'saddr' | 'daddr' | 'l4proto' | 'sport' | 'dport' | 'ctstate' | 'nfproto';

/** Inclusive bounds; addresses as numbers of their family (the family is a separate condition). */
export interface Interval {
  lo: bigint;
  hi: bigint;
}

/** One set element: an interval per field of the lookup (several for a concatenation). */
export type Element = Interval[];

export type Cond =
  /** The packet is of this address family (false otherwise, whatever a negation says). */
  | { kind: 'family'; family: 4 | 6 }
  /** The packet's transport protocol is one of these (a port match implies it). */
  | { kind: 'l4'; protos: number[] }
  /** The packet's fields, as a tuple, lie in one of the elements (or in none, negated). */
  | { kind: 'lookup'; fields: Field[]; elements: Element[]; negate: boolean }
  /** Something this model cannot evaluate on a captured flow. */
  | { kind: 'unknown'; reason: string };

export type Verdict = 'accept' | 'drop' | 'reject';

export type Action =
  | { kind: Verdict | 'return' | 'continue' }
  | { kind: 'jump' | 'goto'; target: string }
  /** A verdict map: the action of the element the packet's fields lie in; none: the rule does not match. */
  | { kind: 'vmap'; fields: Field[]; entries: { element: Element; action: Action }[] };

export interface FwRule {
  /** Unique in the ruleset: "inet filter input #3", "filter INPUT #2". */
  id: string;
  /** "inet filter" (nft: family and table), "filter" (iptables). */
  table: string;
  chain: string;
  /** 1-based position in its chain. */
  position: number;
  /** nft rule handle, or null. */
  handle: number | null;
  /** Where it is written: "FILE:LINE" (iptables-save) or "FILE: nftables[12]" (nft JSON). */
  where: string;
  /** The rule as people read it. */
  text: string;
  conds: Cond[];
  /** null: the rule has no verdict (counter, log): it only counts. */
  action: Action | null;
}

export type Hook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';
export const HOOKS: readonly Hook[] = ['prerouting', 'input', 'forward', 'output', 'postrouting'];

export interface FwChain {
  /** Unique chain key: table + ' ' + name. */
  key: string;
  table: string;
  name: string;
  /** Address families the chain sees: ip -> [4], ip6 -> [6], inet -> [4, 6]. */
  families: (4 | 6)[];
  /** A base chain of type filter (the only chains packets enter on their own); null for a user chain. */
  base: { hook: Hook; priority: number; policy: Verdict } | null;
  rules: FwRule[];
  /** Where the chain is defined. */
  where: string;
}

export type RulesetType = 'nft-json' | 'iptables-save';
export const RULESET_TYPES: readonly RulesetType[] = ['nft-json', 'iptables-save'];

export interface Ruleset {
  type: RulesetType;
  file: string;
  /** In file order. */
  chains: FwChain[];
  /** Address families the file describes the filtering of (iptables-save: IPv4 or IPv6 only). */
  families: (4 | 6)[];
  /** What the file holds that the check leaves aside (other tables, chains of other types or hooks). */
  ignored: string[];
}

/** ct state bits (nftables' and conntrack's names). A flow is evaluated as its first packet: `new`. */
export const CT_STATES: Readonly<Record<string, number>> = {
  invalid: 1, established: 2, related: 4, new: 8, untracked: 64,
};
export const CT_NEW = 8;
/** nfproto values (meta nfproto). */
export const NFPROTO: Readonly<Record<string, number>> = { ipv4: 2, ipv6: 10 };

/** Transport protocols with ports (`th dport` implies one of them). */
export const PORT_PROTOCOLS = [6, 17, 33, 132, 136];

export function point(v: number | bigint): Interval {
  const b = BigInt(v);
  return { lo: b, hi: b };
}

/**
 * An address, CIDR or range as an interval, read with the site file's parser. Throws an Error
 * saying what is wrong (callers add file and line or JSON path).
 */
export function addressInterval(text: string): { family: 4 | 6; interval: Interval } {
  const r = parseAddressExpr(text);
  return { family: r.family, interval: { lo: r.lo, hi: r.hi } };
}

/** A port 0-65535 from a number or decimal text; null otherwise. */
export function portValue(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,5}$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : null;
}
