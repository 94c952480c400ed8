/**
 * What changed between two audits of the same estate (`flowaudit diff OLD NEW`, and the HTML
 * report's "Changes since" section): findings that are new, resolved or persisting, missing
 * services that appeared or went away, WAN-cache status changes, and rules whose flow counts
 * changed by a factor.
 *
 * Findings are matched by what a reviewer calls "the same finding", never by flow id, address
 * of a client or ephemeral port: the finding group's section, kind, the role (or site) labels of
 * both ends, the service (protocol and responder port; a port scan and a time-window group as a
 * whole), the rule, and for WAN-cache groups the server. The findings compared are the
 * unexpected groups and the WAN-cache groups that need action (violation, must-not-cache);
 * missing paths are compared per rule and destination, with the declared hosts nobody reached,
 * under `missing`; every WAN-cache status (cacheable included) under `wanCache`. Flows only a
 * time window allows are not findings and are not compared.
 */
import type { FindingGroup, MissingItem, RuleCheck, SilentHostItem, Summary, WanCacheStatus } from '../audit/types.js';

/** What the diff reads of a report: an AuditResult, or a JSON report parsed back (review/read-report.ts). */
export interface DiffableReport {
  summary: Pick<Summary, 'verdict' | 'clean' | 'generatedAt' | 'siteHash' | 'catalogHash' | 'siteFile' | 'catalogs'> & { window: { start: number; end: number; text: string } | null };
  missing: readonly Pick<MissingItem, 'rule' | 'dst' | 'proto' | 'ports' | 'dstRole' | 'reason'>[];
  silentHosts: readonly Pick<SilentHostItem, 'status' | 'host' | 'roles' | 'rules' | 'reason'>[];
  groups: { unexpected: readonly FindingGroup[]; wanCache: readonly FindingGroup[] };
  rules: readonly Pick<RuleCheck, 'id' | 'flows'>[];
}

export interface DiffSide {
  /** Where the report came from: a JSON file, or a database and its capture ids. */
  label: string;
  generatedAt: string;
  window: { start: number; end: number; text: string } | null;
  verdict: string;
  clean: boolean;
  siteFile: string;
  siteHash: string;
  catalogs: string[];
  catalogHash: string;
}

export interface FindingChange {
  /** The matching key: section|kind|proto|from|to|service|rule|server. */
  key: string;
  section: 'unexpected' | 'wanCache';
  kind: string;
  proto: string;
  service: string;
  ports: string;
  srcLabel: string;
  dstLabel: string;
  rule: string | null;
  /** WAN-cache groups: the server (responder) address; else null. */
  server: string | null;
  /** The newer report's reason when it has the finding, else the older one's. */
  reason: string;
  /** Flows of the finding in each report (0 where it is absent). */
  oldCount: number;
  newCount: number;
  /** Group ids in each report (null where absent). */
  oldGroups: string[];
  newGroups: string[];
}

export interface MissingChange {
  key: string;
  /** 'missing': a required path not seen (rule and destination); 'silent-host': a declared host nobody reached. */
  kind: 'missing' | 'silent-host';
  /** The rule (missing), or null (silent host: see `rules`). */
  rule: string | null;
  rules: string[];
  dst: string;
  /** Role of the destination (missing), or the host's roles joined with "+". */
  role: string;
  proto: string | null;
  ports: string | null;
  reason: string;
}

export interface WanCacheChange {
  key: string;
  rule: string | null;
  proto: string;
  service: string;
  srcSite: string;
  dstSite: string;
  server: string | null;
  /** Status in each report; null where no flow of this path crossed sites. */
  old: WanCacheStatus | null;
  new: WanCacheStatus | null;
  oldCount: number;
  newCount: number;
}

export interface RuleFlowChange {
  rule: string;
  old: number;
  new: number;
  change: 'appeared' | 'vanished' | 'increased' | 'decreased';
  /** new / old when both are above 0, else null. */
  ratio: number | null;
}

export interface Triple<T> {
  new: T[];
  resolved: T[];
  persisting: T[];
}

export interface ReportDiff {
  old: DiffSide;
  new: DiffSide;
  /** Things that make the comparison less direct: different site files or catalogs. */
  notes: string[];
  factor: number;
  findings: Triple<FindingChange>;
  missing: Triple<MissingChange>;
  wanCache: WanCacheChange[];
  ruleFlows: RuleFlowChange[];
  counts: {
    new: number; resolved: number; persisting: number;
    missingNew: number; missingResolved: number; missingPersisting: number;
    wanCacheChanged: number; ruleFlowsChanged: number;
  };
}

