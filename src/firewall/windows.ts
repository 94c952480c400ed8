/**
 * Windows Defender Firewall: a PowerShell script of `New-NetFirewallRule` lines, one inbound
 * rule per allow rule, on the responder's side. `-LocalAddress` holds the responder's addresses,
 * so one script can run on every host and each rule applies only where it belongs. The endpoint
 * mapper (TCP 135 with an RPC follow-on) is `-LocalPort RPCEPMap`, the RPC dynamic ports after
 * it `-LocalPort RPC` (the firewall follows the endpoint mapper itself); other dynamic ports are
 * opened as ranges. Outbound traffic is allowed by Windows' default and not written.
 */
import { cidrShort } from './addresses.js';
import { headerLines, ruleComment, skippedLines } from './comments.js';
import { portsText, ruleCitation } from './policy.js';
import type { AllowRule, Cidr, FirewallPolicy } from './types.js';

const GROUP = 'flowaudit';
const q = (s: string) => `'${s.replace(/'/g, "''").replace(/[\u2018\u2019]/g, "''")}'`;
const list = (items: string[]) => items.map(q).join(',');
const comment = (lines: string[]) => lines.map((l) => `# ${l}`.trimEnd());

function protocolArgs(r: AllowRule): string[] {
  switch (r.proto) {
    case 'tcp':
    case 'udp': {
      const proto = r.proto.toUpperCase();
      if (r.rpc === 'epmap') return [`-Protocol ${proto}`, '-LocalPort RPCEPMap'];
      if (r.rpc === 'dynamic' && r.proto === 'tcp') return [`-Protocol ${proto}`, '-LocalPort RPC'];
      return [`-Protocol ${proto}`, `-LocalPort ${list(portsText(r.ports).split(','))}`];
    }
    case 'icmp': return ['-Protocol ICMPv4', ...(r.ports.length ? [`-IcmpType ${list(portsText(r.ports).split(','))}`] : [])];
    case 'icmpv6': return ['-Protocol ICMPv6', ...(r.ports.length ? [`-IcmpType ${list(portsText(r.ports).split(','))}`] : [])];
    case 'ip': return ['-Protocol Any'];
  }
}

const addrs = (cidrs: Cidr[]) => list(cidrs.map(cidrShort));

export function renderWindows(p: FirewallPolicy): string {
  const out: string[] = [
    ...comment([...headerLines(p, 'windows'),
      'run in an elevated PowerShell on each host: a rule applies where its -LocalAddress is a local address;',
      `running it again replaces the rules of group '${GROUP}'`]),
    '',
    `Remove-NetFirewallRule -Group ${q(GROUP)} -ErrorAction SilentlyContinue`,
    '',
  ];
  for (const r of p.rules) {
    out.push(...comment(ruleComment(r)));
    if (r.rpc === 'dynamic' && r.proto === 'tcp') out.push('# -LocalPort RPC: the RPC dynamic ports the endpoint mapper hands out on this host');
    else if (r.helper) out.push(`# Windows Firewall has no ${r.helper} helper for inbound connections: the ports are opened`);
    const src = [...r.src.v4, ...(r.proto === 'icmp' ? [] : r.src.v6)];
    const dst = [...r.dst.v4, ...(r.proto === 'icmp' ? [] : r.dst.v6)];
    const srcF = r.proto === 'icmpv6' ? r.src.v6 : src;
    const dstF = r.proto === 'icmpv6' ? r.dst.v6 : dst;
    out.push([
      'New-NetFirewallRule',
      `-Name ${q(`flowaudit-${r.id}`)}`,
      `-DisplayName ${q(`flowaudit ${r.id}: ${r.title}`)}`,
      `-Group ${q(GROUP)}`,
      '-Direction Inbound -Action Allow',
      ...protocolArgs(r),
      `-LocalAddress ${addrs(dstF)}`,
      `-RemoteAddress ${addrs(srcF)}`,
      `-Description ${q(ruleCitation(r.source))}`,
      '| Out-Null',
    ].join(' '));
    out.push('');
  }
  const skipped = skippedLines(p);
  if (skipped.length) out.push(...comment(skipped));
  return out.join('\n') + '\n';
}
