/**
 * The neutral allow list: the catalogs' rules as one site applies them. Roles become the
 * site's addresses (address groups), ports are the loader's (site parameters substituted),
 * `both` rules become two rules, follow-ons become rules of their own (helper-followed for FTP
 * and TFTP, a dynamic range for the rest, narrowed to the ports the stored flows used when a
 * database is given). The site file's `ignore` entries are accepted flows, not approved ones:
 * they are not exported.
 *
 * Input is a plain list of AllowEntry: the catalogs' rules (catalogAllowEntries) and, appended
 * by the caller, any further approved flows written in the same shape (roles or address
 * expressions on either side).
 */
import type { Catalog, FollowOn, PortRange, Proto, Site, SourceRef } from '../catalog/types.js';
import { mergeRanges } from '../catalog/catalog-file.js';
import { adviceFor } from './advice.js';
import { AddressGroups } from './addresses.js';
import type { AddressGroup, AllowRule, FirewallPolicy, HelperUse, Observed, SkippedRule } from './types.js';

/** One allowed flow, as a catalog rule states it (a catalog Rule is one). */
export interface AllowEntry {
  id: string;
  title: string;
  /** Role ids, pseudo-roles or address expressions. */
  from: string[];
  to: string[];
  proto: Proto;
  ports: PortRange[];
  portsText: string;
  direction: 'one-way' | 'both';
  then: FollowOn[];
  source: SourceRef;
}

export interface PolicyOptions {
  /** Flow counts per rule id from a database (observed.ts); absent without --db. */
  observed?: Map<string, Observed>;
  /** Export only rules that saw traffic (needs `observed`). */
  onlyObserved?: boolean;
}

/** The catalogs' rules as the allow list's entries, in catalog order. */
export function catalogAllowEntries(catalog: Catalog): AllowEntry[] {
  return catalog.rules;
}

/** Id prefix of the allow-list entries made from the site file's approvals. */
const APPROVAL_PREFIX = 'approved.line-';

/**
 * The site file's approvals (`allow:`) as allow-list entries, in file order: what was reviewed
 * and accepted is allowed too. A side left out is any address; a protocol left out is any
 * protocol; a port left out is every port. Their flows are counted under no catalog rule, so
 * with --db they show no observed count (and --only-observed leaves them out).
 */
export function approvalAllowEntries(site: Site): AllowEntry[] {
  return (site.allow ?? []).map((a) => {
    const proto = a.proto ?? 'ip';
    const ports = a.ports ?? (hasPorts(proto) ? [{ lo: 0, hi: 65535 }] : []);
    const who = [a.by && `by ${a.by}`, a.date && `on ${a.date}`].filter(Boolean).join(' ');
    return {
      id: `${APPROVAL_PREFIX}${a.line}`,
      title: `approved${who ? ` ${who}` : ''}: ${a.reason}`,
      from: a.fromText ?? ['0.0.0.0/0', '::/0'],
      to: a.toText ?? ['0.0.0.0/0', '::/0'],
      proto,
      ports,
      portsText: a.portText ?? (ports.length ? portsText(ports) : ''),
      direction: 'one-way',
      then: [],
      source: { doc: site.file, ref: `allow entry at line ${a.line}${a.rule ? `, approved against ${a.rule}` : ''}` },
    };
  });
}

export const REVERSE_SUFFIX = ':reverse';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** "80,443,8530-8531". */
export function portsText(ports: readonly PortRange[]): string {
  return ports.map((p) => (p.lo === p.hi ? String(p.lo) : `${p.lo}-${p.hi}`)).join(',');
}

/** Address families a rule can be written for: both sides have addresses of it, and the protocol allows it. */
export function families(r: Pick<AllowRule, 'proto' | 'src' | 'dst'>): (4 | 6)[] {
  const out: (4 | 6)[] = [];
  if (r.proto !== 'icmpv6' && r.src.v4.length && r.dst.v4.length) out.push(4);
  if (r.proto !== 'icmp' && r.src.v6.length && r.dst.v6.length) out.push(6);
  return out;
}

const hasPorts = (p: Proto) => p === 'tcp' || p === 'udp';

function ruleCitation(s: SourceRef): string {
  return `${s.doc}${s.title ? ` (${s.title})` : ''}: ${s.ref}`;
}

export { ruleCitation };