export interface DiffOptions {
  /** A rule's flow count that grew or shrank by this factor or more is listed (default 2). */
  factor?: number;
  oldLabel?: string;
  newLabel?: string;
}

export const DEFAULT_FACTOR = 2;

/** Kinds whose groups stand for many ports at once: matched without their port list. */
const PORTLESS_KINDS = new Set(['port-scan', 'window-only']);
/** WAN-cache statuses that are findings (the others are listed for information). */
const WAN_FINDINGS = new Set(['violation', 'must-not-cache']);

function side(r: DiffableReport, label: string): DiffSide {
  const s = r.summary;
  return {
    label, generatedAt: s.generatedAt, window: s.window, verdict: s.verdict, clean: s.clean,
    siteFile: s.siteFile, siteHash: s.siteHash, catalogs: [...s.catalogs], catalogHash: s.catalogHash,
  };
}

function findingKey(g: FindingGroup): string {
  const wan = g.section === 'wanCache';
  const service = PORTLESS_KINDS.has(g.kind) ? '*' : wan ? g.ports : g.service;
  return [g.section, g.kind, g.proto, g.srcLabel, g.dstLabel, service, g.rule ?? '', wan ? g.exampleHosts[0] ?? '' : ''].join('|');
}

function findingMap(r: DiffableReport): Map<string, FindingChange & { count: number; groups: string[] }> {
  const out = new Map<string, FindingChange & { count: number; groups: string[] }>();
  const groups = [...r.groups.unexpected, ...r.groups.wanCache.filter((g) => WAN_FINDINGS.has(g.kind))];
  for (const g of groups) {
    const key = findingKey(g);
    const have = out.get(key);
    if (have) {
      have.count += g.count;
      have.groups.push(g.id);
      continue;
    }
    out.set(key, {
      key, section: g.section as FindingChange['section'], kind: g.kind, proto: g.proto, service: g.service, ports: g.ports,
      srcLabel: g.srcLabel, dstLabel: g.dstLabel, rule: g.rule, server: g.section === 'wanCache' ? g.exampleHosts[0] ?? null : null,
      reason: g.reason, oldCount: 0, newCount: 0, oldGroups: [], newGroups: [], count: g.count, groups: [g.id],
    });
  }
  return out;
}

function compareFindings(a: DiffableReport, b: DiffableReport): Triple<FindingChange> {
  const olds = findingMap(a);
  const news = findingMap(b);
  const out: Triple<FindingChange> = { new: [], resolved: [], persisting: [] };
  const strip = ({ count: _c, groups: _g, ...rest }: FindingChange & { count: number; groups: string[] }): FindingChange => rest;
  for (const [key, n] of news) {
    const o = olds.get(key);
    const entry = { ...strip(n), oldCount: o?.count ?? 0, newCount: n.count, oldGroups: o?.groups ?? [], newGroups: n.groups };
    (o ? out.persisting : out.new).push(entry);
  }
  for (const [key, o] of olds) {
    if (!news.has(key)) out.resolved.push({ ...strip(o), oldCount: o.count, newCount: 0, oldGroups: o.groups, newGroups: [] });
  }
  return out;
}

function missingMap(r: DiffableReport): Map<string, MissingChange> {
  const out = new Map<string, MissingChange>();
  for (const m of r.missing) {
    const key = `missing|${m.rule}|${m.dst}`;
    if (!out.has(key)) {
      out.set(key, { key, kind: 'missing', rule: m.rule, rules: [m.rule], dst: m.dst, role: m.dstRole, proto: m.proto, ports: m.ports, reason: m.reason });
    }
  }
  for (const h of r.silentHosts) {
    if (h.status !== 'missing') continue;
    const key = `silent-host|${h.host}`;
    out.set(key, { key, kind: 'silent-host', rule: null, rules: [...h.rules], dst: h.host, role: h.roles.join('+'), proto: null, ports: null, reason: h.reason });
  }
  return out;
}

function compareMissing(a: DiffableReport, b: DiffableReport): Triple<MissingChange> {
  const olds = missingMap(a);
  const news = missingMap(b);
  return {
    new: [...news.values()].filter((m) => !olds.has(m.key)),
    resolved: [...olds.values()].filter((m) => !news.has(m.key)),
    persisting: [...news.values()].filter((m) => olds.has(m.key)),
  };
}

