/**
 * Rule health, "no traffic": the catalog rules this site could have used — one of their
 * from-roles and one of their to-roles have addresses, given by the site file or, for a role
 * the site file does not mention, by the role's catalog default — that no flow matched in the
 * analysed window. A reviewer reads them as permitted paths nobody used, which a firewall could
 * close.
 *
 * - A rule counts as used when a flow matched it or one of its follow-on channels (the RPC
 *   dynamic ports after the endpoint mapper, FTP data, a time window after Altiris 402): the
 *   audit's per-rule `flows` already adds a follow-on's flows to the rule that opens it.
 *   Follow-on channels are not rules of their own here: they exist only after their parent's
 *   flow, so closing the parent closes them.
 * - Flows of any outcome count (refused, unanswered, ignored by the site's ignore list): the
 *   path was tried, so it is in use or wanted.
 * - A rule already reported missing (a required path not seen) is not listed again.
 * - Rules no flow of this site could match are not listed: every port a parameter set to 0
 *   ("not in use"); ICMP between sides without IPv4 hosts (ICMPv6: IPv6); both sides the same
 *   single host.
 */
import type { AddressRange, Catalog, Rule, Site } from '../catalog/types.js';
import { hasPorts } from '../catalog/rule-match.js';
import { roleTitle } from '../catalog/role-title.js';
import type { MissingItem, RuleCheck, UnusedRuleItem } from './types.js';
import { fmtWindowProse, joinOr, midSentence, ruleService } from './format.js';

export interface UnusedRulesInput {
  catalog: Catalog;
  site: Site;
  /** The audit's rules checked, with their flow counts (follow-on flows included). */
  rules: readonly RuleCheck[];
  missing: readonly MissingItem[];
  window: { start: number; end: number } | null;
}

/**
 * The addresses `role` has in this site: the site file's, or else the catalog default's; a
 * default is kept as text (a pseudo-role such as `internet`, or an address expression).
 */
function roleAddresses(catalog: Catalog, site: Site, role: string): { ranges: AddressRange[]; defaults: string[] } {
  const mapped = site.roles.get(role);
  if (mapped !== undefined) return { ranges: mapped, defaults: [] };
  return { ranges: [], defaults: catalog.roles.get(role)?.default ?? [] };
}

/** Whether one side can originate or answer on `proto`: ICMP needs IPv4 hosts, ICMPv6 IPv6 ones. */
function fitsProto(proto: string, side: { ranges: AddressRange[]; defaults: string[] }[]): boolean {
  if (proto !== 'icmp' && proto !== 'icmpv6') return true;
  const family = proto === 'icmp' ? 4 : 6;
  // A default is a pseudo-role or an expression: taken as holding either family.
  return side.some((a) => a.defaults.length > 0 || a.ranges.some((r) => r.family === family));
}

/** The one host both sides consist of, when they do (a rule from a host to itself is no path). */
function sameSingleHost(from: { ranges: AddressRange[]; defaults: string[] }[], to: { ranges: AddressRange[]; defaults: string[] }[]): boolean {
  // Stops at the second host or the first wider range: a side of 500,000 addresses costs two looks.
  const single = (side: { ranges: AddressRange[]; defaults: string[] }[]): string | null => {
    if (side.some((a) => a.defaults.length > 0)) return null;
    let host: string | null = null;
    for (const a of side) {
      for (const r of a.ranges) {
        if (r.lo !== r.hi) return null;
        const h = `${r.family}:${r.lo}`;
        if (host !== null && h !== host) return null;
        host = h;
      }
    }
    return host;
  };
  const f = single(from);
  return f !== null && f === single(to);
}

export function unusedRules(input: UnusedRulesInput): UnusedRuleItem[] {
  const { catalog, site } = input;
  const byId = new Map<string, Rule>(catalog.rules.map((r) => [r.id, r]));
  const missingRules = new Set(input.missing.map((m) => m.rule));
  const when = input.window ? fmtWindowProse(input.window.start, input.window.end) : 'in the analysed traffic';
  const title = (r: string) => midSentence(roleTitle(catalog.roles, r));
  const out: UnusedRuleItem[] = [];
  for (const check of input.rules) {
    if (check.flows > 0 || missingRules.has(check.id)) continue;
    const rule = byId.get(check.id);
    if (!rule) continue;
    if (hasPorts(rule.proto) && rule.ports.length === 0) continue;
    const addrs = (r: string) => roleAddresses(catalog, site, r);
    const from = rule.from.filter((r) => addrs(r).ranges.length + addrs(r).defaults.length > 0);
    const to = rule.to.filter((r) => addrs(r).ranges.length + addrs(r).defaults.length > 0);
    if (from.length === 0 || to.length === 0) continue;
    const fromAddrs = from.map(addrs);
    const toAddrs = to.map(addrs);
    if (!fitsProto(rule.proto, fromAddrs) || !fitsProto(rule.proto, toAddrs) || sameSingleHost(fromAddrs, toAddrs)) continue;
    const arrow = rule.direction === 'both' ? 'and' : 'to';
    out.push({
      rule: check.id,
      product: check.product,
      title: check.title,
      from,
      to,
      proto: check.proto,
      ports: check.ports,
      direction: check.direction,
      required: check.required,
      reason: `no flow ${rule.direction === 'both' ? 'between' : 'from'} ${joinOr(from.map(title))} ${arrow} ${joinOr(to.map(title))} ` +
        `on ${ruleService(rule)} ${when}`,
      source: check.source,
    });
  }
  return out;
}
