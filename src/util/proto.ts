/**
 * Protocol number spaces, one named table each: IP protocol numbers, link types, ethertypes,
 * PPP protocol numbers, and the well-known service ports reports name.
 *
 * Numbers are plain `const` exports so the packet path compares against them at no cost
 * (V8 folds them into the comparison); names are tables looked up off the packet path.
 */

// ---------------------------------------------------------------------------------------
// IP protocol numbers (IANA "Assigned Internet Protocol Numbers"; IPv6 next-header values).

export const PROTO_HOPOPT = 0;
export const PROTO_ICMP = 1;
export const PROTO_IGMP = 2;
export const PROTO_IPIP = 4;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_IPV6 = 41;
export const PROTO_IPV6_ROUTE = 43;
export const PROTO_IPV6_FRAG = 44;
export const PROTO_GRE = 47;
export const PROTO_ESP = 50;
export const PROTO_AH = 51;
export const PROTO_ICMPV6 = 58;
export const PROTO_IPV6_NONXT = 59;
export const PROTO_IPV6_OPTS = 60;
export const PROTO_OSPF = 89;
export const PROTO_PIM = 103;
export const PROTO_VRRP = 112;
export const PROTO_SCTP = 132;

/**
 * Names of IP protocols as reports write them (the report contract); a protocol not listed
 * is written "ip-N". Catalog rules name theirs the same way ("tcp", "udp", "icmp", "icmpv6").
 */
export const IP_PROTOCOL_NAMES: Readonly<Record<number, string>> = Object.freeze({
  [PROTO_ICMP]: 'icmp', [PROTO_IGMP]: 'igmp', [PROTO_TCP]: 'tcp', [PROTO_UDP]: 'udp', [PROTO_GRE]: 'gre',
  [PROTO_ESP]: 'esp', [PROTO_AH]: 'ah', [PROTO_ICMPV6]: 'icmpv6', [PROTO_OSPF]: 'ospf', [PROTO_PIM]: 'pim',
  [PROTO_VRRP]: 'vrrp', [PROTO_SCTP]: 'sctp',
});

/** Protocol name for the report contract: "tcp", "udp", "icmp", ... or "ip-N" for the rest. */
export function protoName(proto: number): string {
  return IP_PROTOCOL_NAMES[proto] ?? `ip-${proto}`;
}

const PROTO_NUMBER_OF: ReadonlyMap<string, number> = new Map(
  Object.entries(IP_PROTOCOL_NAMES).map(([n, name]) => [name, Number(n)]),
);

/** Number of a protocol name ("tcp" -> 6, "gre" -> 47); null for "ip" (any protocol) and names not in the table. */
export function protoNumber(name: string): number | null {
  return PROTO_NUMBER_OF.get(name) ?? null;
}

/** The IP protocols catalog rules and site-file ignore entries name. */
const RULE_PROTOCOLS = [PROTO_TCP, PROTO_UDP, PROTO_ICMP, PROTO_ICMPV6] as const;

/** "ICMPv6" from "icmpv6", "TCP" from "tcp": the sentence form of a protocol name. */
function titleOf(name: string): string {
  return name.endsWith('v6') ? `${name.slice(0, -2).toUpperCase()}v6` : name.toUpperCase();
}

const PROTO_TITLES: Readonly<Record<number, string>> = Object.freeze(
  Object.fromEntries(RULE_PROTOCOLS.map((n) => [n, titleOf(IP_PROTOCOL_NAMES[n]!)])),
);

/**
 * A rule protocol as evidence sentences write it: "TCP", "UDP", "ICMP", "ICMPv6"; any other
 * protocol is "IP proto N".
 */
export function protoTitle(proto: number): string {
  return PROTO_TITLES[proto] ?? `IP proto ${proto}`;
}

// ---------------------------------------------------------------------------------------
// Link types (https://www.tcpdump.org/linktypes.html): the capture file's / interface's framing.

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_PPP = 9;
/** DLT_RAW as most BSDs write it into files (LINKTYPE_RAW elsewhere). */
export const DLT_RAW_BSD = 12;
/** DLT_RAW as OpenBSD writes it. */
export const DLT_RAW_OPENBSD = 14;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_IEEE802_11 = 105;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IEEE802_11_RADIOTAP = 127;
export const LINKTYPE_PPI = 192;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_NFLOG = 239;
export const LINKTYPE_NETLINK = 253;
export const LINKTYPE_LINUX_SLL2 = 276;

