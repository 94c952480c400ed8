/**
 * Evaluates one flow against a ruleset, as its first packet: originator -> responder, conntrack
 * state `new`. The packet passes the filter base chains of its path in order (hook, then
 * priority, then file order): prerouting, input for the firewall's own addresses; output,
 * postrouting for what the firewall sends; prerouting, forward, postrouting for the rest. An
 * accept ends one base chain and the packet goes on to the next; a drop or reject ends it all.
 *
 * Three-valued: a rule whose conditions include one the model cannot evaluate (an interface
 * name, an unknown expression) matches when all others hold and one of them is unknown — then
 * the flow's verdict is undetermined at that rule, unless the rule only counts (no verdict).
 * A rule with one condition that is false does not match, whatever the unknown ones say.
 */
import { parseAddressFast } from '../util/ip.js';
import type { FlowKey } from '../flow/flow-record.js';
import {
  CT_NEW, NFPROTO, type Action, type Cond, type Element, type Field, type FwChain, type FwRule, type Hook, type Ruleset, type Verdict,
} from './model.js';

/** The first packet of a flow, in the fields rules look at. */
export interface FlowPacket {
  family: 4 | 6;
  saddr: bigint;
  daddr: bigint;
  l4proto: number;
  sport: number;
  dport: number;
}

export function packetOf(flow: Pick<FlowKey, 'proto' | 'src' | 'sport' | 'dst' | 'dport'>): FlowPacket | null {
  const s = parseAddressFast(flow.src);
  const d = parseAddressFast(flow.dst);
  if (!s || !d || s.family !== d.family) return null;
  return { family: s.family, saddr: s.value, daddr: d.value, l4proto: flow.proto, sport: flow.sport, dport: flow.dport };
}

function fieldValue(p: FlowPacket, f: Field): bigint {
  switch (f) {
    case 'saddr': return p.saddr;
    case 'daddr': return p.daddr;
    case 'l4proto': return BigInt(p.l4proto);
    case 'sport': return BigInt(p.sport);
    case 'dport': return BigInt(p.dport);
    case 'ctstate': return BigInt(CT_NEW);
    case 'nfproto': return BigInt(p.family === 4 ? NFPROTO.ipv4! : NFPROTO.ipv6!);
  }
}

function inElement(values: bigint[], e: Element): boolean {
  if (e.length !== values.length) return false;
  for (let i = 0; i < values.length; i++) if (values[i]! < e[i]!.lo || values[i]! > e[i]!.hi) return false;
  return true;
}

function lookup(p: FlowPacket, fields: Field[], elements: Element[]): number {
  const values = fields.map((f) => fieldValue(p, f));
  return elements.findIndex((e) => inElement(values, e));
}

/** true, false, or the reason it cannot be told. */
function evalCond(c: Cond, p: FlowPacket): boolean | string {
  switch (c.kind) {
    case 'family': return p.family === c.family;
    case 'l4': return c.protos.includes(p.l4proto);
    case 'lookup': return (lookup(p, c.fields, c.elements) >= 0) !== c.negate;
    case 'unknown': return c.reason;
  }
}

/** 'match', 'no', or why it cannot be told (a condition is unknown and none is false). */
export function evalConds(conds: readonly Cond[], p: FlowPacket): 'match' | 'no' | { unknown: string } {
  let unknown: string | null = null;
  for (const c of conds) {
    const r = evalCond(c, p);
    if (r === false) return 'no';
    if (typeof r === 'string' && unknown === null) unknown = r;
  }
  return unknown === null ? 'match' : { unknown };
}

export type FlowVerdict = Verdict | 'undetermined';

export interface Evaluation {
  verdict: FlowVerdict;
  /** How it was decided: a rule, a base chain's policy, no filter chain on the path, or a family the file does not describe. */
  by: 'rule' | 'policy' | 'no-chain' | 'family';
  /** The rule that made the verdict (by 'rule'), else null. */
  rule: FwRule | null;
  /** The chain whose rule or policy decided, else null. */
  chain: FwChain | null;
  /** Why the verdict is undetermined, else null. */
  reason: string | null;
  /** Rules the flow matched on its way (hits), in order. */
  matched: FwRule[];
  /** Rules on its way that could not be evaluated (the deciding one included). */
  unknown: FwRule[];
  /** The hooks of its path. */
  path: Hook[];
}

