/**
 * The site file's ignore entries, and its allow entries (approvals, the same matcher): which
 * one (if any) covers a flow. An entry covers the flow as
 * seen, or, when the originator was guessed, the flow turned round (the originator's port as
 * the service port), as rules do.
 */
import { inRanges, parseAddressFast, type NumericAddress } from '../util/ip.js';
import type { AddressRange, FlowIdentity, IgnoreEntry } from '../catalog/types.js';
import { protoNumber } from '../util/proto.js';
import { servicePort, turnable } from './rule-match.js';

/** No ranges (null) match every address; an address that did not parse matches none. */
const matches = (ranges: AddressRange[] | null, a: NumericAddress | null): boolean => ranges === null || (a !== null && inRanges(a, ranges));

function ignoreMatch(e: IgnoreEntry, proto: number, orig: NumericAddress | null, resp: NumericAddress | null, port: number): boolean {
  if (e.proto !== null && protoNumber(e.proto) !== proto) return false;
  if (e.ports !== null && !e.ports.some((r) => port >= r.lo && port <= r.hi)) return false;
  return matches(e.from, orig) && matches(e.to, resp);
}

export class IgnoreList<E extends IgnoreEntry = IgnoreEntry> {
  /** False when the site file has no such entries (the classifier then skips the lookup). */
  readonly active: boolean;

  constructor(private readonly entries: readonly E[]) {
    this.active = entries.length > 0;
  }

  /** The first entry that covers the flow, or null. */
  match(flow: FlowIdentity): E | null {
    const src = parseAddressFast(flow.src);
    const dst = parseAddressFast(flow.dst);
    for (const e of this.entries) {
      if (ignoreMatch(e, flow.proto, src, dst, servicePort(flow))) return e;
      if (turnable(flow) && ignoreMatch(e, flow.proto, dst, src, flow.sport)) return e;
    }
    return null;
  }
}