/** The names tcpdump and libpcap give link types (DLT_ without the prefix), by number. */
export const LINKTYPE_NAMES: Readonly<Record<number, string>> = Object.freeze({
  [LINKTYPE_NULL]: 'NULL', [LINKTYPE_ETHERNET]: 'EN10MB', [LINKTYPE_PPP]: 'PPP', [LINKTYPE_RAW]: 'RAW',
  [LINKTYPE_IEEE802_11]: 'IEEE802_11', [LINKTYPE_LOOP]: 'LOOP', [LINKTYPE_LINUX_SLL]: 'LINUX_SLL',
  [LINKTYPE_IEEE802_11_RADIOTAP]: 'IEEE802_11_RADIO', [LINKTYPE_IPV4]: 'IPV4', [LINKTYPE_IPV6]: 'IPV6',
  [LINKTYPE_NFLOG]: 'NFLOG', [LINKTYPE_NETLINK]: 'NETLINK', [LINKTYPE_LINUX_SLL2]: 'LINUX_SLL2',
});

const LINKTYPE_BY_NAME: ReadonlyMap<string, number> = new Map(
  Object.entries(LINKTYPE_NAMES).map(([n, name]) => [name, Number(n)]),
);

/** Link type number of a tcpdump link-type name ("EN10MB" -> 1); null when not in the table. */
export function linkTypeByName(name: string): number | null {
  return LINKTYPE_BY_NAME.get(name) ?? null;
}

// ---------------------------------------------------------------------------------------
// Ethertypes (IEEE 802 numbers; also GRE protocol types and SLL protocol fields).

export const ETHERTYPE_TEB = 0x6558;
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ERSPAN_III = 0x22eb;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_PPP = 0x880b;
export const ETHERTYPE_WCCP = 0x883e;
export const ETHERTYPE_MPLS = 0x8847;
export const ETHERTYPE_MPLS_MULTICAST = 0x8848;
export const ETHERTYPE_PPPOE_SESSION = 0x8864;
export const ETHERTYPE_QINQ = 0x88a8;
export const ETHERTYPE_ERSPAN_II = 0x88be;
export const ETHERTYPE_PBB = 0x88e7;
export const ETHERTYPE_VNTAG = 0x8926;
export const ETHERTYPE_QINQ_9100 = 0x9100;
export const ETHERTYPE_QINQ_9200 = 0x9200;
/** Values below this are an 802.3 length field, not an ethertype. */
export const ETHERTYPE_MIN = 0x0600;

// PPP protocol numbers (RFC 1661 and successors).
export const PPP_IPV4 = 0x0021;
export const PPP_IPV6 = 0x0057;

// ---------------------------------------------------------------------------------------
// Well-known services: the names reports give a protocol/port (display only).

/** Service names by "proto/port" (protocol as protoName writes it). */
export const SERVICE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  'tcp/20': 'ftp-data', 'tcp/21': 'ftp', 'tcp/22': 'ssh', 'tcp/23': 'telnet', 'tcp/25': 'smtp',
  'udp/53': 'dns', 'tcp/53': 'dns', 'udp/67': 'dhcp', 'udp/68': 'dhcp', 'udp/69': 'tftp',
  'tcp/80': 'http', 'tcp/88': 'kerberos', 'udp/88': 'kerberos', 'udp/123': 'ntp',
  'tcp/135': 'msrpc-epmap', 'udp/137': 'netbios-ns', 'udp/138': 'netbios-dgm', 'tcp/139': 'netbios-ssn',
  'udp/161': 'snmp', 'udp/162': 'snmp-trap', 'tcp/389': 'ldap', 'udp/389': 'cldap', 'tcp/443': 'https',
  'tcp/445': 'smb', 'tcp/464': 'kpasswd', 'udp/514': 'syslog', 'tcp/636': 'ldaps',
  'tcp/1433': 'mssql', 'udp/1434': 'mssql-browser', 'tcp/3268': 'ldap-gc', 'tcp/3269': 'ldaps-gc',
  'tcp/3389': 'rdp', 'tcp/5900': 'vnc', 'tcp/5985': 'winrm', 'tcp/5986': 'winrm-https', 'tcp/7800': 'riverbed-inner',
  'tcp/7810': 'riverbed-inner', 'tcp/8080': 'http-alt', 'tcp/8530': 'wsus', 'tcp/8531': 'wsus-https',
});

/**
 * SERVICE_NAMES by protocol, then port: a report names the service of every unexpected flow,
 * and a "proto/port" key made per call cost more than the lookup.
 */
const SERVICES_BY_PROTO = new Map<string, Map<number, string>>();
for (const [key, name] of Object.entries(SERVICE_NAMES)) {
  const [proto, port] = key.split('/') as [string, string];
  let byPort = SERVICES_BY_PROTO.get(proto);
  if (!byPort) SERVICES_BY_PROTO.set(proto, (byPort = new Map()));
  byPort.set(Number(port), name);
}

/** Name of the service on a protocol ("tcp", "udp", ...) and port, or undefined. */
export function serviceName(proto: string, port: number): string | undefined {
  return SERVICES_BY_PROTO.get(proto)?.get(port);
}
