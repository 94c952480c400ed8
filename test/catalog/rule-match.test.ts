/** A rule's protocol and ports against a flow's protocol number and port. */
import { describe, expect, it } from 'vitest';
import { hasPorts, portInRanges, protoMatches } from '../../src/catalog/rule-match.js';
import { PROTO_GRE, PROTO_ICMP, PROTO_ICMPV6, PROTO_TCP, PROTO_UDP } from '../../src/util/proto.js';

describe('rule protocol and ports', () => {
  it('a rule protocol matches the flows of that protocol only; "ip" matches every protocol', () => {
    expect(protoMatches('tcp', PROTO_TCP)).toBe(true);
    expect(protoMatches('tcp', PROTO_UDP)).toBe(false);
    expect(protoMatches('udp', PROTO_UDP)).toBe(true);
    expect(protoMatches('icmp', PROTO_ICMP)).toBe(true);
    expect(protoMatches('icmp', PROTO_ICMPV6)).toBe(false);
    expect(protoMatches('icmpv6', PROTO_ICMPV6)).toBe(true);
    for (const n of [PROTO_TCP, PROTO_UDP, PROTO_ICMP, PROTO_GRE, 0, 255]) expect(protoMatches('ip', n)).toBe(true);
  });

  it('only TCP and UDP rules have ports', () => {
    expect(['tcp', 'udp', 'icmp', 'icmpv6', 'ip'].map((p) => hasPorts(p as never))).toEqual([true, true, false, false, false]);
  });

  it('a port is in inclusive ranges, none in no range', () => {
    const ranges = [{ lo: 80, hi: 80 }, { lo: 8530, hi: 8531 }, { lo: 49152, hi: 65535 }];
    for (const p of [80, 8530, 8531, 49152, 65535]) expect(portInRanges(p, ranges), String(p)).toBe(true);
    for (const p of [0, 79, 81, 8529, 8532, 49151]) expect(portInRanges(p, ranges), String(p)).toBe(false);
    expect(portInRanges(80, [])).toBe(false);
  });
});
