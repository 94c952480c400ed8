/**
 * nftables: one complete `table inet flowaudit` file (`nft -f FILE`). Address groups are named
 * interval sets per family; the allow rules sit in one chain that the forward chain (a router
 * between the roles' networks) and the input chain (the file loaded on a host) jump to, both with
 * policy drop and `ct state established,related accept` first. FTP and TFTP follow-ons are
 * opened by conntrack helpers attached to their control connections.
 */
import { cidrShort } from './addresses.js';
import { headerLines, ruleComment, skippedLines } from './comments.js';
import { NameTable, safeName } from './names.js';
import { families, portsText } from './policy.js';
import type { AddressGroup, AllowRule, FirewallPolicy } from './types.js';

const HELPER_OBJECT = { ftp: 'fa-ftp', tftp: 'fa-tftp' } as const;

const comment = (lines: string[], indent: string) => lines.map((l) => `${indent}# ${l}`.trimEnd());

export function renderNftables(p: FirewallPolicy): string {
  const sets = new NameTable((key) => `fa_${safeName(key, 60)}`);
  const setName = (g: AddressGroup, fam: 4 | 6) => `${sets.name(g.key)}_v${fam}`;
  const out: string[] = [...comment(headerLines(p, 'nftables'), ''), '', 'table inet flowaudit {'];

  const helperKinds = [...new Set(p.helpers.map((h) => h.helper))].sort();
  for (const h of helperKinds) {
    out.push(`\tct helper ${HELPER_OBJECT[h]} {`, `\t\ttype "${h}" protocol ${h === 'ftp' ? 'tcp' : 'udp'}`, '\t\tl3proto inet', '\t}', '');
  }

  for (const g of p.groups) {
    for (const fam of [4, 6] as const) {
      const cidrs = fam === 4 ? g.v4 : g.v6;
      if (!cidrs.length) continue;
      out.push(...comment([`${g.key}: ${g.title}`, ...g.notes], '\t'));
      out.push(`\tset ${setName(g, fam)} {`, `\t\ttype ipv${fam}_addr`, '\t\tflags interval');
      out.push(`\t\telements = { ${cidrs.map(cidrShort).join(',\n\t\t\t     ')} }`, '\t}', '');
    }
  }

  if (p.helpers.length) {
    const helperRules = p.helpers.flatMap((h) => [
      ...comment([`${h.rule.id}: the ${h.helper} helper opens ${h.followOns.join(', ')}`], '\t\t'),
      ...families(h.rule).map((fam) => `\t\t${match(h.rule, fam, setName)} ct helper set "${HELPER_OBJECT[h.helper]}"`),
    ]);
    for (const [chain, hook] of [['helpers_in', 'prerouting'], ['helpers_out', 'output']] as const) {
      out.push(`\tchain ${chain} {`, `\t\ttype filter hook ${hook} priority filter; policy accept;`, ...helperRules, '\t}', '');
    }
  }

  out.push('\tchain allow {');
  for (const r of p.rules) {
    out.push(...comment(ruleComment(r), '\t\t'));
    if (r.kind === 'helper') {
      out.push(`\t\t# related to ${r.parentId} through the ${r.helper} helper: accepted by ct state related`, '');
      continue;
    }
    for (const fam of families(r)) out.push(`\t\t${match(r, fam, setName)} accept comment "${r.id}"`);
    out.push('');
  }
  if (out[out.length - 1] === '') out.pop();
  out.push('\t}', '');
  out.push(
    '\tchain forward {',
    '\t\ttype filter hook forward priority filter; policy drop;',
    '\t\tct state established,related accept',
    '\t\tjump allow',
    '\t}',
    '',
    '\t# the same rules for the host the file is loaded on',
    '\tchain input {',
    '\t\ttype filter hook input priority filter; policy drop;',
    '\t\tct state established,related accept',
    '\t\tiif "lo" accept',
    '\t\t# IPv6 neighbour discovery: not a catalog flow, but IPv6 does not work without it',
    '\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } accept',
    '\t\tjump allow',
    '\t}',
    '}',
  );
  const skipped = skippedLines(p);
  if (skipped.length) out.push('', ...comment(skipped, ''));
  return out.join('\n') + '\n';
}

function match(r: AllowRule, fam: 4 | 6, setName: (g: AddressGroup, fam: 4 | 6) => string): string {
  const ip = fam === 4 ? 'ip' : 'ip6';
  const parts = [`${ip} saddr @${setName(r.src, fam)}`, `${ip} daddr @${setName(r.dst, fam)}`];
  const values = (ports: AllowRule['ports']) => {
    const t = portsText(ports).split(',');
    return t.length === 1 ? t[0]! : `{ ${t.join(', ')} }`;
  };
  if (r.proto === 'tcp' || r.proto === 'udp') parts.push(`${r.proto} dport ${values(r.ports)}`);
  else if (r.proto === 'icmp' || r.proto === 'icmpv6') parts.push(r.ports.length ? `${r.proto} type ${values(r.ports)}` : `meta l4proto ${r.proto === 'icmp' ? 'icmp' : 'ipv6-icmp'}`);
  return parts.join(' ');
}
