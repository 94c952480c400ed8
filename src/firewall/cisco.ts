/**
 * Cisco ASA (8.3 and later) extended access list with object-groups: one network object-group
 * per address group (role), one service object-group per rule, and `remark` lines carrying the
 * rule id, its citation, what the database saw, and why a range is opened. FTP and TFTP data
 * connections are left to `inspect ftp` / `inspect tftp` (the ASA default global_policy).
 */
import { cidrShort, isHost, v4Mask } from './addresses.js';
import { headerLines, ruleComment, skippedLines } from './comments.js';
import { NameTable, safeName } from './names.js';
import { families } from './policy.js';
import type { AllowRule, Cidr, FirewallPolicy } from './types.js';

export const ACL_NAME = 'FLOWAUDIT';
const REMARK_MAX = 100;

function networkObject(c: Cidr): string {
  if (c.family === 6) return ` network-object ${cidrShort(c)}${isHost(c) ? '/128' : ''}`;
  return isHost(c) ? ` network-object host ${cidrShort(c)}` : ` network-object ${cidrShort(c).split('/')[0]} ${v4Mask(c.len)}`;
}

function serviceObjects(r: AllowRule): string[] {
  if (r.proto === 'tcp' || r.proto === 'udp') {
    return r.ports.map((p) => ` service-object ${r.proto} destination ${p.lo === p.hi ? `eq ${p.lo}` : `range ${p.lo} ${p.hi}`}`);
  }
  if (r.proto === 'icmp' || r.proto === 'icmpv6') {
    const kw = r.proto === 'icmp' ? 'icmp' : 'icmp6';
    if (!r.ports.length) return [` service-object ${kw}`];
    return r.ports.flatMap((p) => Array.from({ length: p.hi - p.lo + 1 }, (_, i) => ` service-object ${kw} ${p.lo + i}`));
  }
  return [' service-object ip'];
}

/** Text cut into remark lines of at most 100 characters, at blanks where possible. */
function remarks(text: string): string[] {
  const out: string[] = [];
  let rest = text.trim();
  while (rest.length > REMARK_MAX) {
    let cut = rest.lastIndexOf(' ', REMARK_MAX);
    if (cut < REMARK_MAX / 2) cut = REMARK_MAX;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) out.push(rest);
  return out.map((l) => `access-list ${ACL_NAME} remark ${l}`);
}

export function renderCisco(p: FirewallPolicy): string {
  const nets = new NameTable((key) => `FA-${safeName(key, 60, '.-')}`);
  const svcs = new NameTable((key) => `FA-SVC-${safeName(key, 56, '.-')}`);
  const out: string[] = [...headerLines(p, 'cisco (ASA 8.3+ syntax)').map((l) => `! ${l}`), '!'];
  for (const g of p.groups) {
    out.push(`object-group network ${nets.name(g.key)}`, ` description ${g.title.slice(0, 200)}`);
    for (const c of [...g.v4, ...g.v6]) out.push(networkObject(c));
  }
  out.push('!');
  const aced = p.rules.filter((r) => r.kind !== 'helper');
  for (const r of aced) out.push(`object-group service ${svcs.name(r.id)}`, ` description ${r.title.slice(0, 200)}`, ...serviceObjects(r));
  out.push('!');
  for (const r of p.rules) {
    for (const l of ruleComment(r)) out.push(...remarks(l));
    if (r.kind === 'helper') {
      out.push(...remarks(`  opened by inspect ${r.helper} on ${r.parentId} (ASA default global_policy): no ACE`));
      continue;
    }
    if (r.kind === 'dynamic') out.push(...remarks(`  opens ${r.narrowed ? 'the observed ports of' : 'the whole'} dynamic range ${r.proto} ${r.ports.map((x) => (x.lo === x.hi ? x.lo : `${x.lo}-${x.hi}`)).join(',')}`));
    const fams = families(r);
    const note = fams.length === 2 ? '' : fams[0] === 4 ? ' (IPv4 only)' : ' (IPv6 only)';
    if (note) out.push(...remarks(`  matches${note}`));
    out.push(`access-list ${ACL_NAME} extended permit object-group ${svcs.name(r.id)} object-group ${nets.name(r.src.key)} object-group ${nets.name(r.dst.key)}`);
  }
  const skipped = skippedLines(p);
  if (skipped.length) out.push('!', ...skipped.map((l) => `! ${l}`));
  return out.join('\n') + '\n';
}
