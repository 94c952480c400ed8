/**
 * The protocol tables: names and numbers agree both ways, unnamed numbers fall back to the
 * report contract's "ip-N", and the numbers are the registries' (IANA, tcpdump.org, IEEE).
 */
import { describe, expect, it } from 'vitest';
import * as proto from '../../src/util/proto.js';
import {
  ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_VLAN, IP_PROTOCOL_NAMES, LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL2,
  LINKTYPE_NAMES, LINKTYPE_RAW, PROTO_ICMP, PROTO_ICMPV6, PROTO_SCTP, PROTO_TCP, PROTO_UDP, SERVICE_NAMES,
  linkTypeByName, protoName, protoNumber, protoTitle, serviceName,
} from '../../src/util/proto.js';
import { PROTO_TCP as FLOW_RECORD_TCP } from '../../src/flow/flow-record.js';

/** Every exported number whose name starts with `prefix`. */
function constants(prefix: string): [string, number][] {
  return Object.entries(proto).flatMap(([name, v]) => (name.startsWith(prefix) && typeof v === 'number' ? [[name, v] as [string, number]] : []));
}

describe('IP protocol numbers and names', () => {
  it('are the IANA numbers', () => {
    expect([PROTO_ICMP, PROTO_TCP, PROTO_UDP, PROTO_ICMPV6, PROTO_SCTP]).toEqual([1, 6, 17, 58, 132]);
    expect([proto.PROTO_IGMP, proto.PROTO_IPIP, proto.PROTO_IPV6, proto.PROTO_GRE, proto.PROTO_ESP, proto.PROTO_AH])
      .toEqual([2, 4, 41, 47, 50, 51]);
    expect([proto.PROTO_HOPOPT, proto.PROTO_IPV6_ROUTE, proto.PROTO_IPV6_FRAG, proto.PROTO_IPV6_NONXT, proto.PROTO_IPV6_OPTS])
      .toEqual([0, 43, 44, 59, 60]);
    expect([proto.PROTO_OSPF, proto.PROTO_PIM, proto.PROTO_VRRP]).toEqual([89, 103, 112]);
  });

  it('each number is one constant, and flow-record.ts hands on the same ones', () => {
    const numbers = constants('PROTO_').map(([, n]) => n);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(FLOW_RECORD_TCP).toBe(PROTO_TCP);
  });

  it('names and numbers agree both ways', () => {
    const names = Object.values(IP_PROTOCOL_NAMES);
    expect(new Set(names).size).toBe(names.length);
    for (const [n, name] of Object.entries(IP_PROTOCOL_NAMES)) {
      expect(protoName(Number(n))).toBe(name);
      // Each named protocol has its constant, PROTO_<NAME>.
      expect((proto as Record<string, unknown>)[`PROTO_${name.toUpperCase()}`], name).toBe(Number(n));
    }
    for (const name of names) expect(protoName(protoNumber(name)!)).toBe(name);
    expect(protoNumber('ip')).toBeNull();
    expect(protoNumber('ip-99')).toBeNull();
    expect(protoNumber('TCP')).toBeNull();
  });

  it('writes the report contract names, and "ip-N" for every other number', () => {
    expect([1, 2, 6, 17, 47, 50, 51, 58, 89, 103, 112, 132].map(protoName))
      .toEqual(['icmp', 'igmp', 'tcp', 'udp', 'gre', 'esp', 'ah', 'icmpv6', 'ospf', 'pim', 'vrrp', 'sctp']);
    let unnamed = 0;
    for (let n = 0; n < 256; n++) {
      if (IP_PROTOCOL_NAMES[n] !== undefined) continue;
      expect(protoName(n)).toBe(`ip-${n}`);
      unnamed++;
    }
    expect(unnamed).toBe(256 - 12);
    // Protocols with a constant but no contract name (tunnels, IPv6 extension headers) are "ip-N" too.
    expect([proto.PROTO_IPIP, proto.PROTO_IPV6, proto.PROTO_IPV6_FRAG].map(protoName)).toEqual(['ip-4', 'ip-41', 'ip-44']);
  });

  it('rule protocols: number by name, sentence form from the same names', () => {
    expect(['tcp', 'udp', 'icmp', 'icmpv6', 'gre'].map(protoNumber)).toEqual([6, 17, 1, 58, 47]);
    expect([6, 17, 1, 58].map(protoTitle)).toEqual(['TCP', 'UDP', 'ICMP', 'ICMPv6']);
    expect(protoTitle(47)).toBe('IP proto 47');
    expect(protoTitle(132)).toBe('IP proto 132');
  });
});

describe('link types', () => {
  it('are tcpdump.org\'s numbers, each one constant, each name one number', () => {
    expect([LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LINUX_SLL2]).toEqual([1, 101, 276]);
    expect([proto.LINKTYPE_NULL, proto.LINKTYPE_PPP, proto.LINKTYPE_LOOP, proto.LINKTYPE_LINUX_SLL, proto.LINKTYPE_PPI,
      proto.LINKTYPE_IPV4, proto.LINKTYPE_IPV6, proto.LINKTYPE_NFLOG]).toEqual([0, 9, 108, 113, 192, 228, 229, 239]);
    const numbers = constants('LINKTYPE_').map(([, n]) => n);
    expect(new Set(numbers).size).toBe(numbers.length);
    const names = Object.values(LINKTYPE_NAMES);
    expect(new Set(names).size).toBe(names.length);
  });

  it('names and numbers agree both ways', () => {
    for (const [n, name] of Object.entries(LINKTYPE_NAMES)) expect(linkTypeByName(name)).toBe(Number(n));
    expect(linkTypeByName('EN10MB')).toBe(1);
    expect(linkTypeByName('LINUX_SLL2')).toBe(276);
    expect(linkTypeByName('DOCSIS')).toBeNull();
    expect(linkTypeByName('en10mb')).toBeNull();
  });
});

describe('ethertypes', () => {
  it('are the IEEE numbers, each one constant, all above the 802.3 length range', () => {
    expect([ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_VLAN, proto.ETHERTYPE_QINQ, proto.ETHERTYPE_MPLS])
      .toEqual([0x0800, 0x86dd, 0x8100, 0x88a8, 0x8847]);
    const types = constants('ETHERTYPE_').filter(([k]) => k !== 'ETHERTYPE_MIN');
    expect(new Set(types.map(([, n]) => n)).size).toBe(types.length);
    for (const [k, n] of types) expect(n, k).toBeGreaterThanOrEqual(proto.ETHERTYPE_MIN);
  });
});

describe('service names', () => {
  it('name a protocol and port as reports write the protocol', () => {
    expect(serviceName('tcp', 445)).toBe('smb');
    expect(serviceName('udp', 53)).toBe('dns');
    expect(serviceName('tcp', 53)).toBe('dns');
    expect(serviceName('udp', 445)).toBeUndefined();
    expect(serviceName('tcp', 4011)).toBeUndefined();
    for (const key of Object.keys(SERVICE_NAMES)) {
      const [p, port] = key.split('/');
      expect(protoNumber(p!), key).not.toBeNull();
      expect(Number(port) >= 1 && Number(port) <= 65535, key).toBe(true);
      expect(serviceName(p!, Number(port))).toBe(SERVICE_NAMES[key]);
    }
  });
});
