/** The comment every renderer writes above a rule: id, citation, what the database saw, notes. */
import { isoTime } from '../audit/format.js';
import { portsText, ruleCitation } from './policy.js';
import type { AllowRule, FirewallPolicy } from './types.js';

export function observedText(r: AllowRule): string | null {
  if (!r.observed) return null;
  const o = r.observed;
  if (!o.flows) return 'observed: no flow in the database';
  return `observed: ${o.flows} flow${o.flows === 1 ? '' : 's'}, first ${isoTime(o.first)}, last ${isoTime(o.last)}`;
}

export function serviceText(r: Pick<AllowRule, 'proto' | 'ports'>): string {
  if (r.proto === 'ip') return 'any protocol';
  if (r.proto === 'icmp' || r.proto === 'icmpv6') return `${r.proto}${r.ports.length ? ` type ${portsText(r.ports)}` : ''}`;
  return `${r.proto} ${portsText(r.ports)}`;
}

/** Comment lines (without the comment marker) for one rule. */
export function ruleComment(r: AllowRule): string[] {
  const lines = [
    `${r.id}: ${r.title}`,
    `  ${r.src.key} -> ${r.dst.key}, ${serviceText(r)}${r.parentId ? ` (follows ${r.parentId})` : ''}`,
    `  source: ${ruleCitation(r.source)}`,
  ];
  const o = observedText(r);
  if (o) lines.push(`  ${o}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines;
}

/** The header (what was exported from what) and the list of what was not exported. */
export function headerLines(p: FirewallPolicy, format: string): string[] {
  return [`flowaudit firewall export --format ${format}`, ...p.notes];
}

export function skippedLines(p: FirewallPolicy): string[] {
  if (!p.skipped.length) return [];
  return ['not exported:', ...p.skipped.map((s) => `  ${s.id}: ${s.reason}`)];
}
