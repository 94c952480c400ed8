/**
 * Compares our TCP/UDP flows with tshark's conversation rows: same endpoint pair (either
 * order), frames and frame bytes in each direction. Rows with the same endpoints (port reuse)
 * are matched as multisets.
 */
import type { FlowRecord } from '../../src/flow/flow-record.js';
import type { OracleConv } from './corpus.js';

interface Side { key: string; counts: string }

function canon(proto: string, a: string, pa: number, b: string, pb: number, fab: number, bab: number, fba: number, bba: number): Side {
  const ea = `${a}#${pa}`, eb = `${b}#${pb}`;
  if (ea <= eb) return { key: `${proto} ${ea} ${eb}`, counts: `${fab}/${bab} ${fba}/${bba}` };
  return { key: `${proto} ${eb} ${ea}`, counts: `${fba}/${bba} ${fab}/${bab}` };
}

export interface CompareResult {
  total: number;     // oracle conversations
  matched: number;
  missing: string[]; // oracle rows we do not reproduce exactly
  extra: string[];   // our TCP/UDP flows with no oracle row
}

export function compareWithOracle(flows: FlowRecord[], oracle: OracleConv[]): CompareResult {
  const ours = new Map<string, string[]>();
  for (const f of flows) {
    if (f.proto !== 6 && f.proto !== 17) continue;
    const s = canon(f.proto === 6 ? 'tcp' : 'udp', f.src, f.sport, f.dst, f.dport, f.origPackets, f.origBytes, f.respPackets, f.respBytes);
    const l = ours.get(s.key) ?? [];
    l.push(s.counts);
    ours.set(s.key, l);
  }
  let matched = 0;
  const missing: string[] = [];
  for (const o of oracle) {
    const s = canon(o.proto, o.addrA, o.portA, o.addrB, o.portB, o.framesAB, o.bytesAB, o.framesBA, o.bytesBA);
    const l = ours.get(s.key);
    const i = l ? l.indexOf(s.counts) : -1;
    if (l && i >= 0) {
      l.splice(i, 1);
      matched++;
    } else missing.push(`${s.key} want ${s.counts} got ${l && l.length ? l.join(' | ') : 'none'}`);
  }
  const extra: string[] = [];
  for (const [k, l] of ours) for (const c of l) extra.push(`${k} ${c}`);
  return { total: oracle.length, matched, missing, extra };
}