/** WAN status of every path (rule, service, sites, server) in a report; the worst status when a path has several. */
function wanMap(r: DiffableReport): Map<string, Omit<WanCacheChange, 'old' | 'new' | 'oldCount' | 'newCount'> & { status: WanCacheStatus; count: number }> {
  const rank: Record<string, number> = { violation: 0, 'must-not-cache': 1, cacheable: 2 };
  const out = new Map<string, Omit<WanCacheChange, 'old' | 'new' | 'oldCount' | 'newCount'> & { status: WanCacheStatus; count: number }>();
  for (const g of r.groups.wanCache) {
    const server = g.exampleHosts[0] ?? null;
    const key = [g.rule ?? '', g.proto, g.ports, g.srcLabel, g.dstLabel, server ?? ''].join('|');
    const status = g.kind as WanCacheStatus;
    const have = out.get(key);
    if (have) {
      have.count += g.count;
      if ((rank[status] ?? 3) < (rank[have.status] ?? 3)) have.status = status;
      continue;
    }
    out.set(key, {
      key, rule: g.rule, proto: g.proto, service: g.service, srcSite: g.srcLabel.replace(/^site:/, ''), dstSite: g.dstLabel.replace(/^site:/, ''),
      server, status, count: g.count,
    });
  }
  return out;
}

function compareWan(a: DiffableReport, b: DiffableReport): WanCacheChange[] {
  const olds = wanMap(a);
  const news = wanMap(b);
  const out: WanCacheChange[] = [];
  for (const key of new Set([...olds.keys(), ...news.keys()])) {
    const o = olds.get(key);
    const n = news.get(key);
    if (o?.status === n?.status) continue;
    const { status: _s, count: _c, ...path } = (n ?? o)!;
    out.push({ ...path, old: o?.status ?? null, new: n?.status ?? null, oldCount: o?.count ?? 0, newCount: n?.count ?? 0 });
  }
  return out;
}

function compareRuleFlows(a: DiffableReport, b: DiffableReport, factor: number): RuleFlowChange[] {
  const olds = new Map(a.rules.map((r) => [r.id, r.flows]));
  const news = new Map(b.rules.map((r) => [r.id, r.flows]));
  const out: RuleFlowChange[] = [];
  for (const rule of new Set([...olds.keys(), ...news.keys()])) {
    const o = olds.get(rule) ?? 0;
    const n = news.get(rule) ?? 0;
    if (o === n) continue;
    if (o === 0 || n === 0) {
      out.push({ rule, old: o, new: n, change: o === 0 ? 'appeared' : 'vanished', ratio: null });
    } else if (Math.max(o, n) / Math.min(o, n) >= factor) {
      out.push({ rule, old: o, new: n, change: n > o ? 'increased' : 'decreased', ratio: n / o });
    }
  }
  return out;
}

export function diffReports(oldReport: DiffableReport, newReport: DiffableReport, opts: DiffOptions = {}): ReportDiff {
  const factor = opts.factor ?? DEFAULT_FACTOR;
  if (!(factor > 1) || !Number.isFinite(factor)) throw new RangeError(`factor must be a number above 1, not ${factor}`);
  const findings = compareFindings(oldReport, newReport);
  const missing = compareMissing(oldReport, newReport);
  const wanCache = compareWan(oldReport, newReport);
  const ruleFlows = compareRuleFlows(oldReport, newReport, factor);
  const o = side(oldReport, opts.oldLabel ?? 'old');
  const n = side(newReport, opts.newLabel ?? 'new');
  const notes: string[] = [];
  if (o.siteHash !== n.siteHash) notes.push(`the site files differ (${o.siteFile} sha256 ${o.siteHash.slice(0, 12)}, ${n.siteFile} sha256 ${n.siteHash.slice(0, 12)})`);
  if (o.catalogHash !== n.catalogHash) notes.push(`the catalogs differ (${o.catalogs.join(', ')} sha256 ${o.catalogHash.slice(0, 12)}, ${n.catalogs.join(', ')} sha256 ${n.catalogHash.slice(0, 12)})`);
  return {
    old: o, new: n, notes, factor, findings, missing, wanCache, ruleFlows,
    counts: {
      new: findings.new.length, resolved: findings.resolved.length, persisting: findings.persisting.length,
      missingNew: missing.new.length, missingResolved: missing.resolved.length, missingPersisting: missing.persisting.length,
      wanCacheChanged: wanCache.length, ruleFlowsChanged: ruleFlows.length,
    },
  };
}

export type DiffFailKind = 'new' | 'resolved';
export const DIFF_FAIL_KINDS: readonly DiffFailKind[] = ['new', 'resolved'];

/**
 * `--fail-on new`: a new finding or a newly missing service (path or declared host);
 * `--fail-on resolved`: a finding or missing service went away (a gate that expects no change).
 */
export function diffFails(d: ReportDiff, kinds: readonly DiffFailKind[]): boolean {
  return kinds.some((k) => (k === 'new' ? d.counts.new + d.counts.missingNew > 0 : d.counts.resolved + d.counts.missingResolved > 0));
}
