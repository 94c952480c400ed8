/**
 * Capture devices for `flowaudit interfaces`: the list libpcap offers (`tcpdump -D`, which
 * includes pseudo-devices such as `any`), with addresses from the OS and, on Linux, flags,
 * MTU and link type from /sys/class/net. Works without tcpdump too (then from /sys and the
 * OS alone, and says that capture is unavailable).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import {
  LINKTYPE_ETHERNET, LINKTYPE_IEEE802_11, LINKTYPE_IEEE802_11_RADIOTAP, LINKTYPE_IPV4, LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2, LINKTYPE_NAMES, LINKTYPE_NETLINK, LINKTYPE_NFLOG, LINKTYPE_RAW,
} from '../util/proto.js';
import { findTcpdump } from './live-capture.js';

export interface CaptureDevice {
  name: string;
  description: string | null;
  /** Addresses in CIDR notation (IPv6 link-local with its zone). */
  addresses: string[];
  up: boolean;
  running: boolean;
  loopback: boolean;
  /** Link type tcpdump will use, e.g. "EN10MB" (null when unknown). */
  linkType: string | null;
  /** LINKTYPE_* number of that link type (null when unknown). */
  linkTypeNumber: number | null;
  mtu: number | null;
  /** The kernel's RX drop counters since boot (Linux), to judge a SPAN port before capturing. */
  rxDropped: number | null;
}

export interface InterfaceList {
  devices: CaptureDevice[];
  /** Path of tcpdump, or null: capture is then unavailable. */
  tcpdump: string | null;
}

/** ARPHRD_* (Linux /sys/class/net/IF/type) → the link type libpcap uses for it. */
const ARPHRD_LINKTYPE: Record<number, number> = {
  1: LINKTYPE_ETHERNET, 772: LINKTYPE_ETHERNET, // Ethernet; loopback is presented as Ethernet on Linux
  65534: LINKTYPE_RAW, 768: LINKTYPE_RAW, 769: LINKTYPE_RAW, 776: LINKTYPE_RAW, 823: LINKTYPE_RAW, // none (tun), tunnels
  512: LINKTYPE_LINUX_SLL, 513: LINKTYPE_LINUX_SLL, // PPP, CISCO HDLC
  801: LINKTYPE_IEEE802_11, 803: LINKTYPE_IEEE802_11_RADIOTAP, 824: LINKTYPE_NETLINK,
  778: LINKTYPE_LINUX_SLL, 32: LINKTYPE_LINUX_SLL, 280: LINKTYPE_LINUX_SLL,
};
const PSEUDO_LINKTYPE: Record<string, number> = {
  any: LINKTYPE_LINUX_SLL2, nflog: LINKTYPE_NFLOG, nfqueue: LINKTYPE_IPV4,
};

const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;
const IFF_RUNNING = 0x40;

/** Parses `tcpdump -D`: "3.any (Pseudo-device that captures on all interfaces) [Up, Running]". */
export function parseTcpdumpD(text: string): { name: string; description: string | null; flags: string[] }[] {
  const out: { name: string; description: string | null; flags: string[] }[] = [];
  for (const line of text.split('\n')) {
    const m = /^\d+\.(\S+)(?: \((.*?)\))?(?: \[(.*)\])?\s*$/.exec(line.trim());
    if (!m) continue;
    out.push({ name: m[1]!, description: m[2] ?? null, flags: m[3] ? m[3].split(',').map((f) => f.trim()).filter((f) => f && f !== 'none') : [] });
  }
  return out;
}

function readSys(name: string, file: string): string | null {
  try {
    return readFileSync(`/sys/class/net/${name}/${file}`, 'utf8').trim();
  } catch {
    return null;
  }
}

function cidrOf(a: { address: string; netmask: string; family: string | number; cidr: string | null; scopeid?: number }, name: string): string {
  if (a.cidr) {
    const v6LinkLocal = (a.family === 'IPv6' || a.family === 6) && /^fe80:/i.test(a.address);
    return v6LinkLocal ? a.cidr.replace('/', `%${name}/`) : a.cidr;
  }
  return a.address;
}

export function listInterfaces(): InterfaceList {
  const tcpdump = findTcpdump();
  let listed: { name: string; description: string | null; flags: string[] }[] = [];
  if (tcpdump) {
    const r = spawnSync(tcpdump, ['-D'], { encoding: 'utf8', timeout: 10_000 });
    if (!r.error && r.status === 0) listed = parseTcpdumpD(r.stdout);
  }
  const os = networkInterfaces();
  const sysNames = existsSync('/sys/class/net') ? readdirSync('/sys/class/net') : [];
  const names = [...new Set([...listed.map((d) => d.name), ...sysNames, ...Object.keys(os)])];
  const devices = names.map((name): CaptureDevice => {
    const d = listed.find((x) => x.name === name);
    const flagsHex = readSys(name, 'flags');
    const flags = flagsHex ? Number.parseInt(flagsHex, 16) : null;
    const type = readSys(name, 'type');
    const lt = PSEUDO_LINKTYPE[name] ?? (type !== null ? ARPHRD_LINKTYPE[Number(type)] : undefined);
    const mtu = readSys(name, 'mtu');
    const rxDropped = readSys(name, 'statistics/rx_dropped');
    const addrs = (os[name] ?? []).map((a) => cidrOf(a as Parameters<typeof cidrOf>[0], name));
    const has = (f: string) => d?.flags.some((x) => x.toLowerCase() === f) ?? false;
    return {
      name,
      description: d?.description ?? null,
      addresses: addrs,
      up: flags !== null ? (flags & IFF_UP) !== 0 : has('up'),
      // /sys flags never carry IFF_RUNNING (the kernel derives it from the carrier when asked).
      running: d ? has('running') : readSys(name, 'carrier') === '1' || (flags !== null && (flags & IFF_RUNNING) !== 0),
      loopback: flags !== null ? (flags & IFF_LOOPBACK) !== 0 : has('loopback') || (os[name]?.some((a) => a.internal) ?? false),
      linkType: lt !== undefined ? LINKTYPE_NAMES[lt]! : type !== null ? `ARPHRD ${type}` : null,
      linkTypeNumber: lt ?? null,
      mtu: mtu !== null ? Number(mtu) : null,
      rxDropped: rxDropped !== null ? Number(rxDropped) : null,
    };
  });
  // Real interfaces first (up before down), pseudo-devices (no /sys entry, no address) last.
  const real = (d: CaptureDevice) => sysNames.includes(d.name) || d.addresses.length > 0;
  devices.sort((a, b) => Number(real(b)) - Number(real(a)) || Number(b.up) - Number(a.up) || a.name.localeCompare(b.name));
  return { devices, tcpdump };
}