/** Longest chain of jumps followed before a flow is declared undetermined (a loop). */
const MAX_JUMPS = 256;

export const PATHS: Readonly<Record<'local-in' | 'local-out' | 'forward', Hook[]>> = {
  'local-in': ['prerouting', 'input'],
  'local-out': ['output', 'postrouting'],
  forward: ['prerouting', 'forward', 'postrouting'],
};

export class RulesetEvaluator {
  private readonly chains = new Map<string, FwChain>();
  private readonly baseByHook = new Map<Hook, FwChain[]>();

  constructor(readonly ruleset: Ruleset) {
    for (const c of ruleset.chains) this.chains.set(c.key, c);
    for (const c of ruleset.chains) {
      if (!c.base) continue;
      const list = this.baseByHook.get(c.base.hook) ?? [];
      list.push(c);
      this.baseByHook.set(c.base.hook, list);
    }
    // Stable: equal priorities keep file order.
    for (const list of this.baseByHook.values()) list.sort((a, b) => a.base!.priority - b.base!.priority);
  }

  /** The base chains a packet of this family passes on this path, in order. */
  baseChains(path: readonly Hook[], family: 4 | 6): FwChain[] {
    return path.flatMap((h) => (this.baseByHook.get(h) ?? []).filter((c) => c.families.includes(family)));
  }

  evaluate(p: FlowPacket, path: Hook[]): Evaluation {
    const ev: Evaluation = { verdict: 'accept', by: 'no-chain', rule: null, chain: null, reason: null, matched: [], unknown: [], path };
    if (!this.ruleset.families.includes(p.family)) {
      ev.verdict = 'undetermined';
      ev.by = 'family';
      ev.reason = `the ruleset filters IPv${this.ruleset.families.join('/IPv')} only; this is an IPv${p.family} flow`;
      return ev;
    }
    for (const base of this.baseChains(path, p.family)) {
      this.runBase(base, p, ev);
      if (ev.verdict !== 'accept') break;
    }
    return ev;
  }

  /** Runs one base chain, setting the verdict (accept means: on to the next base chain). */
  private runBase(base: FwChain, p: FlowPacket, ev: Evaluation): void {
    const stack: { chain: FwChain; next: number }[] = [];
    let chain = base;
    let i = 0;
    let jumps = 0;
    const decide = (verdict: FlowVerdict, by: Evaluation['by'], rule: FwRule | null, at: FwChain, reason: string | null = null) => {
      ev.verdict = verdict;
      ev.by = by;
      ev.rule = rule;
      ev.chain = at;
      ev.reason = reason;
    };
    for (;;) {
      if (i >= chain.rules.length) {
        const back = stack.pop();
        if (!back) return decide(base.base!.policy, 'policy', null, base);
        chain = back.chain;
        i = back.next;
        continue;
      }
      const rule = chain.rules[i++]!;
      const r = evalConds(rule.conds, p);
      if (r === 'no') continue;
      if (r !== 'match') {
        ev.unknown.push(rule);
        if (rule.action === null) continue; // it only counts: the outcome does not depend on it
        return decide('undetermined', 'rule', rule, chain, r.unknown);
      }
      let action: Action | null = rule.action;
      if (action?.kind === 'vmap') {
        const at = lookup(p, action.fields, action.entries.map((e) => e.element));
        if (at < 0) continue; // no element: the rule does not match
        action = action.entries[at]!.action;
      }
      ev.matched.push(rule);
      if (action === null) continue;
      switch (action.kind) {
        case 'continue':
          continue;
        case 'accept': case 'drop': case 'reject':
          return decide(action.kind, 'rule', rule, chain);
        case 'return': {
          const back = stack.pop();
          if (!back) return decide(base.base!.policy, 'policy', null, base);
          chain = back.chain;
          i = back.next;
          continue;
        }
        case 'jump': case 'goto': {
          const target = this.chains.get(action.target);
          if (!target) return decide('undetermined', 'rule', rule, chain, `no chain ${action.target}`);
          if (++jumps > MAX_JUMPS) return decide('undetermined', 'rule', rule, chain, `more than ${MAX_JUMPS} jumps: a loop`);
          if (action.kind === 'jump') stack.push({ chain, next: i });
          chain = target;
          i = 0;
          continue;
        }
        case 'vmap':
          return decide('undetermined', 'rule', rule, chain, 'a verdict map whose element is a verdict map');
      }
    }
  }
}
