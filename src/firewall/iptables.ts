/**
 * iptables: an `iptables-restore` file (IPv4). The allow rules sit in a chain FA-ALLOW that
 * INPUT and FORWARD jump to after accepting established and related connections, both with
 * policy DROP; FTP and TFTP control connections get their conntrack helper in the raw table
 * (`-j CT --helper`), which makes the data connections related. Address groups are written out
 * as one rule per source and destination block. IPv6 is left to `--format nftables` (one inet
 * table) and named in the comments.
 */
import { cidrShort } from './addresses.js';
import { headerLines, ruleComment, skippedLines } from './comments.js';
import { families, portsText } from './policy.js';
import type { AllowRule, FirewallPolicy } from './types.js';

const comment = (lines: string[]) => lines.map((l) => `# ${l}`.trimEnd());

/** Port values for -m multiport: at most 15, a range counting as two. */
function multiportChunks(ports: AllowRule['ports']): string[] {
  const chunks: string[] = [];
  let cur: string[] = [];
  let weight = 0;
  for (const p of ports) {
    const w = p.lo === p.hi ? 1 : 2;
    if (weight + w > 15) { chunks.push(cur.join(',')); cur = []; weight = 0; }
    cur.push(p.lo === p.hi ? String(p.lo) : `${p.lo}:${p.hi}`);
    weight += w;
  }
  if (cur.length) chunks.push(cur.join(','));
  return chunks;
}

function serviceMatches(r: AllowRule): string[] {
  if (r.proto === 'tcp' || r.proto === 'udp') {
    if (r.ports.length === 1) {
      const p = r.ports[0]!;
      return [`-p ${r.proto} --dport ${p.lo === p.hi ? p.lo : `${p.lo}:${p.hi}`}`];
    }
    return multiportChunks(r.ports).map((c) => `-p ${r.proto} -m multiport --dports ${c}`);
  }
  if (r.proto === 'icmp') return r.ports.length ? portsText(r.ports).split(',').flatMap((t) => {
    const [lo, hi] = t.split('-').map(Number);
    return Array.from({ length: (hi ?? lo!) - lo! + 1 }, (_, i) => `-p icmp --icmp-type ${lo! + i}`);
  }) : ['-p icmp'];
  return [''];
}

function lines(r: AllowRule, chain: string, target: string): string[] {
  const out: string[] = [];
  for (const s of r.src.v4) {
    for (const d of r.dst.v4) {
      for (const svc of serviceMatches(r)) {
        out.push([`-A ${chain}`, `-s ${cidrShort(s)}`, `-d ${cidrShort(d)}`, svc, `-m comment --comment "${r.id}"`, target].filter(Boolean).join(' '));
      }
    }
  }
  return out;
}

export function renderIptables(p: FirewallPolicy): string {
  const v4 = (r: AllowRule) => families(r).includes(4);
  const out: string[] = [...comment([...headerLines(p, 'iptables'), 'load with: iptables-restore < FILE (IPv4; IPv6 rules: --format nftables)']), ''];
  const helpers = p.helpers.filter((h) => v4(h.rule));
  if (helpers.length) {
    out.push('*raw', ':PREROUTING ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]');
    for (const h of helpers) {
      out.push(...comment([`${h.rule.id}: the ${h.helper} helper opens ${h.followOns.join(', ')}`]));
      for (const chain of ['PREROUTING', 'OUTPUT']) out.push(...lines(h.rule, chain, `-j CT --helper ${h.helper}`));
    }
    out.push('COMMIT', '');
  }
  out.push('*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', ':FA-ALLOW - [0:0]',
    '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-A INPUT -i lo -j ACCEPT',
    '-A INPUT -j FA-ALLOW',
    '-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-A FORWARD -j FA-ALLOW', '');
  for (const r of p.rules) {
    out.push(...comment(ruleComment(r)));
    if (r.kind === 'helper') out.push(`# related to ${r.parentId} through the ${r.helper} helper: accepted as RELATED`);
    else if (!v4(r)) out.push('# IPv6 only: not in this file (use --format nftables)');
    else {
      if (r.src.v6.length && r.dst.v6.length) out.push('# its IPv6 addresses are not in this file (use --format nftables)');
      out.push(...lines(r, 'FA-ALLOW', '-j ACCEPT'));
    }
    out.push('');
  }
  out.push('COMMIT');
  const skipped = skippedLines(p);
  if (skipped.length) out.push('', ...comment(skipped));
  return out.join('\n') + '\n';
}
