/**
 * What the stored flows say about each rule: how many flows its classification names, first and
 * last seen, and the responder ports they used (for a follow-on, the dynamic ports that were
 * announced and used). Read once from the store; classifications must be current (the pipeline
 * re-classifies stale ones first).
 */
import type { FlowStore } from '../store/types.js';
import type { Observed } from './types.js';

export function observedByRule(store: FlowStore): Map<string, Observed> {
  const acc = new Map<string, { flows: number; first: number; last: number; ports: Set<number> }>();
  for (const f of store.flows({ ordered: false })) {
    const rule = f.classification?.rule;
    if (!rule) continue;
    let a = acc.get(rule);
    if (!a) acc.set(rule, a = { flows: 0, first: f.start, last: f.end, ports: new Set() });
    a.flows++;
    if (f.start < a.first) a.first = f.start;
    if (f.end > a.last) a.last = f.end;
    a.ports.add(f.dport);
  }
  const out = new Map<string, Observed>();
  for (const [rule, a] of acc) out.set(rule, { flows: a.flows, first: a.first, last: a.last, ports: [...a.ports].sort((x, y) => x - y) });
  return out;
}