function groupLabel(g: AddressGroup): string {
  return g.members.join(', ');
}

export function buildPolicy(entries: readonly AllowEntry[], catalog: Catalog, site: Site, opts: PolicyOptions = {}): FirewallPolicy {
  const groups = new AddressGroups(catalog, site);
  const observed = opts.observed ?? null;
  const rules: AllowRule[] = [];
  const helpers: HelperUse[] = [];
  const skipped: SkippedRule[] = [];
  const obs = (id: string) => (observed ? observed.get(id) ?? { flows: 0, first: 0, last: 0, ports: [] } : null);
  const seen = (o: Observed | null) => !opts.onlyObserved || (o !== null && o.flows > 0);

  for (const e of entries) {
    const from = groups.group(e.from);
    const to = groups.group(e.to);
    const why = unexportable(e.proto, e.ports, e.portsText, from, to);
    if (why) {
      skipped.push({ id: e.id, reason: [why, ...adviceFor(e.id, site)].join('; ') });
      for (const f of e.then) skipped.push({ id: f.id, reason: `follows ${e.id}, which is not exported` });
      continue;
    }
    const o = obs(e.id);
    if (!seen(o)) {
      skipped.push({ id: e.id, reason: 'no flow observed (--only-observed)' });
      for (const f of e.then) skipped.push({ id: f.id, reason: `follows ${e.id}, which is not exported` });
      continue;
    }
    const halves: ('forward' | 'reverse')[] = e.direction === 'both' ? ['forward', 'reverse'] : ['forward'];
    for (const half of halves) {
      const rev = half === 'reverse';
      const notes: string[] = [];
      if (e.direction === 'both') notes.push(`the catalog allows either side to connect (<->): this is the ${rev ? 'second' : 'first'} of two rules${o ? '; the observed counts are for both' : ''}`);
      const parent: AllowRule = {
        id: e.id + (rev ? REVERSE_SUFFIX : ''), ruleId: e.id, parentId: null, title: e.title, proto: e.proto,
        ports: e.ports, configuredPorts: e.ports, narrowed: false,
        src: rev ? to : from, dst: rev ? from : to, orientation: half, kind: 'port', via: null, helper: null,
        rpc: e.proto === 'tcp' && e.ports.length === 1 && e.ports[0]!.lo === 135 && e.ports[0]!.hi === 135 && e.then.some((f) => f.via === 'epm') ? 'epmap' : null,
        source: e.source, observed: o, notes: [...notes, ...pseudoNotes(rev ? to : from, rev ? from : to), ...adviceFor(e.id, site)],
      };
      rules.push(parent);
      const helperFollowOns = new Map<'ftp' | 'tftp', string[]>();
      for (const f of e.then) {
        const fo = obs(f.id);
        if (!seen(fo)) { skipped.push({ id: f.id + (rev ? REVERSE_SUFFIX : ''), reason: 'no flow observed (--only-observed)' }); continue; }
        const flip = rev !== (f.direction === 'reverse');
        const src = flip ? to : from;
        const dst = flip ? from : to;
        if (!f.ports.length) { skipped.push({ id: f.id + (rev ? REVERSE_SUFFIX : ''), reason: `no port: ${f.portsText ?? 'empty range'} resolves to nothing for this site` }); continue; }
        const helper = f.via === 'ftp' || f.via === 'tftp' ? f.via : null;
        const fnotes: string[] = [];
        const range = portsText(f.ports);
        let ports = f.ports;
        let narrowed = false;
        const configured = `${f.proto} ${range}${f.portsText && f.portsText !== range ? ` (${f.portsText})` : ''}`;
        if (helper) {
          fnotes.push(`${f.title ?? f.id}: the ${helper} conntrack helper on ${parent.id} makes these connections related (nftables, iptables;`
            + ` Cisco ASA: inspect ${helper}); Windows Firewall opens ${configured}`);
        } else {
          fnotes.push(`${f.title ?? f.id}: dynamic ports ${f.via === 'window' ? 'no protocol announces (a time window after the parent)' : `announced via ${f.via}`}, configured range ${configured}`);
        }
        if (fo) {
          const used = fo.ports.filter((p) => f.ports.some((r) => p >= r.lo && p <= r.hi));
          if (used.length) {
            ports = mergeRanges(used.map((p) => ({ lo: p, hi: p })));
            narrowed = true;
            fnotes.push(`narrowed to the ${used.length === 1 ? 'port' : `${used.length} ports`} the stored flows ${f.via === 'window' ? 'used' : 'announced and used'}: ${portsText(ports)}`);
          } else fnotes.push('no follow-on flow in the database: the whole configured range');
        }
        if (e.direction === 'both' && fo) fnotes.push('the observed counts are for both directions of the parent');
        rules.push({
          id: f.id + (rev ? REVERSE_SUFFIX : ''), ruleId: f.id, parentId: parent.id, title: f.title ?? f.id, proto: f.proto,
          ports, configuredPorts: f.ports, narrowed, src, dst, orientation: flip ? 'reverse' : 'forward',
          kind: helper ? 'helper' : 'dynamic', via: f.via, helper, rpc: f.via === 'epm' ? 'dynamic' : null,
          source: e.source, observed: fo, notes: [...fnotes, ...pseudoNotes(src, dst), ...adviceFor(f.id, site)],
        });
        if (helper) helperFollowOns.set(helper, [...(helperFollowOns.get(helper) ?? []), f.id]);
      }
      for (const [helper, ids] of [...helperFollowOns].sort((a, b) => byText(a[0], b[0]))) helpers.push({ helper, rule: parent, followOns: ids });
    }
  }

  for (const r of rules) if (!families(r).length) r.notes.push('no address family in common between the two sides');
  const exported = rules.filter((r) => families(r).length);
  for (const r of rules) if (!families(r).length) skipped.push({ id: r.id, reason: `no address family both ${groupLabel(r.src)} and ${groupLabel(r.dst)} have${r.proto.startsWith('icmp') ? ` for ${r.proto}` : ''}` });
  const exportedIds = new Set(exported.map((r) => r.id));
  const rank = new Map<string, string>();
  for (const r of exported) rank.set(r.id, r.parentId ? `${rank.get(r.parentId) ?? r.parentId}\u0001${r.id}` : r.id);
  exported.sort((a, b) => byText(rank.get(a.id)!, rank.get(b.id)!));
  const usedGroups = new Map<string, AddressGroup>();
  for (const r of exported) { usedGroups.set(r.src.key, r.src); usedGroups.set(r.dst.key, r.dst); }

  const approvals = entries.filter((e) => e.id.startsWith(APPROVAL_PREFIX)).length;
  const notes = [
    `site file: ${site.file}`,
    `catalogs: ${catalog.ids.join(', ')}`,
    `${plural(exported.length, 'allow rule')} from ${plural(entries.length - approvals, 'catalog rule')}${approvals ? ` and ${plural(approvals, 'approval')}` : ''}; `
      + (skipped.length ? `${plural(skipped.length, 'rule or follow-on', 'rules or follow-ons')} not exported (listed at the end)` : 'every rule exported'),
  ];
  if (site.ignore.length) notes.push(`the site file's ${site.ignore.length} ignore entr${site.ignore.length === 1 ? 'y is' : 'ies are'} accepted flows, not approved ones: not exported`);
  if (observed) notes.push(`observed flow counts from the database${opts.onlyObserved ? '; only rules that saw traffic are exported' : ''}`);

  return {
    siteFile: site.file, catalogs: catalog.ids, withDb: observed !== null, onlyObserved: !!opts.onlyObserved,
    groups: [...usedGroups.values()].sort((a, b) => byText(a.key, b.key)),
    rules: exported,
    helpers: helpers.filter((h) => exportedIds.has(h.rule.id)).sort((a, b) => byText(a.rule.id + a.helper, b.rule.id + b.helper)),
    skipped: skipped.sort((a, b) => byText(a.id, b.id)),
    notes,
  };
}

function unexportable(proto: Proto, ports: readonly PortRange[], text: string, from: AddressGroup, to: AddressGroup): string | null {
  const empty = [from, to].filter((g) => !g.v4.length && !g.v6.length);
  if (empty.length) return `no addresses in this site for ${empty.map((g) => g.members.join(' or ')).join(' nor ')}`;
  if (hasPorts(proto) && !ports.length) return `no port: ${text} is not in use for this site (parameter 0)`;
  return null;
}

function pseudoNotes(src: AddressGroup, dst: AddressGroup): string[] {
  return [...new Set([...src.notes, ...dst.notes])];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
