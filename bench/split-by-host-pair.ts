/**
 * Cuts a capture into parts that never split a conversation: a packet goes to part
 * (last byte of source address XOR last byte of destination address) mod N, the same for both
 * directions of a flow and for every flow between the same two hosts (so a DCE/RPC, FTP or SQL
 * Browser announcement and the connection it announces land together). IPv4 and IPv6, with or
 * without an 802.1Q tag; anything else (ARP, ...) goes to part 0. tcpdump does the cutting.
 * As an estate: N sensors, each seeing the host pairs of its own site.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The BPF filter of part `k` of `n` (n a power of two). */
export function hostPairFilter(k: number, n: number): string {
  if (n < 1 || (n & (n - 1)) !== 0 || k < 0 || k >= n) throw new Error(`part ${k} of ${n}: n must be a power of two above k`);
  if (n === 1) return '';
  const m = n - 1;
  // `vlan` (even under `not`) moves every offset after it, in the whole rest of the expression,
  // by the tag's 4 bytes: untagged tests come first, then the same tests again after it; the
  // untagged non-IP test names the tag by its EtherType, which moves nothing.
  const pair = `((ip and ((ip[15] ^ ip[19]) & ${m}) = ${k}) or (ip6 and ((ip6[23] ^ ip6[39]) & ${m}) = ${k}))`;
  if (k > 0) return `${pair} or (vlan and ${pair})`;
  return `(not ip and not ip6 and ether[12:2] != 0x8100) or ${pair} or (vlan and (${pair} or (not ip and not ip6)))`;
}

/** Writes `n` parts of `input` as `${prefix}-${k}-of-${n}.pcap` (kept when present); returns their paths. */
export function splitByHostPair(input: string, prefix: string, n: number): string[] {
  const parts: string[] = [];
  for (let k = 0; k < n; k++) {
    const out = `${prefix}-${k}-of-${n}.pcap`;
    if (!existsSync(out)) {
      // As root, tcpdump would drop to its own user, which may not write here.
      const asRoot = process.getuid?.() === 0 ? ['-Z', 'root'] : [];
      execFileSync('tcpdump', [...asRoot, '-r', input, '-w', `${out}.tmp`, hostPairFilter(k, n)], { stdio: 'ignore' });
      execFileSync('mv', [`${out}.tmp`, out]);
    }
    parts.push(out);
  }
  return parts;
}
