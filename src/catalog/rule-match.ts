/**
 * Matching a catalog rule's protocol and ports against a flow: the rule side of "which rules
 * could cover this flow". Rules name protocols as util/proto.ts names them ('ip' for any);
 * flows carry the IP protocol number.
 */
import { protoName } from '../util/proto.js';
import type { PortRange, Proto } from './types.js';

/** True when a flow's protocol is what a rule's protocol names ('ip' means any). */
export function protoMatches(ruleProto: Proto, flowProto: number): boolean {
  return ruleProto === 'ip' || ruleProto === protoName(flowProto);
}

/** Port-less protocols: rules on them match whatever the flow's port fields hold. */
export function hasPorts(proto: Proto): boolean {
  return proto === 'tcp' || proto === 'udp';
}

/** True when the port lies in one of the inclusive ranges. */
export function portInRanges(port: number, ranges: readonly PortRange[]): boolean {
  for (const r of ranges) if (port >= r.lo && port <= r.hi) return true;
  return false;
}
